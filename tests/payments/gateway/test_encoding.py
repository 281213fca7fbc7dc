from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest

from payments.gateway.encoding import form_encode, form_pairs


def test_nested_dicts_and_lists_become_bracketed_keys_in_order():
    params = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": "idr",
                    "unit_amount": 15_000_000,
                    "product_data": {"name": "PBG levy"},
                },
                "quantity": 1,
            }
        ],
        "payment_method_types": ["card", "va", "qris"],
        "metadata": {"invoice": "42", "application": "7"},
    }

    assert form_pairs(params) == [
        ("mode", "payment"),
        ("line_items[0][price_data][currency]", "idr"),
        ("line_items[0][price_data][unit_amount]", "15000000"),
        ("line_items[0][price_data][product_data][name]", "PBG levy"),
        ("line_items[0][quantity]", "1"),
        ("payment_method_types[0]", "card"),
        ("payment_method_types[1]", "va"),
        ("payment_method_types[2]", "qris"),
        ("metadata[invoice]", "42"),
        ("metadata[application]", "7"),
    ]


def test_none_is_left_out_but_an_empty_string_is_sent_to_clear_a_field():
    pairs = form_pairs({"reason": None, "description": "", "metadata": {"a": None, "b": "x"}})

    assert pairs == [("description", ""), ("metadata[b]", "x")]


def test_booleans_travel_lowercase():
    assert form_pairs({"capture": True, "nested": {"flag": False}}) == [
        ("capture", "true"),
        ("nested[flag]", "false"),
    ]


def test_aware_datetimes_travel_as_unix_seconds_and_naive_ones_are_refused():
    jakarta = timezone(timedelta(hours=7))
    moment = datetime(2026, 1, 1, 7, 0, tzinfo=jakarta)

    assert form_pairs({"expires_at": moment}) == [
        ("expires_at", str(int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())))
    ]
    with pytest.raises(ValueError):
        form_pairs({"expires_at": datetime(2026, 1, 1)})


def test_encoded_body_is_percent_encoded_and_reads_back():
    params = {"metadata": {"note": "a&b=c [x]"}, "success_url": "https://izin.test/ok?x=1"}

    body = form_encode(params)

    assert "&b=c" not in body
    assert parse_qsl(body) == [
        ("metadata[note]", "a&b=c [x]"),
        ("success_url", "https://izin.test/ok?x=1"),
    ]
