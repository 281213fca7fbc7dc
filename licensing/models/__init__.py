from licensing.models.applications import Application, Purpose
from licensing.models.catalogue import (
    FieldKind,
    FileFormat,
    FormField,
    PaymentTiming,
    PermitType,
    RequiredDocument,
    RiskLevel,
)
from licensing.models.claims import NibClaim, NibClaimState
from licensing.models.numbering import FormSubmission, Sequence
from licensing.models.people import (
    Business,
    BusinessInvitation,
    BusinessMembership,
    Kecamatan,
    MemberRole,
    User,
)
from licensing.models.permits import Permit, PermitState, Signer

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
    "NibClaim",
    "NibClaimState",
    "PaymentTiming",
    "Permit",
    "PermitState",
    "PermitType",
    "Purpose",
    "RequiredDocument",
    "RiskLevel",
    "Sequence",
    "Signer",
    "User",
]
