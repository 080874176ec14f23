"""OpenAPI schema details drf-spectacular cannot infer: the error responses every operation can give,
and nullable nested objects written so that a strict OpenAPI 3.0 validator accepts their null."""

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


NULL_ONLY = {"type": "object", "nullable": True, "enum": [None]}


def _nullable_references(node):
    """{allOf: [$ref], nullable: true} -> {oneOf: [$ref, NULL_ONLY]}, everywhere in `node`.

    In OpenAPI 3.0 `nullable` only widens a `type` written beside it: a validator checks null against
    the referenced object schema inside allOf and rejects it (openapi-schema-validator does). The
    second branch accepts null and nothing else, the first the object.
    """
    if isinstance(node, list):
        return [_nullable_references(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_references(value) for key, value in node.items()}
    all_of = node.get("allOf")
    if node.get("nullable") is True and isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]:
        rest = {key: value for key, value in node.items() if key not in ("allOf", "nullable")}
        return {**rest, "oneOf": [all_of[0], dict(NULL_ONLY)]}
    return node


def nullable_references(result, generator, request, public):
    """drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    return _nullable_references(result)
