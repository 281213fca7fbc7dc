"""Amounts in Indonesian words (terbilang), as the deposit summary writes its total."""

import pytest

from treasury.words import rupiah_in_words, terbilang


@pytest.mark.parametrize(("number", "words"), [
    (0, "nol"),
    (1, "satu"),
    (9, "sembilan"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"),
    (100, "seratus"),
    (101, "seratus satu"),
    (111, "seratus sebelas"),
    (250, "dua ratus lima puluh"),
    (1_000, "seribu"),
    (1_001, "seribu satu"),
    (1_500, "seribu lima ratus"),
    (2_000, "dua ribu"),
    (11_000, "sebelas ribu"),
    (100_000, "seratus ribu"),
    (150_000, "seratus lima puluh ribu"),
    (1_000_000, "satu juta"),
    (1_807_500, "satu juta delapan ratus tujuh ribu lima ratus"),
    (21_000_000, "dua puluh satu juta"),
    (1_000_000_000, "satu miliar"),
    (2_500_000_000_000, "dua triliun lima ratus miliar"),
    (1_000_001_000, "satu miliar seribu"),
])
def test_numbers_in_words(number, words):
    assert terbilang(number) == words


def test_a_rupiah_amount_ends_in_rupiah():
    assert rupiah_in_words(1_500_000) == "satu juta lima ratus ribu rupiah"


def test_a_negative_amount_says_minus():
    assert rupiah_in_words(-75_000) == "minus tujuh puluh lima ribu rupiah"


def test_one_thousand_is_seribu_but_one_thousand_thousands_is_satu_juta():
    assert terbilang(1_000) == "seribu"
    assert terbilang(1_000_000) == "satu juta"
    assert "satu ribu" not in terbilang(1_100_000)
