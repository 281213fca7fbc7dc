"""OSS, the national registry, sends a business identity (``receiveNIB``): Izin creates or
updates the business. Authenticated by a key of the ``oss`` scope, which nothing else has."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from api.base import CreateView
from api.errors import ApiError
from api.scopes import Scope
from api.serializers import NibReceivedOut
from licensing.oss import (
    MAX_BODY_BYTES,
    OssRecordInvalid,
    OssRecordRefused,
    business_from_oss,
    nib_record_parse,
)


def body_limit_bytes() -> int:
    return MAX_BODY_BYTES


class ReceiveNib(CreateView):
    scope = Scope.OSS
    # OSS sends no Idempotency-Key, and needs none: the same identity applied twice changes
    # nothing the second time. One that is sent is honoured.
    idempotency_key_required = False

    @extend_schema(request={"application/json": {"type": "object", "properties": {
        "dataNIB": {"type": "object", "additionalProperties": True}}, "required": ["dataNIB"]}},
        responses={200: NibReceivedOut, 201: NibReceivedOut}, operation_id="oss_receive_nib",
        description="Modelled on OSS RBA's receiveNIB: `{\"dataNIB\": {\"nib\", "
                    "\"npwp_perseroan\", \"nama_perseroan\", \"alamat_perseroan\", "
                    "\"data_proyek\"/\"data_kbli\", \"penanggung_jwb\" …}}`.")
    def post(self, request):
        return super().post(request)

    def create(self, request):
        try:
            record = nib_record_parse(request.data)
            business, created = business_from_oss(record=record, actor=request.user)
        except OssRecordInvalid as invalid:
            raise ApiError(status_code=400, code=invalid.code, message=invalid.message) from None
        except OssRecordRefused as refused:
            raise ApiError(status_code=409, code=refused.code, message=refused.message) from None
        return Response(NibReceivedOut({"nib": business.nib, "created": created}).data,
                        status=201 if created else 200)
