from urllib.parse import urlencode

import pytest
from stripe._encode import _api_encode

from payments.sandbox.formdata import MalformedKey, parse_form


def test_bracketed_keys_become_nested_dicts_and_lists():
    body = "a[b][0][c]=x&a[b][1][c]=y&metadata[invoice]=42&payment_method_types[0]=card"
    assert parse_form(body) == {
        "a": {"b": [{"c": "x"}, {"c": "y"}]},
        "metadata": {"invoice": "42"},
        "payment_method_types": ["card"],
    }


def test_indexes_order_the_list_not_the_arrival():
    assert parse_form("t[1]=second&t[0]=first&t[10]=last") == {"t": ["first", "second", "last"]}


def test_empty_brackets_append():
    assert parse_form("expand[]=a&expand[]=b") == {"expand": ["a", "b"]}


def test_blank_values_are_kept_and_plus_is_space():
    assert parse_form("metadata[note]=&name=PBG+fee") == {"metadata": {"note": ""},
                                                          "name": "PBG fee"}


def test_what_the_official_sdk_encodes_reads_back_unchanged():
    params = {
        "mode": "payment",
        "line_items": [{"price_data": {"currency": "idr", "unit_amount": 150000000,
                                       "product_data": {"name": "Retribusi PBG & IMB"}},
                        "quantity": 2}],
        "payment_intent_data": {"metadata": {"invoice": "SKRD/2026/00042"}},
    }
    decoded = parse_form(urlencode(list(_api_encode(params))))
    assert decoded == {
        "mode": "payment",
        "line_items": [{"price_data": {"currency": "idr", "unit_amount": "150000000",
                                       "product_data": {"name": "Retribusi PBG & IMB"}},
                        "quantity": "2"}],
        "payment_intent_data": {"metadata": {"invoice": "SKRD/2026/00042"}},
    }


@pytest.mark.parametrize("body", ["a[b=1", "[x]=1", "a]b[=1", "a[b]=1&a[b][c]=2",
                                  "a[b][c]=2&a[b]=1"])
def test_malformed_or_conflicting_keys_are_refused(body):
    with pytest.raises(MalformedKey):
        parse_form(body)
