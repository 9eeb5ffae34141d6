"""The bulk download as an HSDS tabular data package: /<gebied>/api/v1/download.zip and
/api/v1/download.zip. A harvester unzips it and reads the CSVs with the datapackage.json."""

import csv
import datetime as dt
import io
import json
import zipfile

import frictionless
import pytest
from sqlalchemy import update

from dienstenwijzer.api import packages
from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Service
from tests.conftest import service_row

TABLES = {
    "services.csv",
    "organizations.csv",
    "locations.csv",
    "service_at_location.csv",
    "addresses.csv",
    "phones.csv",
    "schedules.csv",
    "service_areas.csv",
    "cost_options.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
}


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="a",
                gemeenten="Gent;Kortrijk",
                telefoon="09 123 45 67",
                email="info@proper.example",
                website="https://proper.example/poetsen",
                prijs="€ 9 per uur",
                doelgroep="Iedereen",
                openingsuren="ma-vr 8-16 u",
            ),
            # Comes to people's homes: no address, so no location.
            service_row(
                extern_id="b",
                naam="Strijkdienst Aan Huis",
                categorie="strijkatelier",
                straat="",
                postcode="",
                gemeente="",
                dienstencheques="nee",
            ),
        ],
    )
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="k",
                naam="Tuinploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                straat="Markt 1",
                postcode="8500",
                gemeente="Kortrijk",
                gemeenten="Kortrijk",
                aanbieder="Groen Werk",
            )
        ],
    )


def fetch(client, path, headers=None):
    """The zip once it is ready: the first request starts building it in the background."""
    response = client.get(path, headers=headers)
    if response.status_code == 503 or "X-Open-Data-Stale" in response.headers:
        packages.wait_for_builds()
        response = client.get(path, headers=headers)
    return response


def _unzip(response, folder) -> dict[str, list[dict]]:
    assert response.status_code == 200, response.data[:300]
    assert response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert set(archive.namelist()) == TABLES | {"datapackage.json"}
        archive.extractall(folder)
    return {name: _rows(folder / name) for name in TABLES}


def _rows(path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _api_ids(client, prefix: str, path: str) -> set[str]:
    ids, page = set(), 1
    while True:
        body = client.get(f"{prefix}/{path}?per_page=50&minimal=true&page={page}").get_json()
        ids |= {item["id"] for item in body["contents"]}
        if body["last_page"]:
            return ids
        page += 1


@pytest.mark.parametrize("prefix", ["/gent/api/v1", "/api/v1"])
def test_the_package_validates_against_its_hsds_tabular_schema(client, catalogue, tmp_path, prefix):
    tables = _unzip(fetch(client, f"{prefix}/download.zip"), tmp_path)
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == TABLES
    assert package["licenses"][0]["name"] == "Modellicentie Gratis Hergebruik – Vlaanderen v1.0"
    for resource in package["resources"]:
        with (tmp_path / resource["path"]).open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        assert header == [field["name"] for field in resource["schema"]["fields"]], resource["path"]
    # Types, required flags, uuid and uri formats, unique ids and foreign keys between the tables.
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])
    assert tables["taxonomies.csv"][0]["name"] == "Dienstenwijzer"
    assert {row["number"] for row in tables["phones.csv"]} == {"09 123 45 67"}


@pytest.mark.parametrize("prefix", ["/gent/api/v1", "/kortrijk/api/v1", "/api/v1"])
def test_ids_in_the_zip_are_the_apis_ids(client, catalogue, tmp_path, prefix):
    tables = _unzip(fetch(client, f"{prefix}/download.zip"), tmp_path)
    services = {row["id"] for row in tables["services.csv"]}
    assert services == _api_ids(client, prefix, "services")
    assert len(tables["services.csv"]) == len(services)  # a service in two zorggebieden: once
    assert {row["id"] for row in tables["organizations.csv"]} == _api_ids(
        client, prefix, "organizations"
    )
    assert {row["id"] for row in tables["service_at_location.csv"]} == _api_ids(
        client, prefix, "service_at_locations"
    )
    assert {row["id"] for row in tables["taxonomy_terms.csv"]} == _api_ids(
        client, prefix, "taxonomy_terms"
    )
    for row in tables["services.csv"]:
        api = client.get(f"{prefix}/services/{row['id']}").get_json()
        assert (row["name"], row["organization_id"], row["last_modified"]) == (
            api["name"],
            api["organization"]["id"],
            api["last_modified"],
        )


def test_each_zorggebied_publishes_its_own_services(client, catalogue, tmp_path):
    names = {
        prefix: {
            row["name"]
            for row in _unzip(
                fetch(client, f"{prefix}/download.zip"), tmp_path / prefix.strip("/")
            )["services.csv"]
        }
        for prefix in ("/gent/api/v1", "/kortrijk/api/v1", "/api/v1")
    }
    assert names["/gent/api/v1"] == {"Poetsdienst De Bezem", "Strijkdienst Aan Huis"}
    assert names["/kortrijk/api/v1"] == {"Poetsdienst De Bezem", "Tuinploeg"}
    assert names["/api/v1"] == names["/gent/api/v1"] | names["/kortrijk/api/v1"]


def test_last_modified_and_304_until_something_changes(client, catalogue, add_services):
    # HTTP dates count whole seconds: the catalogue was last changed well before the edit below.
    for model in (Service, Provider):
        db.session.execute(update(model).values(updated_at=dt.datetime(2026, 1, 31, 12, 0, 0)))
    db.session.commit()
    first = fetch(client, "/gent/api/v1/download.zip")
    stamp = first.headers["Last-Modified"]
    assert stamp == "Sat, 31 Jan 2026 12:00:00 GMT"
    unchanged = client.get("/gent/api/v1/download.zip", headers={"If-Modified-Since": stamp})
    assert unchanged.status_code == 304 and unchanged.data == b""
    assert unchanged.headers["Access-Control-Allow-Origin"] == "*"
    add_services(
        "gent",
        [
            service_row(
                extern_id="c",
                naam="Klusdienst",
                categorie="strijkatelier",
                omschrijving="Kleine herstellingen in huis.",
            )
        ],
    )
    changed = fetch(client, "/gent/api/v1/download.zip", headers={"If-Modified-Since": stamp})
    assert changed.status_code == 200
    with zipfile.ZipFile(io.BytesIO(changed.data)) as archive:
        assert "Klusdienst" in archive.read("services.csv").decode("utf-8")


def test_the_root_links_the_package_and_an_unknown_zorggebied_is_a_json_404(client, catalogue):
    root = client.get("/gent/api/v1/").get_json()
    assert fetch(client, root["x-tabular_download"]).status_code == 200
    missing = client.get("/atlantis/api/v1/download.zip")
    assert missing.status_code == 404 and missing.is_json
