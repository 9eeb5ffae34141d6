#!/usr/bin/env python
"""Open-data API benchmark: response times of the HSDS endpoints over a large catalogue.

    python bench/api_bench.py --services 100000
    python bench/api_bench.py --services 100000 --database-url postgresql+psycopg://…
    python bench/api_bench.py --services 5000 --requests 50      # a quick run

A catalogue of N services like the demo's (bench_catalogue.py, spread over the 11 zorggebieden
by inhabitants) is bulk-loaded (bench_bulk_load.py) into a fresh database; then requests go
through the app in this process (Flask's test client: no network, one thread), so the figures
are the app's own time per request: SQL, shaping, JSON. Random pages and random ids each time.
The 1-minute load average is printed beside every figure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_bulk_load import bulk_load
from bench_catalogue import write_catalogue
from bench_reference import load_reference


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def timed(client, urls: list[str]) -> dict:
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        body = response.get_data()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, body[:300])
    times.sort()
    return {
        "n": len(times),
        "p50": statistics.median(times),
        "p95": times[min(len(times) - 1, int(len(times) * 0.95))],
        "max": times[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per endpoint")
    parser.add_argument(
        "--database-url",
        help="an empty database, or one a previous run filled (reused as it is); "
        "default: a new SQLite file",
    )
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from dienstenwijzer import MIGRATIONS_DIR, create_app
    from dienstenwijzer.config import PROJECT_ROOT
    from dienstenwijzer.db import db
    from dienstenwijzer.models import Service
    from dienstenwijzer.reference_data import load_reference_data

    tmp = Path(tempfile.mkdtemp(prefix="api-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    app = create_app(
        {
            "DATABASE_URL": url,
            "INDEX_DIR": str(tmp / "index"),
            "SECRET_KEY": "bench",
            "OPEN_DATA_DIR": str(tmp / "open-data"),
            "INDEX_FOLLOWER": False,
            "OUTBOX_POLL_SECONDS": 3600,
            "SERVER_NAME": "bench.test",
        }
    )
    ref = load_reference(PROJECT_ROOT)
    with app.app_context():
        start = time.perf_counter()
        upgrade(directory=MIGRATIONS_DIR, revision="heads")
        if db.session.scalar(select(func.count(Service.id))):
            print(f"reusing the catalogue already in {url}")
        else:
            load_reference_data(db.session, PROJECT_ROOT / "fixtures")
            db.session.commit()
            write_catalogue(ref, args.services, tmp / "catalogue", seed=1)
            loaded = bulk_load(url, tmp / "catalogue", ref)
            print(
                f"loaded {loaded} services in {time.perf_counter() - start:.0f} s (load {load()})"
            )
        ids = db.session.scalars(select(Service.uuid)).all()
        newest = db.session.scalar(select(func.max(Service.updated_at)))
        db.session.remove()

    rng = random.Random(7)
    n = args.requests
    pages = max(1, len(ids) // 50)
    gent_pages = max(1, pages // 10)
    since = newest.replace(microsecond=0).isoformat() + "Z"
    suites = {
        "/api/v1/services (random page, 10 per page)": [
            f"/api/v1/services?page={rng.randint(1, len(ids) // 10)}" for _ in range(n)
        ],
        "/api/v1/services?full=true&per_page=50 (random page)": [
            f"/api/v1/services?full=true&per_page=50&page={rng.randint(1, pages)}" for _ in range(n)
        ],
        "/api/v1/services?minimal=true&per_page=50 (random page)": [
            f"/api/v1/services?minimal=true&per_page=50&page={rng.randint(1, pages)}"
            for _ in range(n)
        ],
        "/gent/api/v1/services (random early page)": [
            f"/gent/api/v1/services?page={rng.randint(1, gent_pages)}" for _ in range(n)
        ],
        "/api/v1/services?modified_after=<newest>": [
            f"/api/v1/services?modified_after={since}" for _ in range(n)
        ],
        "/api/v1/services/{id} (random id)": [
            f"/api/v1/services/{rng.choice(ids)}" for _ in range(n)
        ],
        "/api/v1/organizations (random page)": [
            f"/api/v1/organizations?page={rng.randint(1, 20)}" for _ in range(n)
        ],
    }
    client = app.test_client()
    print(f"{len(ids)} services; {n} requests per line; ms per request (in-process)")
    for name, urls in suites.items():
        before = load()
        result = timed(client, urls)
        print(
            f"{name:58} p50 {result['p50']:7.1f}  p95 {result['p95']:7.1f}  max {result['max']:7.1f}"
            f"   load {before}->{load()}"
        )
    before, start = load(), time.perf_counter()
    response = client.get("/gent/api/v1/services?format=ndjson")
    lines = sum(1 for chunk in response.response for _ in range(chunk.count(b"\n")))
    seconds = time.perf_counter() - start
    print(
        f"bulk download /gent/api/v1/services?format=ndjson: {lines} services in {seconds:.1f} s "
        f"({lines / seconds:.0f}/s)   load {before}->{load()}"
    )
    # The data package: built outside the request (what a request used to do itself, before
    # api/packages.py), then the request that streams the ready file.
    from dienstenwijzer.api import packages

    with app.app_context():
        for path in ("/gent/api/v1/download.zip", "/api/v1/download.zip"):
            before, start = load(), time.perf_counter()
            waiting = client.get(path)
            waited = (time.perf_counter() - start) * 1000
            packages.wait_for_builds(timeout=3600)
            built = time.perf_counter() - start
            print(
                f"data package {path}: no file yet -> {waiting.status_code} in {waited:.0f} ms; "
                f"built in the background in {built:.1f} s   load {before}->{load()}"
            )
            times, size = [], 0
            for _ in range(10):
                before, start = load(), time.perf_counter()
                response = client.get(path)
                size = sum(len(chunk) for chunk in response.response)
                response.close()
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            print(
                f"data package {path}: {size / 1e6:.1f} MB, request streaming the ready file "
                f"p50 {statistics.median(times):.0f} ms max {max(times):.0f} ms   "
                f"load {before}->{load()}"
            )


if __name__ == "__main__":
    main()
