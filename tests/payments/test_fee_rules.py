"""Fee rules as administrators enter them: validated with clear messages in both languages,
edited on the permit type's admin page, and shown in words in the catalogue."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from payments.fees import FeeKind
from payments.models import FeeRule
from tests.factories import FeeRuleFactory, PermitTypeFactory, UserFactory
from tests.payments.support import building_type
from tests.portal import in_english

pytestmark = pytest.mark.django_db


def errors_of(rule: FeeRule, language="en") -> dict[str, list[str]]:
    with translation.override(language):
        try:
            rule.full_clean()
        except ValidationError as error:
            return error.message_dict
    return {}


def new_rule(permit_type, **settings) -> FeeRule:
    values = {"kind": FeeKind.FLAT, "label_id": "Retribusi", "label_en": "Levy",
              "account_code": "4.1.02.03.01.0001", "effective_from": date(2026, 1, 1),
              **settings}
    return FeeRule(permit_type=permit_type, **values)


def test_a_valid_rule_of_every_kind_passes():
    permit_type = building_type()
    for settings in (
        {"amount": 150_000},
        {"kind": FeeKind.PER_UNIT, "rate": 10_000, "field_key": "floor_area",
         "index_field_key": "building_function",
         "index_table": {"hunian": "1.00", "usaha": 1.5}},
        {"kind": FeeKind.AREA_MONTHS, "rate": 25_000, "field_key": "floor_area",
         "second_field_key": "floor_area"},
        {"kind": FeeKind.TIERED, "field_key": "floor_area",
         "tiers": [{"up_to": 100, "amount": 500_000}, {"up_to": None, "rate": 5_000}]},
    ):
        assert errors_of(new_rule(permit_type, label_id=str(settings), **settings)) == {}


def test_what_a_kind_needs_is_required_and_what_it_does_not_use_must_stay_empty():
    permit_type = building_type()
    errors = errors_of(new_rule(permit_type, kind=FeeKind.PER_UNIT, amount=5))
    assert errors["rate"] == ["Required for the kind “Rate per unit of an answer”."]
    assert errors["field_key"] == ["Required for the kind “Rate per unit of an answer”."]
    assert errors["amount"] == ["Leave this empty for the kind “Rate per unit of an answer”."]


def test_messages_are_in_indonesian_for_indonesian_readers():
    errors = errors_of(new_rule(building_type(), amount=None), language="id")
    assert errors["amount"] == ["Wajib diisi untuk jenis “Jumlah tetap”."]


def test_field_keys_must_name_a_number_field_of_the_type():
    permit_type = building_type()
    errors = errors_of(new_rule(permit_type, kind=FeeKind.PER_UNIT, rate=1,
                                field_key="building_function"))
    assert errors["field_key"] == [
        "This permit type has no number field with the key “building_function”."]
    errors = errors_of(new_rule(permit_type, kind=FeeKind.PER_UNIT, rate=1,
                                field_key="floor_area", index_field_key="floor_area",
                                index_table={"x": 1}))
    assert errors["index_field_key"] == [
        "This permit type has no choice field with the key “floor_area”."]


def test_the_index_table_must_cover_exactly_the_choices_with_positive_numbers():
    permit_type = building_type()
    base = {"kind": FeeKind.PER_UNIT, "rate": 1, "field_key": "floor_area",
            "index_field_key": "building_function"}
    errors = errors_of(new_rule(permit_type, **base, index_table={"usaha": 1, "gudang": 2}))
    assert "Give an index for every choice; missing: hunian." in errors["index_table"]
    assert "These are not choices of the field: gudang." in errors["index_table"]
    errors = errors_of(new_rule(permit_type, **base,
                                index_table={"usaha": "-1", "hunian": "satu"}))
    assert errors["index_table"] == [
        "The index must be a number above zero for: hunian, usaha."]
    errors = errors_of(new_rule(permit_type, kind=FeeKind.PER_UNIT, rate=1,
                                field_key="floor_area", index_field_key="building_function"))
    assert errors["index_table"][0].startswith("Give both the index field key and the index")


@pytest.mark.parametrize(("tiers", "message"), [
    ([{"up_to": 100, "amount": 1}],
     'The last bracket must be open-ended ("up_to": null), so that every answer falls in a '
     "bracket."),
    ([{"up_to": None, "amount": 1}, {"up_to": None, "amount": 2}],
     "Bracket 1: only the last bracket may be open-ended (up_to null)."),
    ([{"up_to": 100, "amount": 1, "rate": 2}, {"up_to": None, "amount": 2}],
     "Bracket 1: give either an amount or a rate."),
    ([{"up_to": 100, "amount": 0.5}, {"up_to": None, "amount": 2}],
     "Bracket 1: the amount or rate must be whole rupiah above zero."),
    ([{"up_to": 100, "amount": 1}, {"up_to": 50, "amount": 1}, {"up_to": None, "amount": 2}],
     "Bracket 2: up_to must be higher than the bracket before."),
    ([{"amount": 1}], "Bracket 1: use the key up_to and one of amount or rate."),
    ([{"up_to": "banyak", "amount": 1}, {"up_to": None, "amount": 1}],
     "Bracket 1: up_to must be a number above zero, or null."),
])
def test_brackets_are_checked(tiers, message):
    rule = new_rule(building_type(), kind=FeeKind.TIERED, field_key="floor_area", tiers=tiers)
    assert message in errors_of(rule)["tiers"]


@pytest.mark.parametrize("code", ["4.1.02", "4-1-02-03", "kode", "4.1.02.03.01.0001.1.2.3"])
def test_the_revenue_account_code_has_its_format(code):
    errors = errors_of(new_rule(building_type(), amount=1, account_code=code))
    assert errors["account_code"] == [
        "Write the revenue account code as numbers separated by dots, e.g. 4.1.02.03.01.0001."]


def test_the_period_is_in_order():
    errors = errors_of(new_rule(building_type(), amount=1, effective_from=date(2026, 2, 1),
                                effective_to=date(2026, 1, 31)))
    assert errors["effective_to"] == ["The last day cannot be before the first day."]
    with pytest.raises(IntegrityError):
        FeeRuleFactory(effective_from=date(2026, 2, 1), effective_to=date(2026, 1, 31))


def test_a_new_tariff_for_the_same_line_must_close_the_old_one_first():
    permit_type = PermitTypeFactory(paid_before_review=True, fee_rules=[])
    old = FeeRuleFactory(permit_type=permit_type, label_id="Retribusi",
                         effective_from=date(2026, 1, 1))
    successor = new_rule(permit_type, amount=200_000, effective_from=date(2027, 1, 1))
    assert errors_of(successor)["effective_from"] == [
        "Another rule with this label is in force from 1 January 2026; set its last day "
        "before this one starts."]
    old.effective_to = date(2026, 12, 31)
    old.save()
    assert errors_of(successor) == {}


def test_the_tariff_is_edited_on_the_permit_type_admin_page(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    permit_type = building_type()
    response = in_english(client).get(
        reverse("admin:licensing_permittype_change", args=[permit_type.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="fee_rules-0-rate"' in page and 'value="10000"' in page
    for url in (reverse("admin:payments_feerule_changelist"),
                reverse("admin:payments_feerule_add"),
                reverse("admin:payments_invoice_changelist")):
        assert client.get(url).status_code == 200


def test_the_admin_refuses_a_wrong_rule_with_its_message(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    permit_type = building_type()
    response = in_english(client).post(reverse("admin:payments_feerule_add"), {
        "permit_type": permit_type.pk, "position": "1", "kind": "tiered",
        "label_id": "Retribusi", "label_en": "Levy", "account_code": "4.1.02.03.01.0002",
        "effective_from": "2026-01-01", "field_key": "floor_area",
        "index_table": "{}", "tiers": '[{"up_to": 100, "amount": 5}]',
    })
    assert response.status_code == 200
    assert "The last bracket must be open-ended" in response.content.decode()
    assert FeeRule.objects.filter(permit_type=permit_type).count() == 1


def test_the_catalogue_shows_the_tariff_in_words(client):
    permit_type = building_type()
    response = in_english(client).get(reverse("catalogue_detail", args=[permit_type.code]))
    page = response.content.decode()
    assert "Building approval levy" in page
    assert ("Rp 10.000 per m² of Floor area × index by Building function: Residential 1; "
            "Business 1.5") in page
    assert "from 1 January 2020" in page


def test_the_catalogue_says_a_free_permit_is_free(client):
    permit_type = PermitTypeFactory()
    page = in_english(client).get(reverse("catalogue_detail", args=[permit_type.code]))
    assert "This permit is free of charge." in page.content.decode()


def test_the_catalogue_leaves_out_tariffs_that_ended(client):
    permit_type = PermitTypeFactory(paid_after_approval=True, fee_rules=[])
    FeeRuleFactory(permit_type=permit_type, label_en="Old levy", amount=1_000,
                   effective_from=date(2020, 1, 1), effective_to=date(2021, 12, 31))
    FeeRuleFactory(permit_type=permit_type, label_en="Levy", amount=2_000,
                   effective_from=date(2022, 1, 1))
    page = in_english(client).get(reverse("catalogue_detail", args=[permit_type.code]))
    assert "Old levy" not in page.content.decode()
    assert "Rp 2.000" in page.content.decode()
