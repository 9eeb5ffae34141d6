"""The bulk zip is never built inside a request: requests stream a ready-made file per scope,
built in the background or by `dienstenwijzer export-open-data`, one builder at a time."""

import fcntl
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import select

from dienstenwijzer.api import packages
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from tests.conftest import service_row

ZIP = "/gent/api/v1/download.zip"


@pytest.fixture
def catalogue(add_services):
    add_services("gent", [service_row(extern_id="a")])


def _names(response) -> str:
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return archive.read("services.csv").decode("utf-8")


def _files(app) -> list[str]:
    return sorted(p.name for p in Path(app.config["OPEN_DATA_DIR"]).iterdir())


@contextmanager
def another_builder(app, scope: str):
    """Another process building this scope: it holds the scope's lock file."""
    folder = Path(app.config["OPEN_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{scope}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _rename(name: str) -> None:
    service = db.session.scalar(select(Service))
    service.name = name
    db.session.commit()


def test_the_first_request_gets_a_503_and_the_file_is_built_beside_it(client, app, catalogue):
    first = client.get(ZIP)
    assert first.status_code == 503
    assert first.headers["Retry-After"] == "60"
    assert "Probeer het over een minuut opnieuw" in first.get_json()["error"]["message"]
    packages.wait_for_builds()
    ready = client.get(ZIP)
    assert ready.status_code == 200 and "Poetsdienst De Bezem" in _names(ready)
    assert ready.headers["ETag"] and ready.headers["Last-Modified"]
    assert int(ready.headers["Content-Length"]) == len(ready.data)
    assert "X-Open-Data-Stale" not in ready.headers
    again = client.get(ZIP, headers={"If-None-Match": ready.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_a_person_gets_the_503_as_a_dutch_page(client, catalogue):
    page = client.get(ZIP, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 503 and page.mimetype == "text/html"
    assert "Het bestand wordt klaargemaakt" in page.get_data(as_text=True)
    packages.wait_for_builds()


def test_the_last_file_is_served_with_its_date_while_the_new_one_is_built(client, app, catalogue):
    client.get(ZIP)
    packages.wait_for_builds()
    old = client.get(ZIP)
    _rename("Poetsdienst Nieuw")
    with another_builder(app, "gent"):
        stale = client.get(ZIP)
        packages.wait_for_builds()  # this process's builder found the lock taken and stopped
    assert stale.status_code == 200 and "Poetsdienst De Bezem" in _names(stale)
    assert stale.headers["X-Open-Data-Stale"] == old.headers["Last-Modified"]
    assert stale.headers["ETag"] == old.headers["ETag"]
    client.get(ZIP)  # the lock is free now: this request starts the build again
    packages.wait_for_builds()
    fresh = client.get(ZIP)
    assert "Poetsdienst Nieuw" in _names(fresh) and fresh.headers["ETag"] != old.headers["ETag"]
    # Only the new file is kept, and no temporary file is left behind.
    assert [n for n in _files(app) if n.startswith("gent")] == [
        "gent-" + fresh.headers["ETag"].strip('"') + ".zip",
        "gent.lock",
    ]


def test_a_killed_builders_temporary_file_is_cleaned_up_by_the_next(client, app, catalogue):
    folder = Path(app.config["OPEN_DATA_DIR"])
    folder.mkdir(parents=True)
    (folder / ".gent-abc123.zip.tmp").write_bytes(b"half a zip")
    built = packages.build_scope("gent", "http://dienstenwijzer.test/")
    assert _files(app) == [built.name, "gent.lock"]


def test_only_one_process_builds_a_scope_at_a_time(client, app, catalogue):
    with another_builder(app, "gent"):
        assert packages.build_scope("gent", "http://dienstenwijzer.test/") is None
        assert client.get(ZIP).status_code == 503
        packages.wait_for_builds()
    assert _files(app) == ["gent.lock"]


def test_the_command_prepares_every_scope_and_requests_get_it_at_once(client, app, catalogue):
    result = app.test_cli_runner().invoke(args=["export-open-data"])
    assert result.exit_code == 0, result.output
    zips = [n for n in _files(app) if n.endswith(".zip")]
    assert len(zips) == 12  # Flanders and the 11 zorggebieden
    assert {n.split("-")[0] for n in zips} >= {"vlaanderen", "gent", "kortrijk"}
    for path in ("/api/v1/download.zip", ZIP, "/kortrijk/api/v1/download.zip"):
        assert client.get(path).status_code == 200, path
    rerun = app.test_cli_runner().invoke(args=["export-open-data", "--region", "gent"])
    assert rerun.exit_code == 0 and [n for n in _files(app) if n.endswith(".zip")] == zips
    unknown = app.test_cli_runner().invoke(args=["export-open-data", "--region", "atlantis"])
    assert unknown.exit_code != 0 and "Onbekend zorggebied" in unknown.output
