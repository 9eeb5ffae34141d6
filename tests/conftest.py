"""Test fixtures: each test gets a fresh database and a fresh index.

SQLite by default: the schema (through the Alembic migrations) and the reference data are
built once per session into a template file that each test copies. Set
DIENSTENWIJZER_TEST_DATABASE_URL to a PostgreSQL URL to run the same tests there; the
catalogue tables are then emptied between tests.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from dienstenwijzer import create_app, search
from dienstenwijzer.api import packages
from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.config import PROJECT_ROOT
from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.models import Region
from dienstenwijzer.places import Places
from dienstenwijzer.reference_data import load_reference_data

PG_URL = os.environ.get("DIENSTENWIJZER_TEST_DATABASE_URL")
FIXTURES = PROJECT_ROOT / "fixtures"
# Tables that hold reference data: built once; on PostgreSQL kept between tests, with the
# regions' own columns put back from the template before each test.
REFERENCE_TABLES = {
    "region",
    "municipality",
    "postcode",
    "category",
    "category_synonym",
    "alembic_version",
}


def _prepare(url: str, tmp: Path) -> None:
    app = create_app({"DATABASE_URL": url, "INDEX_DIR": str(tmp / "index"), "SECRET_KEY": "x"})
    with app.app_context():
        from flask_migrate import upgrade

        from dienstenwijzer import MIGRATIONS_DIR

        upgrade(directory=MIGRATIONS_DIR, revision="heads")
        load_reference_data(db.session, FIXTURES)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    tmp = tmp_path_factory.mktemp("template")
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _prepare(PG_URL, tmp)
        # Staff settings and `init` change a zorggebied's own columns (contact, demo flag); on
        # PostgreSQL the reference tables are kept between tests, so each test gets the
        # template's regions back (_fresh_database_url).
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS test_template CASCADE"))
            conn.execute(text("CREATE SCHEMA test_template"))
            conn.execute(text("CREATE TABLE test_template.region AS TABLE public.region"))
        engine.dispose()
        return PG_URL
    path = tmp / "template.sqlite3"
    _prepare(f"sqlite:///{path}", tmp)
    return str(path)


def _fresh_database_url(template: str, tmp_path: Path) -> str:
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            tables = [
                r[0]
                for r in conn.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname='public'")
                )
                if r[0] not in REFERENCE_TABLES
            ]
            if tables:
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            columns = [
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT column_name FROM information_schema.columns "
                        "WHERE table_schema = 'public' AND table_name = 'region' "
                        "AND column_name <> 'id'"
                    )
                )
            ]
            assignments = ", ".join(f'"{c}" = t."{c}"' for c in columns)
            conn.execute(
                text(
                    f"UPDATE region SET {assignments} FROM test_template.region t "
                    "WHERE region.id = t.id"
                )
            )
        engine.dispose()
        return PG_URL
    path = tmp_path / "test.sqlite3"
    shutil.copy(template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def app_config(database_template, tmp_path) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": _fresh_database_url(database_template, tmp_path),
        "INDEX_DIR": str(tmp_path / "index"),
        "OPEN_DATA_DIR": str(tmp_path / "open-data"),
        "API_RATE_LIMIT_FILE": str(tmp_path / "api-rate-limit.bin"),
        "SECRET_KEY": "test-secret",
        "SERVER_NAME": "dienstenwijzer.test",
        # Tests apply the outbox themselves (search.sync); the follower is tested apart.
        "OUTBOX_POLL_SECONDS": 3600,
        "INDEX_FOLLOWER": False,
        # Tests write handed-off searches themselves (handoff.drain_now()), at a moment they choose.
        "DEMAND_HANDOFF_SECONDS": 3600,
        # Forms are posted directly in tests; tests/accounts/test_csrf.py turns this back on.
        "WTF_CSRF_ENABLED": False,
    }


class ReadingClient(FlaskClient):
    """Reads every response to its end and closes it, as a WSGI server does.

    A streamed response (sitemap, NDJSON export) that a test never reads keeps its
    stream_with_context generator, holding the app context it pushed; when the garbage
    collector closes it during a later test, it pops that test's context instead."""

    def open(self, *args, buffered: bool = True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    app.test_client_class = ReadingClient
    with app.app_context():
        search.rebuild_index()
        yield app
        # Searches handed off but not written die with the test's database (on PostgreSQL the
        # next test reuses the URL): tests write them with handoff.drain_now().
        handoff.discard(app)
        # A download may have started building a bulk file in the background (api/packages.py):
        # let it end before its database goes.
        packages.wait_for_builds()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


COLUMNS = [
    "extern_id",
    "naam",
    "aanbieder",
    "categorie",
    "omschrijving",
    "gemeenten",
    "straat",
    "postcode",
    "gemeente",
    "telefoon",
    "email",
    "website",
    "dienstencheques",
    "prijs",
    "doelgroep",
    "openingsuren",
]


def csv_text(rows: list[dict], delimiter: str = ";") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def service_row(**values) -> dict:
    """A valid import row for Gent; override any column."""
    row = {
        "naam": "Poetsdienst De Bezem",
        "aanbieder": "Vzw Proper Thuis",
        "categorie": "poetsen",
        "omschrijving": "Onze huishoudhulpen komen bij u thuis poetsen, elke week of om de twee weken.",
        "gemeenten": "Gent",
        "straat": "Kerkstraat 1",
        "postcode": "9000",
        "gemeente": "Gent",
        "dienstencheques": "ja",
    }
    row.update(values)
    return row


def import_rows(region_slug: str, rows: list[dict]):
    """Import rows the way `dienstenwijzer import` does, commit, and apply the outbox."""
    region = db.session.scalar(db.select(Region).where(Region.slug == region_slug))
    plan = plan_import(db.session, region, csv_text(rows), Places(db.session))
    assert plan.ok, [str(e) for e in plan.errors]
    summary = apply_import(db.session, region, plan)
    db.session.commit()
    search.sync(wait=5)
    return summary


@pytest.fixture
def add_services(app):
    return import_rows


PASSWORD = "een lang wachtwoord"


def make_user(email: str, role: str, region_slug: str | None = None, password: str = PASSWORD):
    """A staff account, created the way `dienstenwijzer create-user` does."""
    from dienstenwijzer.accounts.passwords import hash_password
    from dienstenwijzer.models import User

    region = (
        db.session.scalar(db.select(Region).where(Region.slug == region_slug))
        if region_slug
        else None
    )
    user = User(
        email=email, role=role, region=region, active=True, password_hash=hash_password(password)
    )
    db.session.add(user)
    db.session.commit()
    return user


def login(client, email: str, password: str = PASSWORD):
    """Log in through the real form (tests run with CSRF checks off unless they turn them on)."""
    return client.post("/aanmelden", data={"email": email, "password": password})


@pytest.fixture
def staff(app):
    """One account per role: regisseur and consulent of Gent, regisseur of Kortrijk, admin."""
    return {
        "regisseur": make_user("regisseur@gent.example", "regisseur", "gent"),
        "consulent": make_user("consulent@gent.example", "consulent", "gent"),
        "other": make_user("regisseur@kortrijk.example", "regisseur", "kortrijk"),
        "admin": make_user("admin@dienstenwijzer.example", "admin"),
    }


@pytest.fixture
def regisseur(client, staff, add_services):
    """The Gent regisseur, logged in, with one Gent service (tests that need more override it)."""
    add_services("gent", [service_row(extern_id="a")])
    login(client, "regisseur@gent.example")
    return client


def text_of(html: str) -> str:
    """A page's words without its tags, white space folded: what a reader sees, for asserts."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
