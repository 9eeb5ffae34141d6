#!/usr/bin/env python
"""Taught word -> searchable in another worker: how long it takes, and what the poll costs.

    python bench/synonym_latency.py --rounds 20

Two apps on one SQLite database and one index directory, as two gunicorn workers are: the
first teaches a word (category, then service) through teaching/words.py and commits (the clock
starts just before the commit); the
second, with its follower running at the default OUTBOX_POLL_SECONDS, is searched until it
finds the service. Prints median, p95 and max seconds per kind, and the time of the one query
each follower pass adds (reading synonym_version). The 1-minute load average is printed beside
every figure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.orm import Session

from dienstenwijzer import MIGRATIONS_DIR, create_app, search
from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.config import PROJECT_ROOT
from dienstenwijzer.db import db
from dienstenwijzer.models import Category, Region, Service
from dienstenwijzer.places import Places
from dienstenwijzer.reference_data import load_reference_data
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.region_synonyms import current_version
from dienstenwijzer.teaching import words

CSV = (
    "extern_id;naam;aanbieder;categorie;omschrijving;gemeenten;straat;postcode;gemeente\n"
    "a;Poetsdienst De Bezem;Vzw Proper Thuis;poetsen;Wij poetsen bij u thuis.;Gent;Kerkstraat 1;9000;Gent\n"
)


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def summary(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"median {statistics.median(values):.3f} s, p95 {p95:.3f} s, max {values[-1]:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="synonym-bench-"))
    config = {
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "INDEX_DIR": str(tmp / "index"),
        "SECRET_KEY": "bench",
        "INDEX_FOLLOWER": False,
        "OUTBOX_POLL_SECONDS": 3600,
    }
    writer = create_app(config)
    with writer.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="heads")
        load_reference_data(db.session, PROJECT_ROOT / "fixtures")
        gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
        apply_import(db.session, gent, plan_import(db.session, gent, CSV, Places(db.session)))
        db.session.commit()
        search.rebuild_index()
    reader = create_app({**config, "INDEX_FOLLOWER": True, "OUTBOX_POLL_SECONDS": 0.25})
    with reader.app_context():
        search.follow()
    results: dict[str, list[float]] = {"categorie": [], "dienst": []}
    for i in range(args.rounds):
        for kind, times in results.items():
            term = f"blinkfee{kind}{i:03d}"
            with writer.app_context():
                gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
                target = (
                    words.Target(category=db.session.get(Category, "poetsen"))
                    if kind == "categorie"
                    else words.Target(service=db.session.scalar(select(Service)))
                )
                words.add_word(db.session, gent, term, target)
                # From before the commit: the word may be visible to readers before commit()
                # returns. No sync, no refresh: only the reader's follower may notice.
                start = time.monotonic()
                db.session.commit()
            with reader.app_context():
                while not search.search("gent", SearchRequest(text=term)).hits:
                    if time.monotonic() - start > 30:
                        raise SystemExit(f"{term} not found after 30 s")
                    time.sleep(0.01)
                times.append(time.monotonic() - start)
    for kind, values in results.items():
        print(
            f"taught word for a {kind} -> found in the other worker: {summary(values)} "
            f"({len(values)} rounds, load {load()})"
        )
    with reader.app_context():
        with Session(db.engine) as session:
            start = time.perf_counter()
            for _ in range(1000):
                current_version(session)
            each = (time.perf_counter() - start) / 1000
        print(
            f"follower's extra query per pass (synonym_version): {each * 1e6:.0f} µs (load {load()})"
        )
        search.stop_following()


if __name__ == "__main__":
    main()
