"""Write the demo data. Idempotent: every row is found by its natural key and brought to the
values in the data, so a second run changes nothing. Rows the data does not name are left alone."""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.catalogue import FEE_LEGAL_BASIS, PERMIT_TYPES
from demo.evaluation import seed_evaluation
from demo.people import (
    ACCOUNTS,
    ADMINISTRATOR_MODELS,
    BUSINESS,
    DEMO_DEVICE,
    DEMO_PASSWORD,
    GROUPS,
    SIGNER,
    UNITS,
)
from demo.permits import seed_permits
from demo.treasury import seed_treasury
from licensing.models import (
    Business,
    BusinessMembership,
    FormField,
    PermitType,
    RequiredDocument,
    Signer,
    User,
)
from licensing.roles import ADMINISTRATOR
from payments.models import FeeRule
from workflows.models import ReviewStep, ReviewUnit


@dataclass
class SeedReport:
    """How many rows of each kind the run created (zero on a second run)."""

    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)


# Every demo account's address is in this domain (a reserved top-level domain: no real person
# has one), so an account outside it is someone's real data.
DEMO_EMAIL_DOMAIN = "@izin.test"


def non_demo_accounts() -> int:
    """How many accounts the demo did not make: any whose e-mail is outside the demo's domain.
    Every real site has at least one (its administrator), and every business that signs up
    brings its owner, so a database holding real data always has some."""
    return User.objects.exclude(email__iendswith=DEMO_EMAIL_DOMAIN).count()


@transaction.atomic
def seed_demo(*, permits: bool = True, treasury: bool | None = None) -> SeedReport:
    report = SeedReport()
    groups = _seed_groups(report)
    for data in PERMIT_TYPES:
        _seed_permit_type(data, groups, report)
    _seed_people(groups, report)
    _seed_signer(report)
    if permits:
        # Issuing signs: `signing_init` has made the key first (the Makefile runs it before).
        seed_permits(owner=User.objects.get(email=ACCOUNTS[0]["email"]),
                     business=Business.objects.get(nib=BUSINESS["nib"]), count=report.count)
    if treasury is None:
        # The month's paid bills issue their permits after commit, which signs too.
        treasury = permits
    if treasury:
        # A month of bills, payments, settlements and bank lines for the treasury's pages.
        seed_treasury(report=report)
    seed_evaluation(report=report)
    return report


def _seed_signer(report: SeedReport) -> None:
    """A signer for the demo's permits, unless an administrator has already named one."""
    created = not Signer.objects.filter(is_active=True).exists()
    if created:
        Signer.objects.create(is_active=True, **SIGNER)
    report.count("signers", created)


def _seed_groups(report: SeedReport) -> dict[str, Group]:
    groups = {}
    for name in GROUPS:
        groups[name], created = Group.objects.get_or_create(name=name)
        report.count("groups", created)
        name_id, name_en = UNITS[name]
        _unit, created = ReviewUnit.objects.update_or_create(
            group=groups[name], defaults={"name_id": name_id, "name_en": name_en}
        )
        report.count("unit names", created)
    catalogue = Q()
    for app_label, model in ADMINISTRATOR_MODELS:
        catalogue |= Q(content_type__app_label=app_label, content_type__model=model)
    groups[ADMINISTRATOR].permissions.add(*Permission.objects.filter(catalogue))
    return groups


def _seed_permit_type(data: dict, groups: dict[str, Group], report: SeedReport) -> None:
    values = {k: v for k, v in data.items() if k not in ("documents", "fields", "steps", "fees")}
    # The service standard: the steps' SLAs end to end, and never under ten working days.
    values.setdefault("service_standard_days",
                      max(10, sum(step["sla_working_days"] for step in data["steps"])))
    values.setdefault("fee_legal_basis", FEE_LEGAL_BASIS if data.get("fees") else "")
    code = values.pop("code")
    permit_type, created = PermitType.objects.update_or_create(code=code, defaults=values)
    report.count("permit types", created)
    for position, document in enumerate(data["documents"], start=1):
        _row, created = RequiredDocument.objects.update_or_create(
            permit_type=permit_type, name_id=document["name_id"],
            defaults={**document, "position": position},
        )
        report.count("required documents", created)
    for position, question in enumerate(data["fields"], start=1):
        _row, created = FormField.objects.update_or_create(
            permit_type=permit_type, key=question["key"],
            defaults={**question, "position": position},
        )
        report.count("form fields", created)
    for position, step_data in enumerate(data["steps"], start=1):
        values = {k: v for k, v in step_data.items() if k != "groups"}
        step, created = ReviewStep.objects.update_or_create(
            permit_type=permit_type, position=position, defaults=values
        )
        step.groups.set([groups[name] for name in step_data["groups"]])
        report.count("review steps", created)
    for position, rule in enumerate(data.get("fees", ()), start=1):
        # By place in the tariff, like the steps: a rule renamed in the catalogue (a tax line
        # relabelled as the levy it is) is updated in place, not billed twice.
        values = {k: v for k, v in rule.items() if k != "effective_from"}
        _row, created = FeeRule.objects.update_or_create(
            permit_type=permit_type, position=position,
            effective_from=rule["effective_from"], defaults=values,
        )
        report.count("fee rules", created)


def _seed_people(groups: dict[str, Group], report: SeedReport) -> None:
    business, created = Business.objects.update_or_create(
        nib=BUSINESS["nib"], defaults={k: v for k, v in BUSINESS.items() if k != "nib"}
    )
    report.count("businesses", created)
    for account in ACCOUNTS:
        user, created = User.objects.update_or_create(
            email=account["email"],
            defaults={
                "full_name": account["full_name"],
                "is_active": True,
                "is_staff": account.get("is_staff", False),
                "is_superuser": account.get("is_superuser", False),
            },
        )
        # A fresh hash every run would change the row; set it only when it no longer matches.
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set([groups[name] for name in account["groups"]])
        report.count("accounts", created)
        if user.email_verified_at is None:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        if account["groups"] or account.get("is_staff"):
            # Staff sign in with a second factor; `manage.py demo_code <e-mail>` shows the code
            # an authenticator app would.
            _device, made = TOTPDevice.objects.get_or_create(
                user=user, name=DEMO_DEVICE, defaults={"confirmed": True})
            report.count("authenticators", made)
        if "business_role" in account:
            BusinessMembership.objects.update_or_create(
                business=business, user=user, defaults={"role": account["business_role"]}
            )
