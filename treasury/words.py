"""Amounts in Indonesian words ("terbilang"), as a deposit slip (STS) writes its total: figures
can be altered with a stroke of the pen, words much less easily. Always Indonesian, whatever the
reader's language: the words are part of the document, not of the page around it."""

_UNITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
          "sepuluh", "sebelas")
# Each step of a thousand, largest first. The Indonesian short scale goes on past triliun.
_SCALES = ((10**15, "kuadriliun"), (10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"),
           (10**3, "ribu"))


def _below_thousand(number: int) -> list[str]:
    words = []
    hundreds, rest = divmod(number, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_UNITS[hundreds], "ratus"]
    if rest < 12:
        words.append(_UNITS[rest])
    elif rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_UNITS[tens], "puluh", _UNITS[ones]]
    return [word for word in words if word]


def terbilang(number: int) -> str:
    """``1_500_000`` → ``"satu juta lima ratus ribu"``; 0 → ``"nol"``; negative → ``"minus …"``.

    One thousand is "seribu" (never "satu ribu"); one million is "satu juta"."""
    if number < 0:
        return "minus " + terbilang(-number)
    if number == 0:
        return "nol"
    words = []
    for scale, name in _SCALES:
        count, number = divmod(number, scale)
        if count == 1 and scale == 1000:
            words.append("seribu")
        elif count:
            words += [terbilang(count), name]
    words += _below_thousand(number)
    return " ".join(words)


def rupiah_in_words(amount: int) -> str:
    """``1_500_000`` → ``"satu juta lima ratus ribu rupiah"``."""
    return f"{terbilang(amount)} rupiah"
