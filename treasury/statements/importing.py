"""Importing a bank statement file: read it whole, then write all its new lines or nothing.

Each line's checksum is over what identifies the booking (account, booking date, signed
amount, the bank's reference, description) and its occurrence among identical lines of the
same file: two genuine identical bookings (two equal cash deposits on one day) both count,
while the same booking in a later, overlapping statement is recognised and skipped.
"""

import hashlib
import logging
from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from config.celery import enqueue_on_commit
from treasury.access import is_treasury
from treasury.models import BankLine, BankStatement
from treasury.states import StatementFormat
from treasury.tasks import statement_match

from .csv_format import read_csv
from .mt940_format import read_mt940
from .reading import ParsedLine, ParsedStatement

logger = logging.getLogger("izin.treasury")

READERS = {StatementFormat.CSV: read_csv, StatementFormat.MT940: read_mt940}
_IMPORT_LOCK = 0x1D23  # one advisory lock key for statement imports (PostgreSQL)
_QUERY_CHUNK = 500  # checksums per IN (...) query, well under SQLite's variable limit


def statement_import(*, data: bytes, filename: str, fmt: str, user) -> BankStatement | None:
    """Import a statement file of the city's account. All or nothing.

    Raises ``StatementRefused`` with every problem (line number, reason) when the file cannot
    be read, and writes nothing. Returns None when every line is already imported (nothing is
    written), else the new statement with ``lines_added`` and ``lines_skipped``; matching runs
    after commit and keeps its result on the statement.
    """
    if not is_treasury(user):
        raise PermissionDenied
    parsed = READERS[fmt](data)
    checksums = line_checksums(parsed)
    with transaction.atomic():
        _lock_imports()
        known = _known(checksums)
        new = [(line, checksum) for line, checksum in zip(parsed.lines, checksums, strict=True)
               if checksum not in known]
        if not new:
            logger.info("statement_already_imported format=%s lines=%s", fmt, len(checksums))
            return None
        statement = BankStatement.objects.create(
            format=fmt, filename=filename[:255], sha256=hashlib.sha256(data).hexdigest(),
            account_number=parsed.account_number, uploaded_by=user, lines_added=len(new),
            lines_skipped=len(checksums) - len(new),
        )
        BankLine.objects.bulk_create([
            BankLine(statement=statement, line_number=line.line_number, booked_on=line.booked_on,
                     amount=line.amount, bank_reference=line.reference,
                     description=line.description, checksum=checksum)
            for line, checksum in new
        ])
        # Its lines are matched once they are committed, not at the next hourly run.
        enqueue_on_commit(statement_match, statement.pk)
    logger.info("statement_imported statement_id=%s format=%s lines_added=%s lines_skipped=%s",
                statement.pk, fmt, statement.lines_added, statement.lines_skipped)
    return statement


def line_checksums(parsed: ParsedStatement) -> list[str]:
    seen: Counter[tuple] = Counter()
    checksums = []
    for line in parsed.lines:
        key = _identity(parsed.account_number, line)
        checksums.append(_sha256("\x1f".join([*key, str(seen[key])])))
        seen[key] += 1
    return checksums


def _identity(account_number: str, line: ParsedLine) -> tuple[str, ...]:
    return (account_number, line.booked_on.isoformat(), str(line.amount), line.reference,
            line.description)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _known(checksums: list[str]) -> set[str]:
    known = set()
    for start in range(0, len(checksums), _QUERY_CHUNK):
        chunk = checksums[start:start + _QUERY_CHUNK]
        known.update(BankLine.objects.filter(checksum__in=chunk)
                     .values_list("checksum", flat=True))
    return known


def _lock_imports() -> None:
    """One import at a time, so two overlapping statements uploaded together cannot both add
    the same line. SQLite serialises writing transactions already."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_IMPORT_LOCK])
