"""GET /<gebied>/api/v1/services: HSDS 3.1 page shape, relevance order, 400s as JSON."""

import uuid

import pytest

from tests.api.hsds_validation import problems, validator
from tests.conftest import service_row

HSDS_PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="1",
                naam="Poetshulp aan huis",
                omschrijving="Wij poetsen bij u thuis. Poetsen is ons vak.",
            ),
            service_row(
                extern_id="2",
                naam="Strijkatelier",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen; wij poetsen niet.",
            ),
            service_row(
                extern_id="3",
                naam="Klusjesdienst",
                categorie="klusjesdienst",
                dienstencheques="nee",
                omschrijving="Kleine herstellingen in huis.",
                aanbieder="OCMW Gent",
                website="https://ocmw.gent.example",
            ),
        ],
    )


def test_page_shape_and_service_fields(client, catalogue):
    body = client.get("/gent/api/v1/services?search=poetsen").get_json()
    assert set(body) == HSDS_PAGE_KEYS
    assert body["total_items"] == 2 and body["size"] == 2 and body["total_pages"] == 1
    assert body["first_page"] and body["last_page"] and not body["empty"]
    first = body["contents"][0]
    assert {"id", "name", "description", "status", "organization", "url"} <= set(first)
    assert first["name"] == "Poetshulp aan huis"  # relevance: name and text both match
    assert first["status"] == "active"
    assert first["organization"]["name"] == "Vzw Proper Thuis"
    assert uuid.UUID(first["id"]) and first["dienstenwijzer_url"] == first["url"]
    assert first["url"].endswith("/gent/diensten/1")


def test_url_is_the_services_own_website_when_it_has_one(client, catalogue):
    body = client.get("/gent/api/v1/services?search=herstellingen").get_json()
    assert body["contents"][0]["url"] == "https://ocmw.gent.example"


def test_paging(client, catalogue):
    body = client.get("/gent/api/v1/services?page=2&per_page=2").get_json()
    assert body["page_number"] == 2 and body["size"] == 1 and body["total_pages"] == 2
    assert not body["first_page"] and body["last_page"]
    past = client.get("/gent/api/v1/services?page=5&per_page=2").get_json()
    assert past["empty"] and past["contents"] == []


def test_filters_are_the_pages_filters(client, catalogue):
    body = client.get("/gent/api/v1/services?categorie=klusjesdienst").get_json()
    assert [c["name"] for c in body["contents"]] == ["Klusjesdienst"]
    body = client.get("/gent/api/v1/services?dienstencheques=y").get_json()
    assert body["total_items"] == 2
    body = client.get("/gent/api/v1/services?postcode=9000&km=3").get_json()
    assert body["total_items"] == 3 and all("distance_km" in c for c in body["contents"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page=abc", "page"),
        ("per_page=500", "per_page"),
        ("categorie=ruimtevaart", "categorie"),
        ("gemeente=99999", "gemeente"),  # no municipality has this NIS code
        ("postcode=12", "postcode"),
        ("postcode=9999", "postcode"),
        ("km=5", "km"),  # a distance needs a postcode
        ("search=" + "x" * 201, "search"),
        ("organization_id=12", "organization_id"),
        ("taxonomy_term_id=poetsen", "taxonomy_term_id"),
        ("modified_after=gisteren", "modified_after"),
        ("full=misschien", "full"),
        ("proximity=5000", "proximity"),  # a distance needs a postcode
        ("postcode=9000&proximity=-3", "proximity"),
        ("format=xml", "format"),
    ],
)
def test_bad_parameters_get_400_with_a_json_error(client, catalogue, query, field):
    response = client.get(f"/gent/api/v1/services?{query}")
    assert response.status_code == 400
    assert response.is_json
    body = response.get_json()
    assert body["error"]["status"] == 400
    assert field in body["error"]["fields"]


def test_unknown_parameters_are_ignored(client, catalogue):
    """HSDS: a harvester may send parameters we do not know; they change nothing."""
    plain = client.get("/gent/api/v1/services").get_json()
    assert client.get("/gent/api/v1/services?zoek=poetsen&sort=name").get_json() == plain


def test_unknown_region_is_a_json_404(client):
    response = client.get("/nergens/api/v1/services")
    assert response.status_code == 404 and response.is_json


def test_contents_validate_against_the_hsds_service_schema(client, catalogue):
    body = client.get("/gent/api/v1/services?search=poetsen&postcode=9000").get_json()
    assert body["contents"]
    for item in body["contents"]:
        assert problems(validator("service.json"), item) == []
