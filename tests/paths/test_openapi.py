"""`GET /api/openapi.json`: an OpenAPI 3.1 document that validates (openapi-spec-validator),
that the API's real answers conform to, and against which schemathesis runs a bounded number of
generated requests: every answer conforms to the document, and none is a 500.
"""

from __future__ import annotations

import copy
import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from advisor.wsgi import application
from catalog.generator import generate_document
from tests.factories import first_choice_answers, make_document

JSON = "application/json"
EXAMPLES = int(os.environ.get("API_EXAMPLES", "60"))


def document(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == JSON
    return response.json()


def conforms(spec: dict, schema_name: str, instance: object) -> list[str]:
    """The places where `instance` breaks the document's named schema."""
    schema = {**spec["components"]["schemas"][schema_name], "components": spec["components"]}
    return [error.message for error in OAS31Validator(schema).iter_errors(instance)]


def test_the_document_is_valid_openapi_3_1(client, db):
    spec = document(client)
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on any error
    assert set(spec["paths"]) == {"/api/catalog", "/api/plan"}
    plan = spec["paths"]["/api/plan"]["post"]
    assert {"200", "400"} <= set(plan["responses"])
    request = spec["components"]["schemas"]["PlanRequest"]["properties"]
    assert set(request) == {"answers", "known", "goals", "hours_per_week"}


def test_the_validator_refuses_a_broken_document(client, db):
    """The control: the check above can fail."""
    spec = copy.deepcopy(document(client))
    del spec["paths"]["/api/plan"]["post"]["responses"]["200"]["description"]  # required
    with pytest.raises(OpenAPIValidationError):
        validate(spec)


@pytest.mark.parametrize("size", ["small", 200])
def test_real_answers_conform(client, load_document, size):
    source = make_document() if size == "small" else generate_document(size)
    load_document(source)
    spec = document(client)
    catalog = client.get("/api/catalog").json()
    assert conforms(spec, "Catalog", catalog) == []
    answers = first_choice_answers(source)
    plan = client.post("/api/plan", {"answers": answers}, content_type=JSON).json()
    assert plan["steps"] and conforms(spec, "Plan", plan) == []
    bad = client.post("/api/plan", {"answers": {"nope": ["x"]}}, content_type=JSON)
    assert bad.status_code == 400 and conforms(spec, "Errors", bad.json()) == []
    # The schemas are strict: a plan missing a key, or a catalog with a stray one, is refused.
    assert conforms(spec, "Plan", {k: v for k, v in plan.items() if k != "weeks"})
    catalog["technologies"][0]["colour"] = "blue"
    assert conforms(spec, "Catalog", catalog)


def test_the_document_s_only_method_is_get(client, db):
    response = client.post("/api/openapi.json")
    assert response.status_code == 405 and response.json()["errors"]["__all__"]


# The schema-driven run: schemathesis, in process through the WSGI app, on a small catalog.
# Schemathesis's own pytest fixture loader does not run under this pytest, so each operation's
# strategy drives a Hypothesis test here; EXAMPLES (API_EXAMPLES) bounds the examples per
# operation and mode (valid requests, then invalid ones).


@pytest.fixture
def in_test_transaction():
    """Requests through the bare WSGI app keep the test's database connection, as Django's
    test client does: a request's end would otherwise close it (inside the test's
    transaction a PostgreSQL connection counts as unusable), and the next request would
    find no database."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_every_generated_request_gets_a_conforming_answer(small_catalog, in_test_transaction, mode):
    api = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    api.config.generation.update(modes=[GenerationMode(mode)])
    operations = [result.ok() for result in api.get_all_operations()]
    assert {operation.path for operation in operations} == {"/api/catalog", "/api/plan"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case) -> None:
            # Whether an answer fits the catalog is the data's, not the document's, to say:
            # a schema-valid body may name a question the catalog lacks, and gets a 400.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
