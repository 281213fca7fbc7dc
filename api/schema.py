"""The OpenAPI schema's additions: every operation documents the errors any call may meet, in
the one error shape, and the ``Idempotency-Key`` every POST needs."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from api.serializers import Error

# What any call may meet: bad input, no or a bad key, a scope it lacks, nothing there (or not
# for this key), a method or answer type not offered, a reused idempotency key or a refused
# move, a body too large or of the wrong type, too many calls.
ERROR_CODES = ("400", "401", "403", "404", "405", "406", "409", "413", "415", "429")

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, required=True,
    description="A new random value for each new request; the same one when retrying it. "
                "The same key and body replay the first answer; another body is refused (409).",
)


def paged(item: type[serializers.Serializer]):
    return inline_serializer(name=f"Paged{item.__name__}", fields={
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "results": item(many=True),
    })


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in ERROR_CODES:
            responses.setdefault(code, {
                "description": "Error",
                "content": {"application/json": {"schema": self.resolve_serializer(
                    Error, direction).ref}},
            })
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            required = getattr(self.view, "idempotency_key_required", True)
            parameters.append(IDEMPOTENCY_KEY if required else OpenApiParameter(
                IDEMPOTENCY_KEY.name, str, OpenApiParameter.HEADER, required=False,
                description=IDEMPOTENCY_KEY.description))
        return parameters
