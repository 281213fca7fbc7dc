"""Reconciling 100,000 settlement lines on PostgreSQL: ``reconcile()`` against a plain SQL join.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izin .venv/bin/python bench/reconcile_100k.py

The script creates its own database (``izin_bench`` on the server DATABASE_URL names; the
database named in the URL is never touched), migrates it, loads the volume with COPY, and on the
same data in the same run times the plain SQL joins that find (SELECT) and write (UPDATE … FROM,
rolled back) the same links, then ``treasury.matching.reconcile()``, twice. It prints
the times, their ratios and the counts each found, then drops ``izin_bench`` (``--keep``: not;
``--profile``: the slowest statements too). See bench/README.md.
"""

import functools
import io
import logging
import os
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

BENCH_DB = "izin_bench"
SETTLEMENT_LINES = 100_000
DAYS = 200  # one payout a day, ~500 balance transactions each
# A sprinkling of every exception kind, and of the other paths matching takes.
UNKNOWN, DUPLICATES, REFUNDS = 200, 100, 500
UNSETTLED, MISMATCH_EVERY = 200, 1_000
PAYOUT_SUM_OFF, PAYOUT_MISSING, LINE_BY_AMOUNT_EVERY = 5, 5, 10
BANK_CHARGES, STRAY_CREDITS, COUNTER = 30, 20, 1_000
MAIN = SETTLEMENT_LINES - UNKNOWN - DUPLICATES - REFUNDS  # charges of ordinary payments

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()
logging.getLogger("izin.treasury").setLevel(logging.WARNING)  # the counts are printed below

import psycopg2  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402


def refuse(message: str) -> None:
    print(message, file=sys.stderr)
    sys.exit(2)


def server_settings() -> dict:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        refuse("This benchmark measures PostgreSQL, the production database; SQLite is not "
               "what the claim is about. Set DATABASE_URL, e.g.\n"
               "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/izin "
               ".venv/bin/python bench/reconcile_100k.py")
    return database


def admin(database: dict, *statements: str) -> None:
    """Statements on the server's maintenance database (CREATE/DROP DATABASE need one)."""
    conn = psycopg2.connect(dbname="postgres", user=database["USER"],
                            password=database["PASSWORD"], host=database["HOST"] or None,
                            port=database["PORT"] or None)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
    finally:
        conn.close()


# -- loading ---------------------------------------------------------------------------------

def _text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def copy(model, rows: list[dict]) -> int:
    """COPY ``rows`` (by attribute name; the rest take the field's default) into ``model``."""
    fields = model._meta.concrete_fields
    now = timezone.now()
    defaults = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.attname] = now
        else:
            defaults[field.attname] = field.get_default()
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(row[f.attname] if f.attname in row else defaults[f.attname])
                               for f in fields))
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    with connection.cursor() as cursor:
        cursor.copy_expert(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN', buffer)
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('\"{model._meta.db_table}\"', 'id'),"
                       f" (SELECT COALESCE(MAX(id), 1) FROM \"{model._meta.db_table}\"))")
    return len(rows)


@functools.cache
def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def at(day: date, seconds: int) -> datetime:
    return _midnight(day) + timedelta(seconds=seconds % 86_000)


def fee(amount: int) -> int:
    return amount * 7 // 1000


def load(today: date) -> dict[str, int]:
    from licensing.models import Application, Business, PermitType, User
    from payments.models import Invoice, InvoiceLine, Payment, Refund
    from treasury.models import (
        BankLine,
        BankStatement,
        CounterPayment,
        GatewayPayout,
        GatewayTransaction,
    )

    maker = User.objects.create_user("bendahara1@bench.invalid", full_name="Bendahara Satu")
    checker = User.objects.create_user("bendahara2@bench.invalid", full_name="Bendahara Dua")
    business = Business.objects.create(legal_name="PT Bench", nib="9120000000001",
                                       npwp="012345678901000", street_address="Jl. Bench 1",
                                       kecamatan="sail", kelurahan="Cinta Raja")
    permit_type = PermitType.objects.create(code="BENCH", name_id="Izin Bench",
                                            name_en="Bench permit", risk_level="low",
                                            validity_months=12)
    # Paid bills need not each have an application of their own (one open bill per
    # application is the only rule), so one application carries them all.
    application = Application.objects.create(reference="BENCH-1", business=business,
                                             permit_type=permit_type, created_by=maker)
    first_day = today - timedelta(days=DAYS + 5)

    invoices, lines, payments, txns, refunds = [], [], [], [], []
    payout_net = [0] * (DAYS + 1)

    def bill(n: int, day: date, total: int) -> int:
        invoices.append({"id": n, "number": f"SKRD/B/{n:07d}", "application_id": application.pk,
                         "billing_code": f"{9_000_000_000_000_000 + n}", "state": "paid",
                         "issued_at": at(day, 0), "due_date": day + timedelta(days=14),
                         "paid_at": at(day, n), "closed_at": at(day, n)})
        lines.append({"id": n, "invoice_id": n, "position": 1, "label_id": "Retribusi",
                      "label_en": "Levy", "account_code": "4.1.02.03.01.0001", "amount": total})
        return n

    def pay(pk: int, invoice: int, day: date, total: int, received: int, attempt: int = 1):
        mismatch = received != total
        payments.append({"id": pk, "invoice_id": invoice, "attempt": attempt,
                         "method": ("card", "va", "qris")[pk % 3], "amount": total,
                         "state": "succeeded", "idempotency_key": f"bench-{pk}",
                         "charge_id": f"ch_{pk:08d}", "checkout_expires_at": at(day, pk),
                         "amount_received": received, "currency_received": "idr",
                         "needs_review": mismatch,
                         "review_reason": "amount_mismatch" if mismatch else "",
                         "succeeded_at": at(day, pk), "closed_at": at(day, pk)})

    def charge(pk: int, day_index: int, source: str, amount: int, kind: str = "charge"):
        cost = fee(amount) if kind == "charge" else 0
        txns.append({"id": pk, "txn_id": f"txn_{pk:08d}", "type": kind, "amount": amount,
                     "fee": cost, "net": amount - cost, "source": source,
                     "created_at_gateway": at(first_day + timedelta(days=day_index), pk),
                     "payout_id": day_index + 1})
        payout_net[day_index] += amount - cost

    txn = 0
    for n in range(1, MAIN + 1):
        day_index = n % DAYS
        day = first_day + timedelta(days=day_index)
        total = 50_000 + (n % 50) * 10_000
        received = total
        if n % MISMATCH_EVERY == 0:  # over- and under-paid by turns
            received = total + 25_000 if n % (2 * MISMATCH_EVERY) else total - 25_000
        pay(n, bill(n, day, total), day, total, received)
        txn += 1
        charge(txn, day_index, f"ch_{n:08d}", received)
    for k in range(DUPLICATES):  # a second payment of an already paid bill
        pk, invoice = MAIN + 1 + k, 1 + k * 7
        day_index = invoice % DAYS
        total = lines[invoice - 1]["amount"]
        pay(pk, invoice, first_day + timedelta(days=day_index), total, total, attempt=2)
        txn += 1
        charge(txn, day_index, f"ch_{pk:08d}", total)
    for k in range(UNSETTLED):  # paid, never settled by the gateway
        pk = MAIN + DUPLICATES + 1 + k
        pay(pk, bill(pk, first_day, 100_000), first_day, 100_000, 100_000)
    for k in range(UNKNOWN):
        txn += 1
        charge(txn, k % DAYS, f"ch_stranger_{k}", 75_000)
    for k in range(REFUNDS):
        payment = payments[k * 11]
        txn += 1
        day_index = payment["invoice_id"] % DAYS
        refunds.append({"id": k + 1, "payment_id": payment["id"], "amount": 10_000,
                        "reason": "other", "state": "succeeded", "prepared_by_id": maker.pk,
                        "approved_by_id": checker.pk, "idempotency_key": f"bench-refund-{k}",
                        "gateway_refund_id": f"re_{k:08d}",
                        "succeeded_at": payment["succeeded_at"]})
        charge(txn, day_index, f"re_{k:08d}", -10_000, kind="refund")

    payouts, bank = [], []
    for index, net in enumerate(payout_net[:DAYS]):
        pk = index + 1
        arrival = first_day + timedelta(days=index + 1)
        amount = net + (1_000 if pk <= PAYOUT_SUM_OFF else 0)
        payouts.append({"id": pk, "payout_id": f"po_bench{pk:06d}", "amount": amount,
                        "status": "paid", "arrival_date": arrival,
                        "created_at_gateway": at(arrival, 0),
                        "transactions_pulled_at": at(arrival, 1)})
        if pk > DAYS - PAYOUT_MISSING:
            continue  # never reaches the bank
        text = ("TRANSFER DARI GATEWAY" if pk % LINE_BY_AMOUNT_EVERY == 0
                else f"IZIN PAYOUT po_bench{pk:06d}")
        bank.append({"booked_on": arrival + timedelta(days=pk % 2), "amount": amount,
                     "description": text})
    counter_payments = []
    for k in range(COUNTER):
        pk = MAIN + DUPLICATES + UNSETTLED + 1 + k
        day = first_day + timedelta(days=k % DAYS)
        bill(pk, day, 200_000)
        bank.append({"booked_on": day, "amount": 200_000,
                     "description": f"SETORAN {9_000_000_000_000_000 + pk}"})
        counter_payments.append({"invoice_id": pk, "bank_line_index": len(bank) - 1})
    for k in range(BANK_CHARGES):
        bank.append({"booked_on": first_day + timedelta(days=k), "amount": -6_500,
                     "description": "BIAYA ADMINISTRASI"})
    for k in range(STRAY_CREDITS):
        bank.append({"booked_on": first_day + timedelta(days=k), "amount": 123_456 + k,
                     "description": "SETORAN TANPA KETERANGAN"})
    bank.append({"booked_on": today, "amount": 1, "description": "BUNGA"})  # statements go on
    statement = BankStatement.objects.create(format="csv", filename="bench.csv", sha256="0" * 64,
                                             account_number=settings.TREASURY_RKUD_ACCOUNT,
                                             uploaded_by=maker, lines_added=len(bank))
    bank_rows = [{"id": i + 1, "statement_id": statement.pk, "line_number": i + 1,
                  "bank_reference": f"BR{i + 1:08d}", "checksum": f"{i + 1:064x}", **line}
                 for i, line in enumerate(bank)]

    counts = {
        "invoices": copy(Invoice, invoices), "invoice lines": copy(InvoiceLine, lines),
        "payments": copy(Payment, payments), "refunds": copy(Refund, refunds),
        "payouts": copy(GatewayPayout, payouts), "settlement lines": copy(GatewayTransaction, txns),
        "bank lines": copy(BankLine, bank_rows),
        "counter payments": copy(CounterPayment, [
            {"id": k + 1, "invoice_id": row["invoice_id"], "amount": 200_000,
             "bank_line_id": row["bank_line_index"] + 1, "recorded_by_id": maker.pk,
             # Confirmed by a second officer: only then does a counter payment pay a bill.
             "state": "confirmed", "decided_by_id": checker.pk, "decided_at": timezone.now()}
            for k, row in enumerate(counter_payments)]),
    }
    vacuum()
    return counts


# -- the baseline -----------------------------------------------------------------------------
# The same links as plain SQL joins: first only found (SELECT … JOIN), then written
# (UPDATE … FROM … JOIN, the hand-written way, rolled back so that reconcile() finds the same
# work). The bank-line join takes either rule and trusts the data to be unambiguous.

LINKS = {
    "payments linked": ("""
        FROM treasury_gatewaytransaction t JOIN payments_payment p ON p.charge_id = t.source
        WHERE t.type IN ('charge', 'payment') AND t.payment_id IS NULL AND t.refund_id IS NULL
          AND t.source <> ''""", "treasury_gatewaytransaction", "payment_id = p.id"),
    "refunds linked": ("""
        FROM treasury_gatewaytransaction t JOIN payments_refund r ON r.gateway_refund_id = t.source
        WHERE t.type IN ('refund', 'payment_refund') AND t.payment_id IS NULL
          AND t.refund_id IS NULL""", "treasury_gatewaytransaction", "refund_id = r.id"),
    "bank lines linked": ("""
        FROM treasury_bankline t JOIN treasury_gatewaypayout o ON o.amount = t.amount AND (
            t.description LIKE '%%' || o.payout_id || '%%'
            OR o.arrival_date BETWEEN t.booked_on - %(days)s AND t.booked_on)
        WHERE t.payout_id IS NULL AND t.amount > 0""", "treasury_bankline", "payout_id = o.id"),
}


def _update_from(table: str, assignment: str, join: str) -> str:
    """``FROM a t JOIN b … WHERE w`` as ``UPDATE a t SET … FROM b WHERE <on> AND w``."""
    head, where = join.split("WHERE", 1)
    other, on = head.split(" JOIN ", 1)[1].split(" ON ", 1)
    return f"UPDATE {table} t SET {assignment} FROM {other} WHERE {on} AND {where}"


def baseline_select() -> tuple[float, dict[str, int]]:
    found, params = {}, {"days": settings.TREASURY_BANK_ARRIVAL_DAYS}
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for name, (join, _table, _assignment) in LINKS.items():
            cursor.execute(f"SELECT count(DISTINCT t.id) {join}", params)
            found[name] = cursor.fetchone()[0]
    return time.perf_counter() - started, found


def baseline_update() -> tuple[float, dict[str, int]]:
    """Writes the links with foreign keys checked at once (reconcile() checks them at its
    commit), under the same settings as reconcile(), then rolls everything back."""
    found, params = {}, {"days": settings.TREASURY_BANK_ARRIVAL_DAYS}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        started = time.perf_counter()
        for name, (join, table, assignment) in LINKS.items():
            cursor.execute(_update_from(table, assignment, join), params)
            found[name] = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    vacuum()
    return seconds, found


def vacuum() -> None:
    """What autovacuum would have done: the rolled-back rows gone, statistics fresh."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(work, label: str):
    """``work()`` and how long it took; with ``--profile`` its slowest statements too."""
    if "--profile" not in sys.argv:
        return _run(work)
    statements = []

    def record(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(record):
        seconds, result = _run(work)
    print(f"slowest statements of {label}:")
    for spent, sql in sorted(statements, key=lambda pair: pair[0], reverse=True)[:8]:
        print(f"  {spent:7.3f} s  {sql[:160]}")
    return seconds, result


def _run(work):
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def listed(counts: dict) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in counts.items())


def main() -> None:
    database = server_settings()
    if database["NAME"] == BENCH_DB:
        refuse(f"DATABASE_URL names {BENCH_DB}, the benchmark's own scratch database: point it "
               "at your usual database; the benchmark creates and drops its own beside it.")
    admin(database, f"DROP DATABASE IF EXISTS {BENCH_DB}", f"CREATE DATABASE {BENCH_DB}")
    database["NAME"] = BENCH_DB  # before the first query: every connection goes there
    try:
        print(f"database {BENCH_DB} on {database['HOST'] or 'localhost'}: migrating…")
        call_command("migrate", verbosity=0)
        today = timezone.localdate()
        seconds, loaded = _run(lambda: load(today))
        print(f"loaded with COPY in {seconds:.1f} s: "
              + ", ".join(f"{count:,} {name}" for name, count in loaded.items()))

        from treasury.matching import reconcile

        select_seconds, selected = baseline_select()
        update_seconds, updated = baseline_update()
        reconcile_seconds, counts = timed(lambda: reconcile(today=today), "reconcile()")
        again_seconds, again = timed(lambda: reconcile(today=today), "reconcile() again")

        print()
        print(f"plain SQL SELECT … JOIN (finds the links):       {select_seconds:7.3f} s")
        print(f"    {listed(selected)}")
        print(f"plain SQL UPDATE … FROM … JOIN (writes them):    {update_seconds:7.3f} s")
        print(f"    {listed(updated)}")
        print(f"reconcile(): links, 7 kinds of exception, clears {reconcile_seconds:7.3f} s")
        print(f"    {listed(counts)}")
        print(f"reconcile() again (nothing new to do):           {again_seconds:7.3f} s")
        print(f"    {listed(again)}")
        print(f"ratio reconcile() / SELECT join:  {reconcile_seconds / select_seconds:6.1f}x")
        print(f"ratio reconcile() / UPDATE join:  {reconcile_seconds / update_seconds:6.1f}x")
    finally:
        connection.close()
        if "--keep" in sys.argv:
            print(f"kept {BENCH_DB} (--keep): the next run drops it first")
        else:
            admin(database, f"DROP DATABASE IF EXISTS {BENCH_DB}")
            print(f"dropped {BENCH_DB}")


if __name__ == "__main__":
    main()
