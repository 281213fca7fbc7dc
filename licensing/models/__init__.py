from licensing.models.applications import Application
from licensing.models.catalogue import (
    FieldKind,
    FileFormat,
    FormField,
    PaymentTiming,
    PermitType,
    RequiredDocument,
    RiskLevel,
)
from licensing.models.numbering import FormSubmission, Sequence
from licensing.models.people import (
    Business,
    BusinessInvitation,
    BusinessMembership,
    Kecamatan,
    MemberRole,
    User,
)

__all__ = [
    "Application",
    "Business",
    "BusinessInvitation",
    "BusinessMembership",
    "FieldKind",
    "FileFormat",
    "FormField",
    "FormSubmission",
    "Kecamatan",
    "MemberRole",
    "PaymentTiming",
    "PermitType",
    "RequiredDocument",
    "RiskLevel",
    "Sequence",
    "User",
]
