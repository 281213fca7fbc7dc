"""What the API reads and writes, and its schema. Money is whole rupiah (integers); dates ISO."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

MAX_FILE_FIELD = 255


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   required=False)


class Error(serializers.Serializer):
    error = ErrorDetail()


# The catalogue.

class RequiredDocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    accepted_formats = serializers.ListField(child=serializers.CharField())
    max_size_kb = serializers.IntegerField()
    mandatory = serializers.BooleanField()


class FormFieldOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.CharField()
    required = serializers.BooleanField()
    unit = serializers.CharField(source="unit_label")
    choices = serializers.SerializerMethodField()
    min_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                         coerce_to_string=False)
    max_value = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True,
                                         coerce_to_string=False)

    def get_choices(self, field) -> list[str]:
        return [value for value, _label in field.choice_pairs()]


class PermitTypeOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    risk_level = serializers.CharField()
    validity_months = serializers.IntegerField(allow_null=True)
    service_standard_days = serializers.IntegerField()
    is_free = serializers.BooleanField()


class PermitTypeDetailOut(PermitTypeOut):
    required_documents = RequiredDocumentOut(many=True)
    form_fields = FormFieldOut(many=True)


# Applications.

class ApplicationIn(serializers.Serializer):
    business_nib = serializers.RegexField(r"^\d{13}$", help_text=_("The business's NIB."))
    permit_type = serializers.CharField(max_length=20, help_text=_("The permit type's code."))
    answers = serializers.JSONField(required=False, default=dict)


class ApplicationOut(serializers.Serializer):
    reference = serializers.CharField()
    business_nib = serializers.CharField(source="business.nib")
    permit_type = serializers.CharField(source="permit_type.code")
    purpose = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    filed_at_counter = serializers.BooleanField()
    answers = serializers.JSONField()
    missing = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    paid_at = serializers.DateTimeField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)

    def get_missing(self, application) -> list[str]:
        return [str(item) for item in application.missing_requirements()]


class DocumentIn(serializers.Serializer):
    requirement = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    file = serializers.FileField(max_length=MAX_FILE_FIELD, allow_empty_file=False)


class AttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    requirement = serializers.IntegerField(source="requirement_id")
    version = serializers.IntegerField()
    original_name = serializers.CharField()
    file_format = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class TimelineEntryOut(serializers.Serializer):
    at = serializers.DateTimeField()
    event = serializers.CharField()
    label = serializers.CharField()
    actor = serializers.CharField()
    note = serializers.CharField()


class PaymentOut(serializers.Serializer):
    attempt = serializers.IntegerField()
    method = serializers.CharField()
    state = serializers.CharField()
    amount = serializers.IntegerField()
    amount_received = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    succeeded_at = serializers.DateTimeField(allow_null=True)


class BillOut(serializers.Serializer):
    number = serializers.CharField()
    billing_code = serializers.CharField()
    state = serializers.CharField()
    total = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    paid_at = serializers.DateTimeField(allow_null=True)
    payments = PaymentOut(many=True)


# Permits.

class PermitHolderOut(serializers.Serializer):
    name = serializers.CharField()
    nib = serializers.CharField()


class PermitTypeRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PermitOut(serializers.Serializer):
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()
    valid = serializers.BooleanField()
    holder = PermitHolderOut()
    permit_type = PermitTypeRefOut()
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)
    sha256 = serializers.CharField()
    superseded_by = serializers.DictField(allow_null=True)


class PermitCheckIn(serializers.Serializer):
    file = serializers.FileField(max_length=MAX_FILE_FIELD, allow_empty_file=False)


class PermitCheckOut(serializers.Serializer):
    sha256 = serializers.CharField()
    identical = serializers.BooleanField()
    signed = serializers.BooleanField()
    signature_holds = serializers.BooleanField()


# The treasury.

class LedgerEntryOut(serializers.Serializer):
    id = serializers.IntegerField()
    book_day = serializers.DateField()
    occurred_on = serializers.DateField()
    kind = serializers.CharField()
    method = serializers.CharField()
    amount = serializers.IntegerField()
    account_code = serializers.CharField()
    permit_type = serializers.CharField(source="permit_type.code", allow_null=True)
    invoice = serializers.CharField(source="invoice.number", allow_null=True)
    created_at = serializers.DateTimeField()


class DailyCloseOut(serializers.Serializer):
    day = serializers.DateField()
    sts_number = serializers.CharField(allow_null=True)
    entry_count = serializers.IntegerField()
    total = serializers.IntegerField()
    closed_at = serializers.DateTimeField()


# OSS.

class NibReceivedOut(serializers.Serializer):
    nib = serializers.CharField()
    created = serializers.BooleanField()
