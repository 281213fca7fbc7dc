"""Factories with lifecycle traits: ``ApplicationFactory(in_review=True)`` and so on."""

from datetime import date

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from licensing.models import (
    Application,
    Business,
    BusinessMembership,
    FormField,
    MemberRole,
    PaymentTiming,
    PermitType,
    RequiredDocument,
    RiskLevel,
    User,
)
from payments.models import FeeRule
from workflows.models import ReviewStep, ReviewUnit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.id")
    full_name = factory.Faker("name", locale="id_ID")
    # Confirmed, as every account that acts in Izin is; tests of confirmation pass None.
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "rahasia-123")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        for name in extracted or ():
            self.groups.add(Group.objects.get_or_create(name=name)[0])
        if create:
            self.save()


def _nib(n: int) -> str:
    return f"{9120000000000 + n:013d}"


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business
        skip_postgeneration_save = True

    legal_name = factory.Sequence(lambda n: f"PT Usaha Maju {n}")
    nib = factory.Sequence(_nib)
    npwp = factory.Sequence(lambda n: f"{10000000000000 + n:015d}")
    street_address = "Jl. Jenderal Sudirman No. 1"
    kecamatan = "sail"
    kelurahan = "Cinta Raja"
    kbli_codes = factory.LazyFunction(lambda: ["56101"])

    @factory.post_generation
    def owner(self, create, extracted, **kwargs):
        if extracted is not None:
            BusinessMembership.objects.create(business=self, user=extracted, role=MemberRole.OWNER)


class PermitTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PermitType
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name_id = factory.Sequence(lambda n: f"Izin Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Permit {n}")
    risk_level = RiskLevel.MEDIUM_HIGH
    payment_timing = PaymentTiming.NEVER
    validity_months = 12

    class Params:
        paid_after_approval = factory.Trait(payment_timing=PaymentTiming.AFTER_APPROVAL)
        paid_before_review = factory.Trait(payment_timing=PaymentTiming.BEFORE_REVIEW)

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        """``steps=["agency_a", ["agency_b", "agency_c"]]``: one step per item, parallel groups
        as a list. Default: no steps (approved on submission)."""
        for position, groups in enumerate(extracted or (), start=1):
            names = [groups] if isinstance(groups, str) else groups
            step = ReviewStep.objects.create(
                permit_type=self, position=position, name_id=f"Langkah {position}",
                name_en=f"Step {position}", sla_working_days=3,
            )
            step.groups.set([Group.objects.get_or_create(name=n)[0] for n in names])

    @factory.post_generation
    def fee_rules(self, create, extracted, **kwargs):
        """A paid type bills a flat Rp 150.000 unless ``fee_rules=[{...}, ...]`` says otherwise
        (``[]``: no tariff at all)."""
        if not create or (extracted is None and (self.is_free or self.fee_rules.exists())):
            return
        for position, values in enumerate([{}] if extracted is None else extracted, start=1):
            FeeRuleFactory(permit_type=self, position=position, **values)


class FeeRuleFactory(factory.django.DjangoModelFactory):
    """A flat fee in force since 2020; pass ``kind`` and its settings for the other kinds."""

    class Meta:
        model = FeeRule

    permit_type = factory.SubFactory(PermitTypeFactory)
    label_id = factory.Sequence(lambda n: f"Retribusi {n}")
    label_en = factory.Sequence(lambda n: f"Levy {n}")
    kind = "flat"
    amount = 150_000
    account_code = "4.1.02.03.01.0001"
    effective_from = date(2020, 1, 1)


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    permit_type = factory.SubFactory(PermitTypeFactory)
    name_id = factory.Sequence(lambda n: f"Dokumen {n}")
    name_en = factory.Sequence(lambda n: f"Document {n}")
    accepted_formats = factory.LazyFunction(lambda: ["pdf", "jpeg", "png"])
    max_size_kb = 1024


class FormFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormField

    permit_type = factory.SubFactory(PermitTypeFactory)
    key = factory.Sequence(lambda n: f"field_{n}")
    label_id = factory.Sequence(lambda n: f"Isian {n}")
    label_en = factory.Sequence(lambda n: f"Field {n}")
    kind = "text"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"group_{n}")


class ReviewUnitFactory(factory.django.DjangoModelFactory):
    """The name people see for a group: ``ReviewUnitFactory(group__name="dinas_pupr")``."""

    class Meta:
        model = ReviewUnit

    group = factory.SubFactory(GroupFactory)
    name_id = factory.Sequence(lambda n: f"Dinas Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Office {n}")


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft by default. Lifecycle states are reached through the real services in
    ``tests/lifecycle.py``, never by writing the state field."""

    class Meta:
        model = Application

    reference = factory.Sequence(lambda n: f"TST-2026-{n:06d}")
    business = factory.SubFactory(BusinessFactory)
    permit_type = factory.SubFactory(PermitTypeFactory)
    created_by = factory.SubFactory(UserFactory)
