"""Database wiring: declarative base with a constraint naming convention, lock waits, busy page.

A writer waits at most LOCK_TIMEOUT_MS for a lock (SQLite busy_timeout, PostgreSQL
lock_timeout); when it still cannot get it, the view answers 503 with Retry-After ("try again
in a moment") instead of a 500. Residents' pages do not write, so they never get here.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase

LOCK_TIMEOUT_MS = 10_000
RETRY_AFTER_SECONDS = 5
# PostgreSQL: lock_not_available (lock_timeout), deadlock_detected. SQLite says it in words.
PG_LOCK_STATES = frozenset({"55P03", "40P01"})

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _connection_settings(dbapi_connection, connection_record) -> None:
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        # WAL lets readers (search workers) go on while a writer commits; foreign keys are off by default.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(LOCK_TIMEOUT_MS)}")
        cursor.close()
    elif module.startswith("psycopg"):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET lock_timeout = {int(LOCK_TIMEOUT_MS)}")
        cursor.close()
        dbapi_connection.commit()  # SET inside a rolled-back transaction would be undone


def is_lock_timeout(exc: OperationalError) -> bool:
    """True when a write gave up waiting for a lock held by another writer."""
    state = getattr(exc.orig, "sqlstate", None) or getattr(
        exc.orig, "pgcode", None
    )  # psycopg 3 / 2
    if state in PG_LOCK_STATES:
        return True
    return "database is locked" in str(exc.orig)


def register_busy_handler(app: Flask) -> None:
    """A write that cannot get its lock answers 503 with Retry-After (JSON under /api/), not 500."""

    @app.errorhandler(OperationalError)
    def _busy(exc: OperationalError):
        if not is_lock_timeout(exc):
            raise exc
        db.session.rollback()
        app.logger.warning("database busy on %s %s: %s", request.method, request.path, exc.orig)
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        if "/api/" in request.path:
            message = "De databank is even bezet. Probeer het over enkele seconden opnieuw."
            return {"error": {"status": 503, "message": message}}, 503, headers
        return render_template("errors/busy.html", retry_after=RETRY_AFTER_SECONDS), 503, headers
