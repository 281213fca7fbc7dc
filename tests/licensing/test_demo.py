"""`manage.py seed_demo`: the demo data `make run` serves, loaded idempotently."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from demo.people import ACCOUNTS, BUSINESS, DEMO_PASSWORD
from documents.services import attachment_upload
from licensing import roles, services
from licensing.models import (
    Business,
    BusinessMembership,
    FormField,
    PaymentTiming,
    PermitType,
    RequiredDocument,
    RiskLevel,
    User,
)
from licensing.states import ApplicationState
from payments.models import FeeRule
from payments.selectors import fee_quote_for
from tests.lifecycle import Upload, pdf_bytes, png_bytes
from tests.signin import sign_in
from workflows.models import ReviewStep, ReviewUnit
from workflows.states import StepKind

pytestmark = pytest.mark.django_db

SERVICES = {"PBG", "REKLAME", "SLHS", "TDUP", "SIP", "SPPL"}


def seed(permits: bool = False, **options) -> str:
    """Without the demo permits (signing five PDFs) unless asked: test_permit_demo has them."""
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out, permits=permits, **options)
    return out.getvalue()


def snapshot() -> dict:
    """Every row the demo writes, with every value (including password hashes and m2m)."""
    models = (Group, ReviewUnit, PermitType, RequiredDocument, FormField, ReviewStep,
              FeeRule, Business, BusinessMembership, User)
    return {
        model.__name__: sorted(
            (repr(sorted(model_to_dict(row).items(), key=lambda kv: kv[0])) for row in
             model.objects.all()),
        )
        for model in models
    } | {
        "group_permissions": sorted(
            Group.permissions.through.objects.values_list("group__name", "permission__codename")
        ),
        "user_groups": sorted(
            User.groups.through.objects.values_list("user__email", "group__name")
        ),
        "step_groups": sorted(
            ReviewStep.groups.through.objects.values_list("reviewstep_id", "group__name")
        ),
    }


def test_second_run_changes_nothing():
    seed(permits=True)
    first = snapshot()
    output = seed(permits=True)
    assert snapshot() == first
    assert "nothing new" in output
    assert sum(len(rows) for rows in first.values()) > 100


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", stdout=StringIO())
    assert not PermitType.objects.exists()


def test_runs_without_force_when_debug_is_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    assert PermitType.objects.filter(code="PBG").exists()


def test_prints_every_account_with_the_password_and_where_to_go():
    output = seed()
    for account in ACCOUNTS:
        assert account["email"] in output
    assert DEMO_PASSWORD in output
    assert "http://127.0.0.1:8000/" in output


def test_every_demo_account_logs_in_with_the_printed_password(client):
    seed()
    for account in ACCOUNTS:
        assert sign_in(client, account["email"], DEMO_PASSWORD), account["email"]
        client.logout()


def test_a_changed_demo_password_is_put_back(client):
    seed()
    user = User.objects.get(email=ACCOUNTS[0]["email"])
    user.set_password("something-else-123")
    user.save()
    seed()
    assert sign_in(client, user.email, DEMO_PASSWORD)


def test_six_services_with_documents_fields_and_steps():
    seed()
    assert set(PermitType.objects.values_list("code", flat=True)) >= SERVICES
    for permit_type in PermitType.objects.filter(code__in=SERVICES):
        assert permit_type.required_documents.filter(mandatory=True).exists(), permit_type
        assert permit_type.form_fields.exists(), permit_type
        assert permit_type.name_id and permit_type.name_en
        assert permit_type.format_permit_number(seq=7, year=2026)
        if permit_type.risk_level != RiskLevel.LOW:
            assert permit_type.review_steps.exists(), permit_type
            last = permit_type.review_steps.order_by("position").last()
            assert list(last.groups.values_list("name", flat=True)) == [roles.HEAD_OF_OFFICE]


def test_catalogue_rows_pass_model_validation():
    seed()
    for model in (PermitType, RequiredDocument, FormField, ReviewStep, FeeRule, Business):
        for row in model.objects.all():
            row.full_clean()


def test_low_risk_registration_has_no_steps_and_is_free():
    seed()
    tdup = PermitType.objects.get(code="TDUP")
    assert tdup.risk_level == RiskLevel.LOW
    assert not tdup.review_steps.exists()
    assert tdup.is_free


def test_low_risk_registration_is_approved_on_submission():
    seed()
    owner = User.objects.get(email=ACCOUNTS[0]["email"])
    business = Business.objects.get(nib=BUSINESS["nib"])
    tdup = PermitType.objects.get(code="TDUP")
    application = services.application_create(
        business=business, permit_type=tdup, actor=owner,
        answers={"tourism_kind": "kafe", "opening_date": "2026-09-01",
                 "venue": {"street": "Jl. Riau No. 5", "kelurahan": "Padang Terubuk",
                           "kecamatan": "senapelan"}},
    )
    for requirement in tdup.required_documents.all():
        content, name = (pdf_bytes(), "doc.pdf")
        if "pdf" not in requirement.accepted_formats:
            content, name = (png_bytes(), "photo.png")
        attachment_upload(application=application, requirement=requirement, actor=owner,
                          uploaded_file=Upload(content, name))
    application = services.application_submit(application=application, actor=owner)
    assert application.state == ApplicationState.APPROVED


def test_building_approval_is_paid_after_approval_and_inspected_on_site():
    seed()
    pbg = PermitType.objects.get(code="PBG")
    assert pbg.payment_timing == PaymentTiming.AFTER_APPROVAL
    assert {"floor_area", "floors", "building_function", "location"} <= set(
        pbg.form_fields.values_list("key", flat=True)
    )
    assert pbg.form_fields.get(key="floor_area").unit == "m²"
    steps = list(pbg.review_steps.order_by("position"))
    assert [list(s.groups.values_list("name", flat=True)) for s in steps] == [
        [roles.FRONT_OFFICE], ["dinas_pupr"], ["dinas_pupr"], [roles.HEAD_OF_OFFICE]
    ]
    inspection = steps[2]
    assert inspection.kind == StepKind.INSPECTION and inspection.checklist


def test_billboard_permit_is_reviewed_by_two_agencies_in_parallel():
    seed()
    reklame = PermitType.objects.get(code="REKLAME")
    assert reklame.payment_timing == PaymentTiming.AFTER_APPROVAL
    assert {"area", "duration"} <= set(reklame.form_fields.values_list("key", flat=True))
    parallel = [s for s in reklame.review_steps.all() if s.groups.count() > 1]
    assert len(parallel) == 1
    assert set(parallel[0].groups.values_list("name", flat=True)) == {"bapenda", "satpol_pp"}


def test_paid_services_have_a_tariff_with_revenue_account_codes_and_free_ones_none():
    seed()
    for permit_type in PermitType.objects.filter(code__in=SERVICES):
        rules = permit_type.fee_rules.all()
        assert rules.exists() != permit_type.is_free, permit_type
        for rule in rules:
            assert rule.account_code.startswith("4.1."), rule


@pytest.mark.parametrize(("code", "answers", "total"), [
    # 150 m² of business floor area × Rp 8.000 × index 3,00.
    ("PBG", {"floor_area": 150, "building_function": "usaha"}, 3_600_000),
    ("PBG", {"floor_area": 120, "building_function": "hunian"}, 960_000),
    # 4,5 m² × 12 months × Rp 25.000.
    ("REKLAME", {"area": 4.5, "duration": 12}, 1_350_000),
])
def test_the_demo_tariffs_price_an_application(code, answers, total):
    seed()
    owner = User.objects.get(email=ACCOUNTS[0]["email"])
    application = services.application_create(
        business=Business.objects.get(nib=BUSINESS["nib"]),
        permit_type=PermitType.objects.get(code=code), actor=owner, answers=answers,
    )
    quote = fee_quote_for(application=application, on=date(2026, 11, 28))
    assert quote.breakdown is not None, quote.problem
    assert quote.breakdown.total == total


def test_health_services_are_free_and_the_practice_licence_asks_for_nik_and_str():
    seed()
    for code in ("SLHS", "SIP"):
        assert PermitType.objects.get(code=code).is_free
    keys = set(PermitType.objects.get(code="SIP").form_fields.values_list("key", flat=True))
    assert {"nik", "str_number"} <= keys
    slhs_steps = PermitType.objects.get(code="SLHS").review_steps
    assert slhs_steps.filter(kind=StepKind.INSPECTION, groups__name="dinas_kesehatan").exists()


def test_every_step_group_has_a_demo_reviewer_and_pbg_has_two_at_pupr():
    """The demo can be walked end to end: four-eyes needs two people for PBG's two PUPR steps."""
    seed()
    step_groups = set(ReviewStep.objects.values_list("groups__name", flat=True))
    for name in step_groups:
        assert User.objects.filter(groups__name=name).exists(), name
    assert User.objects.filter(groups__name="dinas_pupr").count() >= 2


def test_roles_and_agency_groups_exist():
    seed()
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.STAFF_GROUPS) <= names
    assert {"dinas_pupr", "dinas_kesehatan", "dinas_pariwisata", "bapenda",
            "dinas_lingkungan_hidup", "satpol_pp"} <= names


def test_every_demo_group_has_a_unit_name_in_both_languages():
    seed()
    for group in Group.objects.all():
        unit = ReviewUnit.objects.get(group=group)
        assert unit.name_id and unit.name_en, group.name
        assert group.name not in (unit.name_id, unit.name_en)
    assert ReviewUnit.objects.get(group__name="dinas_pupr").name_en == (
        "Public Works and Spatial Planning Office (PUPR)"
    )


def test_business_owner_acts_for_a_valid_business():
    seed()
    owner = User.objects.get(email=ACCOUNTS[0]["email"])
    membership = owner.memberships.get()
    assert membership.role == "owner"
    membership.business.full_clean()
    assert membership.business.kbli_codes


def test_administrator_is_a_superuser():
    seed()
    admin = User.objects.get(groups__name=roles.ADMINISTRATOR)
    assert admin.is_staff and admin.is_superuser


def test_each_permit_type_has_a_service_standard_that_holds_its_steps():
    seed()
    for permit_type in PermitType.objects.all():
        slas = sum(permit_type.review_steps.values_list("sla_working_days", flat=True))
        assert permit_type.service_standard_days >= max(slas, 1)




def test_the_demo_tariffs_bill_levies_by_their_legal_names_and_units_read_in_english():
    """The SKRD bills regional levies (retribusi): no line is a tax. A unit that is not written
    the same in English (lantai, bulan) has its English name."""
    seed()
    for rule in FeeRule.objects.all():
        assert rule.label_id.startswith("Retribusi "), rule.label_id
        assert "levy" in rule.label_en and "tax" not in rule.label_en.lower(), rule.label_en
        assert rule.account_code.startswith("4.1.02."), rule  # revenue from levies, not taxes
    for field in FormField.objects.exclude(unit="").exclude(unit="m²"):
        assert field.unit_en and field.unit_en != field.unit, field.key


def test_a_renamed_demo_fee_rule_is_updated_in_place():
    seed()
    reklame = PermitType.objects.get(code="REKLAME")
    FeeRule.objects.filter(permit_type=reklame).update(label_id="Pajak Reklame",
                                                       label_en="Billboard tax")
    seed()
    [rule] = FeeRule.objects.filter(permit_type=reklame)
    assert rule.label_id.startswith("Retribusi ")


def test_the_evaluation_demo_shows_an_index_and_complaints_and_loads_once():
    from evaluation.ikm import ikm_for
    from evaluation.models import Complaint, ReportRecipient, SurveyResponse

    seed()
    seed()
    today = timezone.localdate()
    index = ikm_for(start=today.replace(day=1), end=today + timedelta(days=1))
    assert index.responses == SurveyResponse.objects.count() == 12
    assert index.grade in {"A", "B"}
    assert sorted(Complaint.objects.values_list("state", flat=True)) == ["answered", "received"]
    assert ReportRecipient.objects.get().email == "kepala@izin.test"
