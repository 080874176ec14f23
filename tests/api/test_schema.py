"""/api/schema/ (OpenAPI 3) and /api/docs/ (Swagger UI from the installed packages)."""

import re

import pytest
import yaml
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

SCHEMA_URL = "/api/schema/"
DOCS_URL = "/api/docs/"
OPERATIONS = {
    "/api/v1/measurements/": {"get", "post"},
    "/api/v1/measurements/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/heel-rise/": {"get", "post"},
    "/api/v1/heel-rise/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/sessions/": {"get", "post"},
    "/api/v1/sessions/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/symptoms/": {"get", "post"},
    "/api/v1/symptoms/{id}/": {"get", "put", "patch", "delete"},
    "/api/v1/prescriptions/": {"get"},
    "/api/v1/prescriptions/{id}/": {"get"},
    "/api/v1/exercises/": {"get"},
    "/api/v1/exercises/{id}/": {"get"},
    "/api/v1/progress/": {"get"},
    "/api/v1/questionnaires/": {"get", "post"},
    "/api/v1/questionnaires/{id}/": {"get"},
    "/api/v1/questionnaires/due/": {"get"},
    "/api/v1/messages/": {"get", "post"},
    "/api/v1/messages/read/": {"post"},
    "/api/v1/programme/": {"get"},
    "/api/v1/media/{id}/": {"get"},
}


@pytest.fixture
def schema(db) -> dict:
    response = APIClient().get(SCHEMA_URL)
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document


def test_the_schema_lists_every_operation(schema):
    assert {path: set(methods) - {"parameters"} for path, methods in schema["paths"].items()} == OPERATIONS


def test_the_schema_documents_bearer_tokens_and_errors(schema):
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (method, path)
            assert {"tokenAuth": []} in operation["security"]


def test_the_schema_describes_the_computed_fields(schema):
    measurement = schema["components"]["schemas"]["Measurement"]["properties"]
    for field in ("left_cm", "right_cm", "symmetry", "asymmetry", "red_flags", "remeasure"):
        assert measurement[field]["readOnly"] is True
    request = schema["components"]["schemas"]["MeasurementRequest"]["properties"]
    assert request["left_1"]["minimum"] == 15.0 and request["left_1"]["maximum"] == 80.0
    session = schema["components"]["schemas"]["SessionRequest"]
    assert "entries" in session["required"]


def test_the_schema_is_json_on_request(db):
    response = APIClient().get(SCHEMA_URL, {"format": "json"})
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Calf Rehab Tracker API"


def test_the_docs_page_has_no_inline_script_or_style_and_no_cdn(db):
    response = APIClient().get(DOCS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)
    assert "//" not in "".join(re.findall(r'(?:src|href)="([^"]*)"', html))  # all from this site
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html


def test_the_docs_start_up_script_is_a_separate_file(db):
    response = APIClient().get(DOCS_URL, {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in response.content.decode()


def test_progress_of_a_patient_with_no_data_is_valid_for_a_strict_openapi_3_0_validator(schema, api, patient):
    """girth and heel_rise are null before her first measurement and test: nullable objects must say
    so in a way OpenAPI 3.0 validators understand (allOf + nullable is rejected)."""
    from openapi_schema_validator import OAS30Validator

    body = api.get("/api/v1/progress/").json()
    assert body["girth"] is None and body["heel_rise"] is None
    validator = OAS30Validator(
        {**schema["components"]["schemas"]["Progress"], "components": schema["components"]}
    )
    assert [error.message for error in validator.iter_errors(body)] == []
    girth = schema["components"]["schemas"]["Progress"]["properties"]["girth"]
    assert girth["oneOf"][0] == {"$ref": "#/components/schemas/GirthHeadline"}
    assert validator.is_valid({**body, "girth": {"site": "tt10"}}) is False  # null accepted, not anything


def test_progress_with_data_is_valid_too(schema, api, patient):
    from openapi_schema_validator import OAS30Validator

    from tests.factories import GirthMeasurementFactory, HeelRiseTestFactory

    GirthMeasurementFactory(patient=patient)
    HeelRiseTestFactory(patient=patient, reps_left=10, reps_right=0)  # no LSI: zone null
    body = api.get("/api/v1/progress/").json()
    assert body["heel_rise"]["zone"] is None and body["girth"]["goal_reached"] in (True, False)
    validator = OAS30Validator(
        {**schema["components"]["schemas"]["Progress"], "components": schema["components"]}
    )
    assert [error.message for error in validator.iter_errors(body)] == []
