"""The database is the source of truth; the index follows it through the outbox."""

import datetime as dt
import shutil
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import IndexOutbox, Provider, Service
from dienstenwijzer.models.catalogue import STATUS_ARCHIVED
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.outbox import apply_outbox, has_pending
from tests.conftest import service_row


def found(text: str, region: str = "gent") -> list[str]:
    return [h.name for h in search.search(region, SearchRequest(text=text, per_page=50)).hits]


def store():
    return current_app.extensions["search"].store


def test_a_change_writes_an_outbox_row_in_the_same_transaction(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    before = db.session.scalar(select(func.count(IndexOutbox.id)))
    service.name = "Poetsploeg Zonneschijn"
    db.session.rollback()  # nothing committed: no row either
    assert db.session.scalar(select(func.count(IndexOutbox.id))) == before
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Zonneschijn"
    db.session.commit()
    rows = db.session.scalars(select(IndexOutbox).where(IndexOutbox.id > 0)).all()
    assert len(rows) == before + 1 and rows[-1].service_id == service.id


def test_an_edit_reaches_the_index_only_through_the_outbox(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Zonneschijn"
    service.description = "Wij komen ook de ramen lappen."
    db.session.commit()
    assert has_pending(db.session, store())
    assert "Poetsploeg Zonneschijn" not in found("ramen")  # not applied yet
    assert search.sync() == 1
    assert found("ramen") == ["Poetsploeg Zonneschijn"]
    assert found("bezem") == []  # the old name is gone
    assert not has_pending(db.session, store())


def test_applying_twice_changes_nothing(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    assert search.sync() == 0
    generation = store().current()
    state = generation.read_applied()
    # Forget what was applied: the same rows again give the same index.
    generation.write_applied(type(state)(upto=0))
    apply_outbox(db.session, store())
    assert found("poetsen") == ["Poetsdienst De Bezem"]


def test_archiving_removes_the_service_from_search(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.status = STATUS_ARCHIVED
    db.session.commit()
    search.sync()
    assert found("poetsen") == []


def test_moving_a_service_to_another_region_updates_both_indexes(app, add_services):
    from dienstenwijzer.models import Municipality

    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.municipalities = [db.session.get(Municipality, "34022")]  # Kortrijk only
    db.session.commit()
    search.sync()
    assert found("poetsen", "gent") == []
    assert found("poetsen", "kortrijk") == ["Poetsdienst De Bezem"]


def test_renaming_a_provider_reindexes_its_services(app, add_services):
    add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkhulp")]
    )
    provider = db.session.scalar(select(Provider))
    provider.name = "Vzw Glans en Glorie"
    db.session.commit()
    search.sync()
    assert sorted(found("glorie")) == ["Poetsdienst De Bezem", "Strijkhulp"]


def test_a_held_lock_never_reaches_the_user_and_the_change_waits(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Zonneschijn"
    db.session.commit()
    generation = store().current()
    with generation.apply_lock(wait=0) as held:
        assert held
        # Another process is applying: this one gives up at once, nothing raised.
        assert apply_outbox(db.session, store(), wait=0) == 0
        assert "Poetsploeg Zonneschijn" not in found("zonneschijn")
    assert has_pending(db.session, store())
    assert search.sync() == 1
    assert found("zonneschijn") == ["Poetsploeg Zonneschijn"]


def test_a_late_commit_with_an_older_id_is_still_applied(app, add_services):
    """PostgreSQL can commit id 10 after id 11; the gap-aware cursor catches id 10."""
    add_services(
        "gent", [service_row(extern_id="a"), service_row(extern_id="b", naam="Strijkhulp")]
    )
    first, second = db.session.scalars(select(Service).order_by(Service.id)).all()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    late = IndexOutbox(service_id=first.id, created_at=now)
    db.session.add(late)
    db.session.flush()
    newer = IndexOutbox(service_id=second.id, created_at=now)
    db.session.add(newer)
    db.session.flush()
    late_id = late.id
    # Pretend only `newer` had committed when an apply ran.
    generation = store().current()
    state = generation.read_applied()
    generation.write_applied(state.advance([newer.id], [], now))
    first.name = "Poetsploeg Laat"
    db.session.commit()
    assert late_id < newer.id
    search.sync()
    assert found("laat") == ["Poetsploeg Laat"]


def test_reindex_reproduces_the_same_results(app, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id=str(i),
                naam=f"Poetsdienst {i}",
                omschrijving=f"Dienst nummer {i}: poetsen, strijken en de was.",
            )
            for i in range(12)
        ],
    )
    queries = ["poetsen", "strijk", "de was", "dienst", "kuisen", ""]
    before = {
        q: [
            (h.service_id, h.name)
            for h in search.search("gent", SearchRequest(text=q, per_page=50)).hits
        ]
        for q in queries
    }
    old = store().current_path()
    search.rebuild_index()
    assert store().current_path() != old
    after = {
        q: [
            (h.service_id, h.name)
            for h in search.search("gent", SearchRequest(text=q, per_page=50)).hits
        ]
        for q in queries
    }
    assert after == before


def test_losing_the_index_directory_loses_nothing(app, add_services):
    add_services("gent", [service_row(extern_id="a")])
    shutil.rmtree(Path(app.config["INDEX_DIR"]))
    assert found("poetsen") == []
    search.rebuild_index()
    assert found("poetsen") == ["Poetsdienst De Bezem"]


def test_searching_applies_changes_made_by_another_process(app_config, add_services):
    """Every worker polls the outbox: an edit committed elsewhere shows up without a sync call."""
    from dienstenwijzer import create_app

    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Elders"
    db.session.commit()  # no sync: as if another host wrote it
    other = create_app({**app_config, "OUTBOX_POLL_SECONDS": 0})
    with other.app_context():
        assert [h.name for h in search.search("gent", SearchRequest(text="elders")).hits] == [
            "Poetsploeg Elders"
        ]
        db.engine.dispose()
