"""The processes of the index stress test (run in spawned interpreters, one role each).

Hosts follow the outbox with their own index directory, exactly as a gunicorn worker does;
writers change the catalogue the way the back office and the importer do (ORM flushes, so
the outbox hook writes rows in the same transaction).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.exc import OperationalError

from dienstenwijzer import create_app, search
from dienstenwijzer.db import db
from dienstenwijzer.models import Category, Municipality, Provider, Region, Service
from dienstenwijzer.models.catalogue import STATUS_ACTIVE, STATUS_ARCHIVED

WORDS = [
    "poetsen",
    "strijken",
    "tuin",
    "gras",
    "ramen",
    "klusjes",
    "boodschappen",
    "vervoer",
    "oppas",
    "fietsen",
    "herstellen",
    "energie",
    "snoeien",
    "maaltijden",
    "kuisen",
]


def _app(config: dict, index_dir: str | None = None, follower: bool = False):
    overrides = {
        **config,
        "INDEX_FOLLOWER": follower,
        "OUTBOX_POLL_SECONDS": 0.1,
        # The outbox alone must converge: the self-check would hide its mistakes.
        "INDEX_SELF_CHECK_SECONDS": 10**9,
    }
    if index_dir:
        overrides["INDEX_DIR"] = index_dir
    return create_app(overrides)


def host(config: dict, index_dir: str, stop_file: str) -> None:
    """A host: its follower applies whatever lands in the outbox, until told to stop."""
    app = _app(config, index_dir, follower=True)
    with app.app_context():
        search.follow()
        while not Path(stop_file).exists():
            time.sleep(0.1)
        search.stop_following()


def _retry(action, attempts: int = 50):
    """SQLite has one writer: a long import makes other writers wait, as in production."""
    for attempt in range(attempts):
        try:
            return action()
        except OperationalError:
            db.session.rollback()
            time.sleep(0.05 * (attempt + 1))
    raise RuntimeError("the database stayed locked")


def bulk_import(
    config: dict, seed: int, sizes: list[int], hold: float, sync: bool, done_file: str | None = None
) -> None:
    """Import services in one transaction per size, flushing in chunks and holding it open.

    `done_file` is touched when the last import has committed (before this process syncs)."""
    rng = random.Random(seed)
    app = _app(config)
    with app.app_context():
        region = db.session.scalar(select(Region).where(Region.slug == "gent"))
        provider = db.session.scalar(select(Provider).where(Provider.region_id == region.id))
        places = db.session.scalars(
            select(Municipality).where(Municipality.region_id == region.id)
        ).all()
        categories = db.session.scalars(select(Category).where(Category.parent_id.is_(None))).all()
        for n, size in enumerate(sizes):

            def write(size=size, n=n) -> None:
                for i in range(size):
                    words = " ".join(rng.sample(WORDS, 4))
                    db.session.add(
                        Service(
                            region=region,
                            provider=provider,
                            name=f"Bulk {seed}-{n}-{i} {words}",
                            description=f"Wij helpen met {words}.",
                            dienstencheques=False,
                            municipalities=[rng.choice(places)],
                            categories=[rng.choice(categories)],
                        )
                    )
                    if i % 500 == 499:
                        db.session.flush()
                        time.sleep(hold / max(1, size // 500))
                db.session.commit()

            _retry(write)
            if done_file and n == len(sizes) - 1:
                Path(done_file).touch()
            if sync:
                search.sync(wait=30)


def editor(config: dict, seed: int, seconds: float, pause: float, sync: bool) -> None:
    """Rename, archive, restore and move random services, one commit each."""
    rng = random.Random(seed)
    app = _app(config)
    with app.app_context():
        places = db.session.scalars(select(Municipality)).all()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:

            def edit() -> None:
                if db.engine.dialect.name == "postgresql":
                    # Renaming the provider an import is adding services to waits for the
                    # import (the name is in a unique key): give up and try another edit.
                    db.session.execute(text("SET LOCAL lock_timeout = '500ms'"))
                top = db.session.scalar(select(func.max(Service.id))) or 0
                service = db.session.get(Service, rng.randint(1, top)) if top else None
                if service is None:
                    return
                action = rng.random()
                if action < 0.5:
                    service.name = f"Bewerkt {rng.randint(0, 10**6)} {rng.choice(WORDS)}"
                elif action < 0.7:
                    service.status = STATUS_ARCHIVED if service.is_active else STATUS_ACTIVE
                elif action < 0.9:
                    service.municipalities = [rng.choice(places)]
                else:
                    service.provider.name = f"Aanbieder {rng.randint(0, 10**6)}"
                db.session.commit()

            _retry(edit)
            if sync:
                search.sync(wait=5)
            time.sleep(pause * rng.random() * 2)
