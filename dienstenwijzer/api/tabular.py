"""The bulk download as an HSDS 3.1 tabular data package: one CSV per HSDS table and a
datapackage.json that describes them, zipped.

Rows come from the same shaping as the JSON API (hsds.py), so every id in the zip is the id the
API serves. The columns, types and required flags are HSDS's own (hsds_datapackage.json, the
spec's datapackage, CC BY-SA 4.0); we publish the tables we have data for. Rows are streamed
from the database into temporary CSV files and zipped into a temporary file: memory stays
bounded however large the catalogue.
"""

from __future__ import annotations

import copy
import csv
import functools
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from sqlalchemy import Select
from sqlalchemy.orm import Session

from . import hsds, queries
from .hsds import PageUrl

HSDS_PACKAGE = Path(__file__).resolve().parent / "hsds_datapackage.json"

# HSDS resource name -> its file in the package (HSDS's own file names).
TABLES = {
    "service": "services.csv",
    "organization": "organizations.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "cost_option": "cost_options.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "attribute": "attributes.csv",
}
HSDS_ATTRIBUTION = (
    "Tabelbeschrijvingen: Human Services Data Specification 3.1, an Open Referral "
    "resource (https://openreferral.org/), CC BY-SA 4.0."
)


@functools.cache
def _hsds_resources() -> dict[str, dict]:
    package = json.loads(HSDS_PACKAGE.read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in package["resources"]}


def columns(table: str) -> list[str]:
    return [field["name"] for field in _hsds_resources()[table]["schema"]["fields"]]


def descriptor(title: str, license_: dict, homepage: str) -> dict:
    """datapackage.json: HSDS's description of the tables in this package, with foreign keys
    only to tables that are in it (a reader would otherwise look for programs.csv and such)."""
    resources = []
    for table, path in TABLES.items():
        resource = copy.deepcopy(_hsds_resources()[table])
        resource["path"] = path
        schema = resource["schema"]
        keys = [k for k in schema.get("foreignKeys", []) if k["reference"]["resource"] in TABLES]
        if keys:
            schema["foreignKeys"] = keys
        else:
            schema.pop("foreignKeys", None)
        resources.append(resource)
    return {
        "name": "dienstenwijzer",
        "title": f"{title}: diensten (HSDS 3.1)",
        "description": "De diensten, aanbieders en adressen van de dienstenwijzer, in de tabellen "
        "van de Human Services Data Specification 3.1. " + HSDS_ATTRIBUTION,
        "profile": "tabular-data-package",
        "homepage": homepage,
        "licenses": [
            {"name": license_["name"], "path": license_["url"], "title": license_["name"]}
        ],
        "resources": resources,
    }


def service_rows(item: dict) -> Iterator[tuple[str, dict]]:
    """A fully nested HSDS service split into the rows of its tables."""
    yield "service", item
    for table, key in (
        ("phone", "phones"),
        ("schedule", "schedules"),
        ("service_area", "service_areas"),
        ("cost_option", "cost_options"),
        ("attribute", "attributes"),
    ):
        for row in item.get(key, []):
            yield table, row
    for sal in item.get("service_at_locations", []):
        yield "service_at_location", sal
        yield from _location_rows(sal["location"])


def organization_rows(item: dict) -> Iterator[tuple[str, dict]]:
    yield "organization", item
    for phone in item.get("phones", []):
        yield "phone", phone
    for location in item.get("locations", []):
        yield from _location_rows(location)


def _location_rows(location: dict) -> Iterator[tuple[str, dict]]:
    yield "location", location
    for address in location.get("addresses", []):
        yield "address", address


def _cell(value) -> str:
    return "" if value is None else str(value)


class _Tables:
    """One CSV writer per table, each into its own file in a temporary folder."""

    def __init__(self, folder: Path):
        self.files = {
            t: (folder / p).open("w", encoding="utf-8", newline="") for t, p in TABLES.items()
        }
        self.writers = {t: csv.writer(f, lineterminator="\r\n") for t, f in self.files.items()}
        self.columns = {t: columns(t) for t in TABLES}
        for table, writer in self.writers.items():
            writer.writerow(self.columns[table])

    def write(self, rows: Iterable[tuple[str, dict]]) -> None:
        for table, row in rows:
            self.writers[table].writerow([_cell(row.get(c)) for c in self.columns[table]])

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def write_package(
    session: Session,
    services: Select,
    organizations: Select,
    page_url: PageUrl,
    package: dict,
    target: IO[bytes],
) -> None:
    """Write the zipped data package of these services and providers into `target`."""
    with tempfile.TemporaryDirectory(prefix="dienstenwijzer-hsds-") as folder:
        tables = _Tables(Path(folder))
        try:
            for service in queries.stream(session, services):
                tables.write(service_rows(hsds.full_service(service, page_url)))
            for provider in queries.stream_organizations(session, organizations):
                tables.write(organization_rows(hsds.organization(provider, full=True)))
            tables.write(
                ("taxonomy_term", hsds.taxonomy_term(c))
                for c in session.scalars(queries.taxonomy_terms())
            )
            tables.write([("taxonomy", hsds.TAXONOMY)])
        finally:
            tables.close()
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("datapackage.json", json.dumps(package, ensure_ascii=False, indent=1))
            for path in TABLES.values():
                archive.write(Path(folder) / path, arcname=path)
