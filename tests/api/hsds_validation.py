"""Validate API output against the HSDS 3.1 JSON schemas the app serves (dienstenwijzer/api/schemas/).

Draft 2020-12 with the format checker on (uuid, date, date-time, uri, email are checked), and
`referencing` resolving the schemas' relative $refs ("phone.json") between the files.
"""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

import dienstenwijzer.api

SCHEMAS = Path(dienstenwijzer.api.__file__).parent / "schemas"
BASE = "https://schemas.dienstenwijzer.test/hsds/"
OPENAPI = Path(dienstenwijzer.api.__file__).parent / "openapi.json"


def _registry() -> Registry:
    resources = []
    for path in SCHEMAS.rglob("*.json"):
        uri = BASE + path.relative_to(SCHEMAS).as_posix()
        resources.append(
            (
                uri,
                Resource.from_contents(
                    json.loads(path.read_text()), default_specification=DRAFT202012
                ),
            )
        )
    page = json.loads(OPENAPI.read_text())["components"]["schemas"]["Page"]
    page = {
        **page,
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
    }
    resources.append(
        (BASE + "page.json", Resource.from_contents(page, default_specification=DRAFT202012))
    )
    return Registry().with_resources(resources)


REGISTRY = _registry()
FORMATS = FormatChecker()


def validator(schema_file: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE + schema_file}, registry=REGISTRY, format_checker=FORMATS
    )


def page_validator(item_schema_file: str) -> Draft202012Validator:
    schema = {
        "allOf": [{"$ref": BASE + "page.json"}],
        "properties": {"contents": {"type": "array", "items": {"$ref": BASE + item_schema_file}}},
    }
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def root_validator() -> Draft202012Validator:
    """The `/` answer, as the OpenAPI document describes it (version, profile, openapi_url)."""
    schema = json.loads(OPENAPI.read_text())["paths"]["/"]["get"]["responses"]["200"]
    schema = schema["content"]["application/json"]["schema"]
    schema = {**schema, "required": ["version", "profile", "openapi_url"]}
    return Draft202012Validator(schema, registry=REGISTRY, format_checker=FORMATS)


def problems(validator_: Draft202012Validator, instance) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator_.iter_errors(instance)
    ]


# Which schema each response answers to: (list item schema, single object schema).
SCHEMA_OF = {
    "services": ("compiled/service_list.json", "service.json"),
    "organizations": ("compiled/organization_list.json", "organization.json"),
    "taxonomies": ("taxonomy.json", "taxonomy.json"),
    "taxonomy_terms": ("taxonomy_term.json", "taxonomy_term.json"),
    "service_at_locations": ("service_at_location.json", "service_at_location.json"),
}
