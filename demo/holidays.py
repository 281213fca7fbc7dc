"""National holidays (libur nasional) and collective leave (cuti bersama) that stop SLA clocks.

Seed values only: the administrator maintains the holidays in the admin (Workflows, Holidays)
when the government publishes or changes them.

2026: SKB 3 Menteri No. 1497/2025, No. 2/2025, No. 5/2025 (17 holidays, 8 days of collective leave).
2027: no SKB yet when this was written. Fixed dates are certain; Islamic, Chinese and Saka dates
are estimated from the lunar calendars and marked "(perkiraan)"; collective leave follows the
pattern of recent years. Replace them with the SKB dates once it is signed.
"""

from datetime import date

HOLIDAYS: tuple[tuple[date, str], ...] = (
    # 2026
    (date(2026, 1, 1), "Tahun Baru 2026 Masehi"),
    (date(2026, 1, 16), "Isra Mikraj Nabi Muhammad SAW"),
    (date(2026, 2, 16), "Cuti Bersama Tahun Baru Imlek 2577 Kongzili"),
    (date(2026, 2, 17), "Tahun Baru Imlek 2577 Kongzili"),
    (date(2026, 3, 18), "Cuti Bersama Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    (date(2026, 3, 19), "Hari Suci Nyepi (Tahun Baru Saka 1948)"),
    (date(2026, 3, 20), "Cuti Bersama Idulfitri 1447 Hijriah"),
    (date(2026, 3, 21), "Idulfitri 1447 Hijriah"),
    (date(2026, 3, 22), "Idulfitri 1447 Hijriah"),
    (date(2026, 3, 23), "Cuti Bersama Idulfitri 1447 Hijriah"),
    (date(2026, 3, 24), "Cuti Bersama Idulfitri 1447 Hijriah"),
    (date(2026, 4, 3), "Wafat Yesus Kristus"),
    (date(2026, 4, 5), "Kebangkitan Yesus Kristus (Paskah)"),
    (date(2026, 5, 1), "Hari Buruh Internasional"),
    (date(2026, 5, 14), "Kenaikan Yesus Kristus"),
    (date(2026, 5, 15), "Cuti Bersama Kenaikan Yesus Kristus"),
    (date(2026, 5, 27), "Iduladha 1447 Hijriah"),
    (date(2026, 5, 28), "Cuti Bersama Iduladha 1447 Hijriah"),
    (date(2026, 5, 31), "Hari Raya Waisak 2570 BE"),
    (date(2026, 6, 1), "Hari Lahir Pancasila"),
    (date(2026, 6, 16), "1 Muharam Tahun Baru Islam 1448 Hijriah"),
    (date(2026, 8, 17), "Proklamasi Kemerdekaan Republik Indonesia"),
    (date(2026, 8, 25), "Maulid Nabi Muhammad SAW"),
    (date(2026, 12, 24), "Cuti Bersama Kelahiran Yesus Kristus"),
    (date(2026, 12, 25), "Kelahiran Yesus Kristus"),
    # 2027 (provisional, see above)
    (date(2027, 1, 1), "Tahun Baru 2027 Masehi"),
    (date(2027, 1, 5), "Isra Mikraj Nabi Muhammad SAW (perkiraan)"),
    (date(2027, 2, 5), "Cuti Bersama Tahun Baru Imlek 2578 Kongzili (perkiraan)"),
    (date(2027, 2, 6), "Tahun Baru Imlek 2578 Kongzili"),
    (date(2027, 3, 8), "Hari Suci Nyepi (Tahun Baru Saka 1949) (perkiraan)"),
    (date(2027, 3, 9), "Cuti Bersama Idulfitri 1448 Hijriah (perkiraan)"),
    (date(2027, 3, 10), "Idulfitri 1448 Hijriah (perkiraan)"),
    (date(2027, 3, 11), "Idulfitri 1448 Hijriah (perkiraan)"),
    (date(2027, 3, 12), "Cuti Bersama Idulfitri 1448 Hijriah (perkiraan)"),
    (date(2027, 3, 15), "Cuti Bersama Idulfitri 1448 Hijriah (perkiraan)"),
    (date(2027, 3, 26), "Wafat Yesus Kristus"),
    (date(2027, 3, 28), "Kebangkitan Yesus Kristus (Paskah)"),
    (date(2027, 5, 1), "Hari Buruh Internasional"),
    (date(2027, 5, 6), "Kenaikan Yesus Kristus"),
    (date(2027, 5, 7), "Cuti Bersama Kenaikan Yesus Kristus (perkiraan)"),
    (date(2027, 5, 17), "Iduladha 1448 Hijriah (perkiraan)"),
    (date(2027, 5, 20), "Hari Raya Waisak 2571 BE (perkiraan)"),
    (date(2027, 6, 1), "Hari Lahir Pancasila"),
    (date(2027, 6, 6), "1 Muharam Tahun Baru Islam 1449 Hijriah (perkiraan)"),
    (date(2027, 8, 15), "Maulid Nabi Muhammad SAW (perkiraan)"),
    (date(2027, 8, 17), "Proklamasi Kemerdekaan Republik Indonesia"),
    (date(2027, 12, 24), "Cuti Bersama Kelahiran Yesus Kristus (perkiraan)"),
    (date(2027, 12, 25), "Kelahiran Yesus Kristus"),
)
