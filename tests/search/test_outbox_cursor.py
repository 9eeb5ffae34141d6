"""The outbox cursor never moves past a committed row: late commits, bulk imports, rollbacks."""

import datetime as dt
import os

import pytest
from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import IndexOutbox, Service
from dienstenwijzer.search import SearchRequest, outbox
from dienstenwijzer.search.store import GAP_PATIENCE, AppliedState
from tests.conftest import service_row

NOW = dt.datetime(2026, 12, 1, 12, 0, 0)


def found_ids(text: str, region: str = "gent") -> set[int]:
    result = search.search(region, SearchRequest(text=text, per_page=50))
    return {h.service_id for h in result.hits}


def test_ids_skipped_by_a_later_commit_become_gaps_until_they_are_seen():
    state = AppliedState(upto=10).advance([11, 14, 15, 19], [], NOW)
    assert state.upto == 19
    assert state.gap_ranges() == [(12, 13), (16, 18)]
    state = state.advance([], [12, 17], NOW)
    assert state.gap_ranges() == [(13, 13), (16, 16), (18, 18)]
    state = state.advance([20], [13, 16, 18], NOW)
    assert (state.upto, state.gaps) == (20, [])


def test_gaps_of_rolled_back_transactions_are_given_up_after_a_while():
    state = AppliedState(upto=1).advance([5], [], NOW)
    assert state.expire(NOW + GAP_PATIENCE / 2).gap_ranges() == [(2, 4)]
    assert state.expire(NOW + GAP_PATIENCE * 2).gap_ranges() == []


def test_the_state_survives_a_round_trip_through_its_file():
    state = AppliedState(upto=3).advance([7], [], NOW)
    assert AppliedState.from_json(state.to_json()) == state
    # A state written by the previous version (a "recent" window) still loads.
    assert AppliedState.from_json('{"upto": 9, "recent": {"8": "x"}}') == AppliedState(9)


def test_a_bulk_import_larger_than_a_batch_is_applied_whole(app, add_services, monkeypatch):
    """Before: rows applied in the first batch filled the next batch's LIMIT, and the rest of the
    import stayed out of the index (2 000 of 12 000 found)."""
    monkeypatch.setattr(outbox, "BATCH", 25)
    add_services(
        "gent", [service_row(extern_id=str(i), naam=f"Strijkdienst {i}") for i in range(130)]
    )
    assert len(found_ids("strijkdienst")) == 50  # a page of 50 ...
    total = search.search("gent", SearchRequest(text="strijkdienst")).total
    assert total == 130  # ... of all 130
    assert not search.check_index()[0].missing


def test_a_commit_that_lands_after_a_higher_id_was_applied_is_not_lost(app, add_services):
    """PostgreSQL hands out ids at insert time and commits in any order: id 10 can become
    visible after id 11 was applied."""
    add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkhulp")]
    )
    first, second = db.session.scalars(select(Service).order_by(Service.id)).all()
    store = current_app.extensions["search"].store
    generation = store.current()
    # What an apply saw while the transaction of `late` was still open: only the higher id.
    late = IndexOutbox(service_id=first.id)
    newer = IndexOutbox(service_id=second.id)
    db.session.add(late)
    db.session.flush()
    db.session.add(newer)
    db.session.flush()
    generation.write_applied(generation.read_applied().advance([newer.id], [], NOW))
    first.name = "Poetsploeg Laat"
    db.session.commit()
    assert search.sync() >= 1
    assert found_ids("laat") == {first.id}
    assert generation.read_applied().gaps == []


@pytest.mark.skipif(
    not os.environ.get("DIENSTENWIJZER_TEST_DATABASE_URL"),
    reason="two open write transactions need PostgreSQL",
)
def test_two_real_transactions_committing_out_of_order_both_reach_the_index(app, add_services):
    add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkhulp")]
    )
    first_id, second_id = db.session.scalars(select(Service.id).order_by(Service.id)).all()
    with Session(db.engine) as slow, Session(db.engine) as quick:
        slow.get(Service, first_id).name = "Poetsploeg Traag"
        slow.flush()  # takes the lower outbox id, stays uncommitted
        quick.get(Service, second_id).name = "Strijkhulp Snel"
        quick.commit()  # the higher id commits first
        search.sync()
        assert found_ids("snel") == {second_id}
        slow.commit()
    search.sync()
    assert found_ids("traag") == {first_id}
    drift = search.check_index()
    assert all(d.ok for d in drift), [(d.slug, d.missing, d.stale, d.extra) for d in drift]


def test_the_applied_state_counts_every_row_once(app, add_services):
    add_services("gent", [service_row(extern_id=str(i)) for i in range(5)])
    store = current_app.extensions["search"].store
    state = store.current().read_applied()
    assert state.upto == db.session.scalar(select(func.max(IndexOutbox.id)))
    assert state.gaps == []
