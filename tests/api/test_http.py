"""HTTP for reuse: CORS on the API only, ETag and 304, the served OpenAPI document and schemas."""

import datetime as dt
import re

import pytest
from sqlalchemy import update

from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Service
from tests.conftest import service_row


@pytest.fixture
def catalogue(add_services):
    add_services("gent", [service_row(extern_id="1")])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/",
        "/gent/api/v1/services",
        "/api/v1/taxonomy_terms",
        "/gent/api/v1/openapi.json",
        "/gent/api/v1/services?page=x",
    ],
)
def test_any_site_may_read_the_api(client, catalogue, path):
    response = client.get(path, headers={"Origin": "https://sociale-kaart.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["/gent/zoeken?q=poetsen", "/aanmelden", "/gent/beheer/", "/"])
def test_other_pages_do_not_get_cors(client, catalogue, path):
    response = client.get(path, headers={"Origin": "https://sociale-kaart.example"})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_etag_gives_304_until_something_changes(client, catalogue, add_services):
    first = client.get("/gent/api/v1/services")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=1"
    again = client.get("/gent/api/v1/services", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    add_services(
        "gent", [service_row(extern_id="2", naam="Strijkdienst", categorie="strijkatelier")]
    )
    changed = client.get("/gent/api/v1/services", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_etag_and_304_hold_with_gzip(client, catalogue, add_services):
    add_services("gent", [service_row(extern_id=str(n), naam=f"Dienst {n}") for n in range(2, 8)])
    gzip = {"Accept-Encoding": "gzip"}
    first = client.get("/gent/api/v1/services?full=true", headers=gzip)
    assert first.headers["Content-Encoding"] == "gzip"
    again = client.get(
        "/gent/api/v1/services?full=true", headers={**gzip, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304


def test_the_root_names_the_licence_and_the_bulk_download(client, catalogue):
    root = client.get("/gent/api/v1/").get_json()
    assert root["license"]["name"] == "Modellicentie Gratis Hergebruik – Vlaanderen v1.0"
    bulk = client.get(root["bulk_download"])
    assert bulk.status_code == 200 and bulk.mimetype == "application/x-ndjson"


def test_the_bulk_download_has_a_last_modified(client, catalogue, add_services):
    # Changed in an earlier second: a Last-Modified of the current second is not sent
    # (test_validators.py).
    for model in (Service, Provider):
        db.session.execute(update(model).values(updated_at=dt.datetime(2026, 1, 31, 12, 0, 0)))
    db.session.commit()
    first = client.get("/gent/api/v1/services?format=ndjson")
    stamp = first.headers["Last-Modified"]
    assert (
        client.get(
            "/gent/api/v1/services?format=ndjson", headers={"If-Modified-Since": stamp}
        ).status_code
        == 304
    )
    later = client.get(
        "/api/v1/services?format=ndjson",
        headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
    )
    assert later.status_code == 200 and len(later.get_data(as_text=True).splitlines()) == 1


def test_the_openapi_document_describes_this_api_and_its_refs_resolve(client, catalogue):
    root = client.get("/gent/api/v1/").get_json()
    doc = client.get(root["openapi_url"]).get_json()
    assert doc["openapi"].startswith("3.1") and doc["servers"] == [
        {"url": "http://dienstenwijzer.test/gent/api/v1"}
    ]
    assert doc["info"]["license"] == root["license"]
    assert set(doc["paths"]) >= {
        "/",
        "/services",
        "/services/{id}",
        "/organizations",
        "/taxonomies",
        "/taxonomy_terms",
        "/service_at_locations",
    }
    assert all(
        set(ops) == {"get"} or set(ops) == {"get", "parameters"} for ops in doc["paths"].values()
    )
    refs = set(
        re.findall(
            r'"\$ref":\s*"(http[^"]+)"', client.get(root["openapi_url"]).get_data(as_text=True)
        )
    )
    assert refs
    for ref in refs:
        schema = client.get(ref.removeprefix("http://dienstenwijzer.test"))
        assert schema.status_code == 200 and schema.get_json()["properties"], ref
    assert client.get("/api/v1/schemas/../openapi.json").status_code == 404
