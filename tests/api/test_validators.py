"""A strong validator: every change of the data an answer covers changes its ETag, even a
change in the same second as the one before (HTTP dates count whole seconds)."""

import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import select, update

from dienstenwijzer.api import packages
from dienstenwijzer.db import db
from dienstenwijzer.models import Provider, Service
from tests.conftest import service_row

SECOND = dt.datetime(2026, 1, 31, 12, 0, 0)


@pytest.fixture
def catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a"),
            service_row(extern_id="b", naam="Strijkdienst", categorie="strijkatelier"),
        ],
    )
    # Everything last changed at 12:00:00.100000.
    for model in (Service, Provider):
        db.session.execute(update(model).values(updated_at=SECOND.replace(microsecond=100_000)))
    db.session.commit()


def _edit_in_the_same_second() -> None:
    """A regisseur's edit at 12:00:00.200000: the same second as the last change."""
    db.session.execute(
        update(Service)
        .where(Service.external_id == "a")
        .values(name="Poetsdienst Anders", updated_at=SECOND.replace(microsecond=200_000))
    )
    db.session.commit()


def _get(client, path):
    response = client.get(path)
    if response.status_code == 503:  # the zip: built in the background on first need
        packages.wait_for_builds()
        response = client.get(path)
    assert response.status_code == 200, path
    return response


def _text(response) -> str:
    if response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return archive.read("services.csv").decode("utf-8")
    return response.get_data(as_text=True)


def _revalidate(client, path, old):
    conditions = {"If-None-Match": old.headers["ETag"]}
    if "Last-Modified" in old.headers:
        conditions["If-Modified-Since"] = old.headers["Last-Modified"]
    response = client.get(path, headers=conditions)
    if "X-Open-Data-Stale" in response.headers:  # the zip is rebuilt for the new version
        packages.wait_for_builds()
        response = client.get(path, headers=conditions)
    return response


@pytest.mark.parametrize(
    "path",
    [
        "/gent/api/v1/services",
        "/api/v1/services?full=true",
        "/gent/api/v1/services?format=ndjson",
        "/api/v1/services?format=ndjson",
        "/gent/api/v1/download.zip",
        "/api/v1/download.zip",
    ],
)
def test_an_edit_in_the_same_second_gets_a_200_for_the_old_etag(client, catalogue, path):
    old = _get(client, path)
    assert client.get(path, headers={"If-None-Match": old.headers["ETag"]}).status_code == 304
    _edit_in_the_same_second()
    fresh = _revalidate(client, path, old)
    assert fresh.status_code == 200 and "Poetsdienst Anders" in _text(fresh)
    assert fresh.headers["ETag"] != old.headers["ETag"]


def test_a_single_service_gets_a_new_etag_for_an_edit_in_the_same_second(client, catalogue):
    public_id = db.session.scalar(select(Service.uuid).where(Service.external_id == "a"))
    path = f"/gent/api/v1/services/{public_id}"
    old = _get(client, path)
    _edit_in_the_same_second()
    fresh = _revalidate(client, path, old)
    assert fresh.status_code == 200 and fresh.get_json()["name"] == "Poetsdienst Anders"


def test_no_last_modified_while_the_data_changes_within_the_current_second(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    db.session.execute(
        update(Service).values(
            updated_at=dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=5)
        )
    )  # changed "now", as far as any clock can tell
    db.session.commit()
    answer = client.get("/gent/api/v1/services?format=ndjson")
    assert answer.status_code == 200 and answer.headers["ETag"]
    assert "Last-Modified" not in answer.headers
