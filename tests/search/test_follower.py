"""Every process follows the outbox in the background: no search applies it inline."""

import datetime as dt
import time

import pytest
from sqlalchemy import select, update

from dienstenwijzer import create_app, search
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import service_row


@pytest.fixture
def following(app_config):
    """A second process's view of the same database and index, with its follower running."""
    other = create_app(
        {
            **app_config,
            "INDEX_FOLLOWER": True,
            "OUTBOX_POLL_SECONDS": 0.05,
            "INDEX_SELF_CHECK_SECONDS": 0.5,
        }
    )
    yield other
    with other.app_context():
        search.stop_following()
        db.engine.dispose()


def eventually(check, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return False


def test_an_edit_made_elsewhere_is_applied_without_anyone_calling_sync(
    app, add_services, following
):
    add_services("gent", [service_row(extern_id="a")])
    service = db.session.scalar(select(Service))
    service.name = "Poetsploeg Elders"
    db.session.commit()  # no sync: as if another host wrote it
    with following.app_context():
        search.follow()

        def found() -> bool:
            hits = search.search("gent", SearchRequest(text="elders")).hits
            return [h.name for h in hits] == ["Poetsploeg Elders"]

        assert eventually(found)


def test_the_follower_repairs_drift_by_itself(app, add_services, following):
    add_services("gent", [service_row(extern_id="a")])
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(seconds=1)
    db.session.execute(update(Service).values(name="Strijkatelier Stil", updated_at=later))
    db.session.commit()  # plain SQL: no outbox row, only the self-check can notice
    with following.app_context():
        search.follow()

        def healed() -> bool:
            return [h.name for h in search.search("gent", SearchRequest(text="stil")).hits] == [
                "Strijkatelier Stil"
            ]

        assert eventually(healed)
        assert all(d.ok for d in search.check_index())
