"""A resident's search never writes: counts and signals are handed off and written in batches."""

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import create_engine, event, func, select

from dienstenwijzer.db import db
from dienstenwijzer.demand import handoff
from dienstenwijzer.demand.handoff import HandOff
from dienstenwijzer.models import DemandSignal, QueryCount, SearchCount
from tests.conftest import service_row

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def statements(app):
    """The SQL statements the app's engine runs, with the thread that ran them."""
    import threading

    seen: list[tuple[str, str]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((threading.current_thread().name, statement.lstrip().split()[0].upper()))

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


def test_a_search_that_finds_nothing_writes_nothing_in_the_request(
    client, add_services, statements
):
    add_services("gent", [service_row(extern_id="a")])
    statements.clear()
    for query in ("zwemles voor ouderen", "poetsen", "strijkdienst aan huis"):
        assert client.get("/gent/zoeken", query_string={"q": query}).status_code == 200
    assert [s for s in statements if s[1] in WRITES] == []
    assert db.session.scalar(select(func.count(DemandSignal.id))) == 0

    assert handoff.drain_now() == 3
    assert db.session.scalar(select(SearchCount.searches)) == 3
    assert db.session.scalar(select(func.count(DemandSignal.id))) == 2
    assert db.session.scalar(select(func.count(QueryCount.id))) == 3


def test_a_batch_is_one_transaction(client, add_services, statements):
    add_services("gent", [service_row(extern_id="a")])
    for i in range(20):
        client.get("/gent/zoeken", query_string={"q": f"poetsen {i}"})
    statements.clear()
    commits = []
    record = commits.append
    event.listen(db.engine, "commit", record)
    handoff.drain_now()
    event.remove(db.engine, "commit", record)
    kinds = [kind for _thread, kind in statements]
    # Two upserts (weekly totals, per query) for 20 searches, not one write per search.
    assert kinds.count("INSERT") == 2 and "UPDATE" not in kinds
    assert len(commits) == 1
    assert db.session.scalar(select(SearchCount.searches)) == 20


def test_a_full_queue_drops_and_counts_instead_of_waiting(app):
    written: list[list[str]] = []
    queue = HandOff(lambda session, notes: written.append(notes), max_items=2, seconds=3600)
    assert queue.put(app, "een") and queue.put(app, "twee")
    assert not queue.put(app, "drie")
    assert queue.dropped == 1 and queue.pending() == 2
    assert queue.drain_now() == 2 and written == [["een", "twee"]]
    assert queue.put(app, "vier")  # room again after the drain


def test_a_failed_batch_is_tried_again_with_the_next_drain(app):
    attempts: list[list[str]] = []

    def flaky(session, notes):
        attempts.append(list(notes))
        if len(attempts) == 1:
            raise RuntimeError("database is locked")

    queue = HandOff(flaky, seconds=3600)
    queue.put(app, "zwemles")
    assert queue.drain_now() == 0 and queue.pending() == 1
    assert queue.drain_now() == 1 and attempts == [["zwemles"], ["zwemles"]]


@pytest.mark.slow
def test_a_graceful_exit_writes_what_was_queued(app_config, add_services):
    """A worker that stops normally (gunicorn's graceful restart) loses no search."""
    add_services("gent", [service_row(extern_id="a")])
    script = textwrap.dedent(f"""
        from dienstenwijzer import create_app
        app = create_app({app_config!r})
        client = app.test_client()
        for q in ("poetsen", "zwemles", "hond uitlaten"):
            assert client.get("/gent/zoeken", query_string={{"q": q}}).status_code == 200
        # No drain here: the interval is an hour; only the exit hook can write them.
    """)
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    engine = create_engine(app_config["DATABASE_URL"])
    with engine.connect() as connection:
        assert connection.scalar(select(SearchCount.searches)) == 3
        assert connection.scalar(select(func.count(DemandSignal.id))) == 2
    engine.dispose()


def test_a_locked_database_keeps_the_batch_waiting_beyond_the_attempts(app):
    import sqlite3

    from sqlalchemy.exc import OperationalError

    calls: list[list[str]] = []

    def locked_three_times(session, notes):
        calls.append(list(notes))
        if len(calls) <= 3:
            raise OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))

    queue = HandOff(locked_three_times, seconds=3600)
    queue.put(app, "zwemles")
    for _ in range(3):
        assert queue.drain_now() == 0
    assert queue.drain_now() == 1 and queue.lost == 0
