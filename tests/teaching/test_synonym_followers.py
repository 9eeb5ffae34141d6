"""A word taught in one process is used by every other process's search, without a restart."""

import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from dienstenwijzer import create_app, search
from dienstenwijzer.db import db
from dienstenwijzer.models import RegionSynonym, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import login, service_row
from tests.search.test_follower import eventually

WORD = "blinkfee"


@pytest.fixture
def other_worker(app_config):
    """A second worker on the same database and index, with its follower running."""
    other = create_app({**app_config, "INDEX_FOLLOWER": True, "OUTBOX_POLL_SECONDS": 0.05})
    yield other
    with other.app_context():
        search.stop_following()
        db.engine.dispose()


def names(slug: str, text: str) -> list[str]:
    return [h.name for h in search.search(slug, SearchRequest(text=text)).hits]


@pytest.fixture
def taught(client, staff, add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a"),
            service_row(
                extern_id="b",
                naam="Klusjesdienst Hamer",
                categorie="klusjesdienst",
                omschrijving="Kleine herstellingen in huis.",
                dienstencheques="nee",
            ),
        ],
    )
    login(client, "regisseur@gent.example")
    return client


def test_category_and_service_words_reach_another_worker_and_leave_it_again(taught, other_worker):
    with other_worker.app_context():
        search.follow()
        assert (
            names("gent", WORD) == [] and names("gent", "reparatiekabouter") == []
        )  # loaded, cached
    hamer = db.session.scalar(select(Service.id).where(Service.name == "Klusjesdienst Hamer"))
    taught.post(
        "/gent/beheer/zoekwoorden/nieuw", data={"term": WORD, "target": "categorie:poetsen"}
    )
    taught.post(
        "/gent/beheer/zoekwoorden/nieuw",
        data={"term": "reparatiekabouter", "target": f"dienst:{hamer}"},
    )
    with other_worker.app_context():
        assert eventually(lambda: names("gent", WORD) == ["Poetsdienst De Bezem"])
        assert eventually(lambda: names("gent", "reparatiekabouter") == ["Klusjesdienst Hamer"])
        assert names("kortrijk", WORD) == []
    for synonym_id in db.session.scalars(select(RegionSynonym.id)).all():
        assert taught.post(f"/gent/beheer/zoekwoorden/{synonym_id}/verwijderen").status_code == 302
    with other_worker.app_context():
        assert eventually(
            lambda: names("gent", WORD) == [] and names("gent", "reparatiekabouter") == []
        )


@pytest.mark.slow
def test_a_word_taught_here_is_found_by_a_separate_process(taught, app_config):
    """Another OS process (as a gunicorn worker is), following the database by itself."""
    script = textwrap.dedent(f"""
        import time
        from dienstenwijzer import create_app, search
        from dienstenwijzer.search import SearchRequest
        app = create_app({{**{app_config!r}, "INDEX_FOLLOWER": True, "OUTBOX_POLL_SECONDS": 0.05}})
        with app.app_context():
            def hits():
                return [h.name for h in search.search("gent", SearchRequest(text="{WORD}")).hits]
            print("before", hits(), flush=True)
            input()  # the test teaches the word now
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not hits():
                time.sleep(0.05)
            print("after", hits(), flush=True)
            search.stop_following()
    """)
    with subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as worker:
        try:
            assert worker.stdout.readline().strip() == "before []"
            taught.post(
                "/gent/beheer/zoekwoorden/nieuw", data={"term": WORD, "target": "categorie:poetsen"}
            )
            worker.stdin.write("\n")
            worker.stdin.flush()
            assert worker.stdout.readline().strip() == "after ['Poetsdienst De Bezem']"
        finally:
            worker.stdin.close()
            worker.wait(30)
