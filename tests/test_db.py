"""A write that cannot get its lock says "try again shortly" (503), and readers never wait on it."""

import importlib
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from dienstenwijzer.db import db
from tests.conftest import PG_URL, login, service_row


@pytest.fixture
def short_locks(monkeypatch):
    """Writers give up after 0.3 s instead of 10 s (set before the app opens connections)."""
    # (the package's own `db` attribute is the SQLAlchemy object, hence import_module)
    monkeypatch.setattr(importlib.import_module("dienstenwijzer.db"), "LOCK_TIMEOUT_MS", 300)


@pytest.fixture
def locked(app):
    """Another connection holds a write lock on the demand signals, like a long import would."""
    if PG_URL:
        engine = create_engine(PG_URL)
        connection = engine.connect()
        connection.execute(text("LOCK TABLE demand_signal IN EXCLUSIVE MODE"))  # reads still pass
        yield
        connection.rollback()
        connection.close()
        engine.dispose()
    else:
        path = app.config["DATABASE_URL"].removeprefix("sqlite:///")
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE demand_signal SET text = text")
        yield
        connection.execute("ROLLBACK")
        connection.close()


def test_a_locked_write_answers_503_with_retry_after_while_searches_go_on(
    short_locks, client, staff, add_services, request
):
    add_services("gent", [service_row(extern_id="a")])
    login(client, "consulent@gent.example")
    client.get("/gent/beheer/vragen/nieuw")
    resident = client.application.test_client()
    request.getfixturevalue("locked")

    busy = client.post("/gent/beheer/vragen/nieuw", data={"need": "Vervoer naar de dagopvang"})
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "5"
    assert "Even geduld" in busy.get_data(
        as_text=True
    ) and "niet</strong> bewaard" in busy.get_data(as_text=True)
    for query in ("poetsen", "zwemles voor ouderen"):
        assert resident.get("/gent/zoeken", query_string={"q": query}).status_code == 200


def test_the_api_answers_a_busy_database_in_json(app, client):
    def busy():
        raise OperationalError("UPDATE service", {}, sqlite3.OperationalError("database is locked"))

    app.add_url_rule("/gent/api/v1/proef-bezet", "proef_bezet", busy)
    response = client.get("/gent/api/v1/proef-bezet")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.get_json()["error"]["status"] == 503


def test_other_database_errors_stay_errors(app, client):
    def broken():
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("no such table: x"))

    app.add_url_rule("/proef-kapot", "proef_kapot", broken)
    with pytest.raises(OperationalError):  # TESTING propagates it; in production it is a 500
        client.get("/proef-kapot")
    assert db.session.is_active
