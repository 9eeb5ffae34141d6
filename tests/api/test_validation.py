"""Every response type of the open-data API validates against the HSDS 3.1 schemas, in several
zorggebieden and for Flanders, on many searches and pages; the checker itself can fail."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import FormatChecker

from tests.api.hsds_validation import (
    SCHEMA_OF,
    page_validator,
    problems,
    root_validator,
    validator,
)
from tests.conftest import service_row

EXAMPLES = Path(__file__).parent / "hsds_examples"


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="g1",
                naam="Poetshulp aan huis",
                telefoon="09 123 45 67",
                prijs="€ 9 per uur",
                doelgroep="65-plussers",
                openingsuren="ma–vr 9–12 u",
                website="https://proper.gent.example",
                email="info@proper.example",
            ),
            service_row(
                extern_id="g2",
                naam="Strijkatelier",
                categorie="strijkatelier",
                gemeenten="Gent;Kortrijk",
                omschrijving="Breng uw strijk binnen.",
            ),
            service_row(
                extern_id="g3",
                naam="Klusjesdienst",
                categorie="klusjesdienst",
                dienstencheques="nee",
                straat="",
                postcode="",
                gemeente="",
                aanbieder="OCMW Gent",
                omschrijving="Kleine herstellingen bij u thuis.",
            ),
        ],
    )
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k1",
                naam="Tuinploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                gemeenten="Kortrijk",
                postcode="8500",
                gemeente="Kortrijk",
                aanbieder="Groen Werk",
                omschrijving="Wij maaien uw gras en snoeien uw haag.",
            ),
        ],
    )


def _walk(client, prefix: str) -> tuple[int, int]:
    """Fetch and validate every list (all pages, every mode) and every object under a prefix."""
    responses = items = 0

    def check(url: str, schema: str, *, page: bool) -> dict:
        nonlocal responses, items
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.get_json()
        found = problems(page_validator(schema) if page else validator(schema), body)
        assert found == [], (url, found)
        responses += 1
        items += len(body["contents"]) if page else 1
        return body

    root = client.get(f"{prefix}/").get_json()
    assert problems(root_validator(), root) == []
    assert root["version"] == "3.1" and root["openapi_url"].endswith(f"{prefix}/openapi.json")
    responses += 1
    for kind, (list_schema, one_schema) in SCHEMA_OF.items():
        modes = ["", "full=true", "minimal=true"] if kind == "services" else ["", "full=true"]
        for mode in modes:
            page, last = 1, False
            while not last:
                body = check(
                    f"{prefix}/{kind}?per_page=2&page={page}&{mode}", list_schema, page=True
                )
                last, page = body["last_page"], page + 1
        everything = client.get(f"{prefix}/{kind}?per_page=50").get_json()["contents"]
        assert everything
        for item in everything:
            check(f"{prefix}/{kind}/{item['id']}", one_schema, page=False)
    return responses, items


@pytest.mark.parametrize("prefix", ["/gent/api/v1", "/kortrijk/api/v1", "/api/v1"])
def test_every_endpoint_validates(client, catalogue, prefix):
    responses, items = _walk(client, prefix)
    assert responses > 20 and items > responses


@pytest.mark.parametrize(
    "query",
    [
        "search=poetsen",
        "search=strijk&full=true",
        "search=gras",
        "search=poetsn",
        "search=poetsen&minimal=true",
        "search=huis&postcode=9000&proximity=5000",
        "search=huis&postcode=9000&km=10",
        "categorie=poetsen",
        "postcode=9000",
        "postcode=8500&proximity=20000&full=true",
        "modified_after=2000-01-01T00:00:00Z",
        "search=niets-dat-bestaat",
    ],
)
def test_searches_and_filters_validate(client, catalogue, query):
    body = client.get(f"/gent/api/v1/services?{query}").get_json()
    assert problems(page_validator("compiled/service_list.json"), body) == []
    for item in body["contents"]:  # the nested form of each item too
        assert problems(validator("service.json"), item) == []


def test_bulk_download_lines_validate(client, catalogue):
    response = client.get("/gent/api/v1/services?format=ndjson")
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert len(lines) == client.get("/gent/api/v1/services").get_json()["total_items"] == 3
    for line in lines:
        assert problems(validator("service.json"), line) == []


def test_the_checker_fails_on_a_bad_uuid_date_time_and_uri(client, catalogue):
    good = client.get("/gent/api/v1/services?full=true").get_json()["contents"][0]
    assert problems(validator("service.json"), good) == []
    for path, bad in [
        (("id",), "g1"),
        (("organization", "id"), "12"),
        (("last_modified",), "gisteren"),
        (("url",), "niet een url"),
    ]:
        item = copy.deepcopy(good)
        target = item
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        assert problems(validator("service.json"), item), path
    assert not FormatChecker().conforms("2026-02-30", "date")
    assert FormatChecker().conforms("2026-02-28", "date")


@pytest.mark.parametrize(
    ("example", "schema", "page"),
    [
        ("service_full.json", "service.json", False),
        ("service_list.json", "compiled/service_list.json", True),
        ("organization_full.json", "organization.json", False),
        ("organization_list.json", "compiled/organization_list.json", True),
        ("service_at_location_full.json", "service_at_location.json", False),
        ("service_at_location_list.json", "service_at_location.json", True),
        ("taxonomy.json", "taxonomy.json", False),
        ("taxonomy_list.json", "taxonomy.json", True),
        ("taxonomy_term.json", "taxonomy_term.json", False),
        ("taxonomy_term_list.json", "taxonomy_term.json", True),
        ("location.json", "location.json", False),
        ("base.json", None, False),
    ],
)
def test_the_specs_own_examples_pass_the_same_validator(example, schema, page):
    body = json.loads((EXAMPLES / example).read_text())
    checker = (
        root_validator()
        if schema is None
        else page_validator(schema)
        if page
        else validator(schema)
    )
    assert problems(checker, body) == []
