#!/usr/bin/env python
"""What a resident's search waits for: time N distinct searches through the Flask test client.

    python bench/readpath_stall.py --searches 1000
    PYTHONPATH=/tmp/old-checkout python bench/readpath_stall.py   # the same against older code

A fresh SQLite database with the demo catalogue (`dienstenwijzer init`) in a temp directory;
distinct queries, about half of which find nothing (those become demand signals). Prints the
request latency (p50/p95/p99/max, and how many took over 100 ms), then, where the code hands
off its writes, how long the background writer needed for them. Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

FOUND = [
    "poetsen",
    "strijken",
    "tuinonderhoud",
    "klusjes",
    "boodschappen",
    "maaltijden",
    "oppas",
    "vervoer",
    "gras maaien",
    "was en strijk",
]
MISSING = [
    "zwemles",
    "pianoles",
    "hondentrimmer",
    "paardrijles",
    "sterrenkijken",
    "pedicure aan huis",
    "bijlesgever wiskunde",
    "fietsherstelling",
    "computerles senioren",
    "naaiatelier",
]
PLACES = [
    "gent",
    "in de buurt",
    "dringend",
    "goedkoop",
    "elke week",
    "voor mijn moeder",
    "zaterdag",
    "na 18 uur",
    "met dienstencheques",
    "aan huis",
]


def queries(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        need = rng.choice(FOUND if rng.random() < 0.5 else MISSING)
        q = f"{need} {rng.choice(PLACES)} {rng.randint(1, 10_000)}"
        if q not in seen:
            seen.add(q)
            out.append(q)
    return out


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searches", type=int, default=1000)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args()

    import dienstenwijzer
    from dienstenwijzer import create_app

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="readpath-stall-"))
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
            "INDEX_DIR": str(workdir / "index"),
            "SECRET_KEY": "bench-secret",
        }
    )
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    print(f"code: {Path(dienstenwijzer.__file__).parent}")
    client = app.test_client()
    client.get("/gent/zoeken?q=poetsen")  # warm up templates and index readers

    timings: list[float] = []
    zero = 0
    started = time.perf_counter()
    for i, q in enumerate(queries(args.searches)):
        t0 = time.perf_counter()
        response = client.get(
            "/gent/zoeken", query_string={"q": q}, environ_base={"REMOTE_ADDR": f"10.0.{i % 250}.1"}
        )
        timings.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.status_code
        zero += "Geen resultaten" in response.get_data(
            as_text=True
        ) or "niets gevonden" in response.get_data(as_text=True)
    total = time.perf_counter() - started
    print(
        f"{len(timings)} distinct searches in {total:.1f} s; "
        f"p50 {statistics.median(timings):.1f} ms, p95 {percentile(timings, 95):.1f} ms, "
        f"p99 {percentile(timings, 99):.1f} ms, max {max(timings):.1f} ms, "
        f"{sum(t > 100 for t in timings)} over 100 ms"
    )
    slowest = sorted(range(len(timings)), key=timings.__getitem__)[-5:]
    print(
        "slowest requests (number: ms): "
        + ", ".join(f"{i}: {timings[i]:.0f}" for i in sorted(slowest))
    )

    try:
        from dienstenwijzer.demand import handoff
    except ImportError:
        handoff = None
    if handoff is not None:
        queue = handoff.current()
        pending = queue.pending() if queue else 0
        t0 = time.perf_counter()
        written = handoff.drain_now()
        print(
            f"hand-off: {pending} notes still queued at the end, written in {1000 * (time.perf_counter() - t0):.0f} ms "
            f"by the writer (outside any request); total written {queue.written if queue else written}, "
            f"dropped {queue.dropped if queue else 0}"
        )
    with app.app_context():
        from sqlalchemy import func, select

        from dienstenwijzer.db import db
        from dienstenwijzer.models import DemandSignal, QueryCount, SearchCount

        print(
            f"database: {db.session.scalar(select(func.sum(SearchCount.searches)))} searches counted, "
            f"{db.session.scalar(select(func.count(QueryCount.id)))} query rows, "
            f"{db.session.scalar(select(func.count(DemandSignal.id)))} demand signals"
        )
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}  (pid {os.getpid()})")


if __name__ == "__main__":
    main()
