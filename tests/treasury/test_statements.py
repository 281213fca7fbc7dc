"""Importing the city account's bank statements, CSV and MT940: all or nothing, each line once
(same checksum), every problem of a malformed or truncated file named with its line."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from licensing import roles
from tests.factories import UserFactory
from tests.workflows.test_concurrency import run_together
from treasury.models import BankLine, BankStatement
from treasury.statements import StatementRefused, statement_import

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def officer():
    return UserFactory(groups=[roles.TREASURY_OFFICER])


def load(officer, name: str, fmt: str | None = None, data: bytes | None = None):
    data = (FILES / name).read_bytes() if data is None else data
    return statement_import(data=data, filename=name, fmt=fmt or _format(name), user=officer)


def _format(name: str) -> str:
    return "csv" if name.endswith(".csv") else "mt940"


def refused(officer, name: str, data: bytes | None = None) -> list[tuple[int, str]]:
    with pytest.raises(StatementRefused) as caught:
        load(officer, name, data=data)
    assert not BankStatement.objects.exists() and not BankLine.objects.exists()
    return caught.value.problems


def lines_of(statement) -> list[tuple]:
    return list(statement.lines.order_by("line_number").values_list(
        "line_number", "booked_on", "amount", "bank_reference", "description"))


def test_a_csv_statement_is_imported_line_by_line(officer):
    statement = load(officer, "stmt_ok.csv")

    assert (statement.format, statement.account_number) == ("csv", "1060012345678")
    assert (statement.lines_added, statement.lines_skipped) == (3, 0)
    assert statement.sha256 == hashlib.sha256((FILES / "stmt_ok.csv").read_bytes()).hexdigest()
    assert statement.uploaded_by == officer
    # A byte-order mark, CRLF, both date forms, both thousands separators, ",00"/".00", a
    # quoted description with a comma, and a 0 in the unused column are all read.
    assert lines_of(statement) == [
        (2, date(2026, 11, 27), 1_807_500, "BRK0001", "IZIN PAYOUT po_test1"),
        (3, date(2026, 11, 28), 1_807_500, "BRK0002", "SETOR TUNAI, KODE BAYAR 2026000000012347"),
        (4, date(2026, 11, 28), -5_000, "BRK0003", "BIAYA ADMIN"),
    ]
    assert len(set(statement.lines.values_list("checksum", flat=True))) == 3


def test_a_semicolon_csv_with_capitalised_headers_and_no_balance_is_read(officer):
    statement = load(officer, "stmt_twins.csv")

    assert [line[2] for line in lines_of(statement)] == [150_000, 150_000]


def test_an_mt940_statement_is_imported_through_the_library(officer):
    statement = load(officer, "stmt_ok.sta")

    assert (statement.format, statement.account_number) == ("mt940", "1060012345678")
    # The customer's reference (here a billing code) is kept in the description.
    assert lines_of(statement) == [
        (5, date(2026, 11, 28), 1_807_500, "BRK2611280001", "IZIN PAYOUT po_test1"),
        (7, date(2026, 11, 28), 250_000, "BRK2611280002", "2026000000012347 SETOR TUNAI"),
        (9, date(2026, 11, 28), -5_000, "BRK2611280003", "BIAYA ADMIN"),
    ]


def test_an_mt940_file_of_two_statements_in_their_swift_envelopes_is_read(officer):
    statement = load(officer, "stmt_two_days.sta")

    assert lines_of(statement) == [
        (6, date(2026, 11, 26), 500_000, "BRK3001", "IZIN PAYOUT po_c1"),
        (15, date(2026, 11, 27), 1_807_500, "BRK3002",
         "SETOR TUNAI LOKET CABANG SUDIRMAN ATAS NAMA PT USAHA MAJU SEJAHTERA KODE BAYAR "
         "2026000000012347"),
        (18, date(2026, 11, 27), -2_500, "BRK3003", "BIAYA ADMIN"),
    ]


@pytest.mark.parametrize("name", ["stmt_ok.csv", "stmt_ok.sta"])
def test_the_same_file_twice_adds_nothing_and_says_so(officer, name):
    load(officer, name)

    assert load(officer, name) is None

    assert BankStatement.objects.count() == 1 and BankLine.objects.count() == 3


def test_overlapping_statements_add_only_the_lines_not_imported_yet(officer):
    load(officer, "stmt_overlap_a.csv")

    second = load(officer, "stmt_overlap_b.csv")

    assert (second.lines_added, second.lines_skipped) == (1, 2)
    assert [line[3] for line in lines_of(second)] == ["BRK1004"]
    assert BankLine.objects.count() == 4


def test_two_genuine_identical_bookings_in_one_file_both_count(officer):
    twins = load(officer, "stmt_twins.csv")

    assert twins.lines_added == 2
    assert load(officer, "stmt_twins.csv") is None
    # A later statement showing one of them again: the first of the two, already known.
    single = b"date;reference;description;debit;credit\n27/11/2026;;SETOR TUNAI;;150.000\n"
    assert load(officer, "single.csv", data=single) is None


def test_a_malformed_csv_is_refused_with_every_problem_and_its_line(officer):
    assert refused(officer, "stmt_malformed.csv") == [
        (2, "The date “2026-11-31” is not a date written YYYY-MM-DD or DD/MM/YYYY."),
        (3, "The credit “12.50” has a fraction of a rupiah; amounts are whole rupiah."),
        (4, "The line has both a debit and a credit."),
        (5, "The line has neither a debit nor a credit."),
        (6, "The credit “150.000,50” has a fraction of a rupiah; amounts are whole rupiah."),
        (7, "The account 9990001112223 is not the city's account 1060012345678."),
        (8, "The line has 3 fields; the header has 7."),
        (10, "The balance Rp 20.000.001 does not follow from the previous line's balance "
             "Rp 20.000.000 and this line's amount Rp 100.000."),
    ]


@pytest.mark.parametrize(("data", "problems"), [
    (b"", [(1, "The file is empty.")]),
    (b"\n \n", [(1, "The file is empty.")]),
    (b"\xef\xbb\xbf\r\n", [(1, "The file is empty.")]),
    (b"date,reference,description,debit,credit\n", [(2, "The file holds no bookings.")]),
    (b"date,description,debit,credit\n2026-11-27,x,,1\n",
     [(1, "The header has no column reference (the first line must name the columns).")]),
    (b"date,reference,description,debit,credit\n2026-11-27,R1,SETOR \xff,,1.000\n",
     [(2, "The file is not UTF-8 text (the bank's export must be saved as UTF-8).")]),
    (b'date,reference,description,debit,credit\n2026-11-27,R1,"SETOR,,1.000\n',
     [(2, "The line is not valid CSV (check its quotes).")]),
    (b"date,reference,description,debit,credit\n2026-11-27,R1,x,,1.5\n",
     [(2, "The credit “1.5” is not an amount in whole rupiah.")]),
    (b"date,reference,description,debit,credit\n2026-11-27,R1,x,,\"1.000.000.00\"\n",
     [(2, "The credit “1.000.000.00” is not an amount in whole rupiah.")]),
    (b"date,reference,description,debit,credit\n11/27/2026,R1,x,,1.000\n",
     [(2, "The date “11/27/2026” is not a date written YYYY-MM-DD or DD/MM/YYYY.")]),
])
def test_each_csv_problem_is_named(officer, data, problems):
    assert refused(officer, "bank.csv", data=data) == problems


def test_a_malformed_mt940_is_refused_with_every_problem_and_its_line(officer):
    assert refused(officer, "stmt_malformed.sta") == [
        (2, "The account BRKSIDJA/9990001112223 is not the city's account 1060012345678."),
        (5, "The :61: field has an impossible date."),
        (7, "The amount 250000.50 has a fraction of a rupiah; amounts are whole rupiah."),
        (9, "The :61: field is not in the MT940 layout."),
        (10, "The amount is in USD, not in rupiah (IDR)."),
    ]


def test_a_truncated_mt940_without_its_closing_balance_is_refused(officer):
    assert refused(officer, "stmt_truncated.sta") == [
        (8, "The statement has no closing balance (:62F:): the file may be cut short."),
    ]


def test_an_mt940_cut_mid_line_is_refused(officer):
    assert refused(officer, "stmt_cut_midline.sta") == [
        (7, "The :62F: field is not in the MT940 layout."),
    ]


def test_an_mt940_cut_inside_an_amount_is_refused_by_its_balance(officer):
    data = (FILES / "stmt_unbalanced.sta").read_bytes().replace(b"11907500,00\n", b"119")

    assert refused(officer, "bank.sta", data=data) == [
        (7, "The opening balance Rp 10.000.000 and the bookings (Rp 1.807.500) come to "
            "Rp 11.807.500, but the closing balance is Rp 119."),
    ]


def test_an_mt940_whose_bookings_do_not_add_up_to_its_closing_balance_is_refused(officer):
    assert refused(officer, "stmt_unbalanced.sta") == [
        (7, "The opening balance Rp 10.000.000 and the bookings (Rp 1.807.500) come to "
            "Rp 11.807.500, but the closing balance is Rp 11.907.500."),
    ]


@pytest.mark.parametrize(("data", "problems"), [
    (b"", [(1, "The file is empty.")]),
    (b"hello\n", [(1, "This line is outside any MT940 field.")]),
    (b":20:X\n:25:1060012345678\n:60F:C261127IDR0,00\n:62F:C261127IDR0,00\n",
     [(4, "The file holds no bookings.")]),
    (b":20:X\n:61:2611281128C1,2,3NTRFNONREF//B\n",
     [(1, "The statement has no account number (:25:)."),
      (1, "The statement has no opening balance (:60F:)."),
      (2, "The :61: field has an amount that is not a number."),
      (2, "The statement has no closing balance (:62F:): the file may be cut short.")]),
    (b":20:X\n:25:1060012345678\n:60F:C261127IDR0,00\n:62F:C261127IDR0,00\n"
     b":61:2611271127C1,00NTRFNONREF//B\n",
     [(5, "A booking (:61:) comes after the closing balance.")]),
])
def test_each_mt940_problem_is_named(officer, data, problems):
    assert refused(officer, "bank.sta", data=data) == problems


def test_a_file_in_the_other_format_is_refused(officer):
    problems = refused(officer, "stmt_ok.sta", data=(FILES / "stmt_ok.csv").read_bytes())

    assert problems == [(1, "This line is outside any MT940 field."),
                        (2, "This line is outside any MT940 field."),
                        (3, "This line is outside any MT940 field."),
                        (4, "This line is outside any MT940 field.")]


def test_an_import_that_fails_half_way_writes_nothing(officer):
    # The second line is already known: the file is otherwise fine, yet one of its new lines
    # cannot be written (its reference is too long for the bank line): nothing is kept.
    load(officer, "stmt_overlap_a.csv")
    too_long = "R" * 65
    data = ("date,reference,description,debit,credit\n"
            "2026-11-28,BRK9001,IZIN PAYOUT po_z1,,1.000\n"
            f"2026-11-28,{too_long},IZIN PAYOUT po_z2,,1.000\n").encode()

    with pytest.raises(StatementRefused) as caught:
        load(officer, "bank.csv", data=data)

    assert caught.value.problems == [(3, "The reference is longer than 64 characters.")]
    assert BankStatement.objects.count() == 1 and BankLine.objects.count() == 3


def test_only_treasury_staff_may_import(officer):
    front_office = UserFactory(groups=[roles.FRONT_OFFICE])

    with pytest.raises(PermissionDenied):
        load(front_office, "stmt_ok.csv")

    assert not BankLine.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_overlapping_statements_uploaded_at_once_add_each_line_once():
    officers = [UserFactory(groups=[roles.TREASURY_OFFICER]) for _ in range(4)]
    names = ["stmt_overlap_a.csv", "stmt_overlap_b.csv"] * 2

    outcomes = run_together(*[
        (lambda officer=officer, name=name: load(officer, name))
        for officer, name in zip(officers, names, strict=True)
    ])

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(o.lines_added for o in outcomes if o is not None) == 4
    assert BankLine.objects.count() == 4
    assert len(set(BankLine.objects.values_list("checksum", flat=True))) == 4
