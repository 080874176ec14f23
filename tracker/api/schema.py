"""OpenAPI schema details drf-spectacular cannot infer: the error responses every operation can give."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

DETAIL = inline_serializer("ErrorDetail", fields={"detail": serializers.CharField()})

ERROR_RESPONSES = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT,
        description=(
            "Invalid input: an object whose keys are the field names (or non_field_errors, or "
            "detail for a malformed body) and whose values list the messages."
        ),
    ),
    "401": OpenApiResponse(DETAIL, description="No credentials, or an invalid or revoked token."),
    "403": OpenApiResponse(
        DETAIL, description="Not allowed: e.g. a physiotherapist writing, or a session write without CSRF."
    ),
    "404": OpenApiResponse(DETAIL, description="No such record among the patient's records (or page)."),
    "429": OpenApiResponse(DETAIL, description="Too many requests with this token; see Retry-After."),
}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in ERROR_RESPONSES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
