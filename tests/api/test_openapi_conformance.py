"""Schemathesis against the served OpenAPI document: generated requests to every operation get
an answer the document describes (status, content type, body schema), never a 500.

Slow (hundreds of generated requests), so marked `slow`.
"""

import json
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.hsds_validation import SCHEMAS
from tests.conftest import service_row

pytestmark = pytest.mark.slow
SERVED = "http://dienstenwijzer.test/api/v1/schemas/"


def _key(path: str) -> str:
    return path.removesuffix(".json").replace("/", "_")


def _bundled(doc: dict) -> dict:
    """The document with the HSDS schemas it refers to copied into components, so the test
    needs no network (the served document points at our /api/v1/schemas/ URLs)."""
    text = json.dumps(doc)
    assert SERVED in text
    doc = json.loads(
        re.sub(
            r'"\$ref": "' + re.escape(SERVED) + r'([^"]+)"',
            lambda m: f'"$ref": "#/components/schemas/{_key(m.group(1))}"',
            text,
        )
    )
    for path in SCHEMAS.rglob("*.json"):
        relative = path.relative_to(SCHEMAS).as_posix()
        folder = relative.rsplit("/", 1)[0] + "/" if "/" in relative else ""
        body = re.sub(
            r'"\$ref": "([a-z_]+\.json)"',
            lambda m, f=folder: f'"$ref": "#/components/schemas/{_key(f + m.group(1))}"',
            path.read_text(),
        )
        doc["components"]["schemas"][_key(relative)] = json.loads(body)
    return doc


@pytest.fixture
def served_schema(app, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="1", telefoon="09 123 45 67", openingsuren="ma–vr 9–12 u", prijs="€ 9"
            ),
            service_row(
                extern_id="2",
                naam="Klusjesdienst",
                categorie="klusjesdienst",
                dienstencheques="nee",
                straat="",
                postcode="",
                gemeente="",
                gemeenten="Gent;Kortrijk",
            ),
        ],
    )
    doc = app.test_client().get("/api/v1/openapi.json").get_json()
    schema = schemathesis.openapi.from_dict(_bundled(doc))
    schema.app = app
    return schema


def test_every_operation_answers_as_documented(served_schema):
    operations = [result.ok() for result in served_schema.get_all_operations()]
    assert len(operations) == 11
    for operation in operations:

        @settings(
            max_examples=30,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        @given(case=operation.as_strategy())
        def answers_as_documented(case):
            # A value of the right form can still name nothing (postcode 9999): a 400 then is
            # documented and right, so "schema-valid request rejected" is not checked.
            # identity: the WSGI transport would not unzip a gzipped answer.
            case.call_and_validate(
                base_url="http://dienstenwijzer.test/api/v1",
                headers={"Accept-Encoding": "identity"},
                excluded_checks=[schemathesis.checks.positive_data_acceptance],
            )

        answers_as_documented()
