#!/usr/bin/env python
"""Rebuild benchmark: wall time, CPU and peak memory of `dienstenwijzer reindex` at N services.

    python bench/rebuild_bench.py --services 100000
    python bench/rebuild_bench.py --services 100000 --workdir /tmp/rb100k   # keep, reuse the data
    python bench/rebuild_bench.py --services 10000 --src /tmp/main-checkout  # a baseline checkout

The catalogue is import_bench's: N realistic services spread over all 11 zorggebieden, loaded
with `dienstenwijzer import` into a fresh SQLite database (once per --workdir). Then `reindex`
runs in a subprocess, --repeat times; each run prints wall and CPU seconds (of the command and
the worker processes it waited for) and peak RSS, with the load average before and after,
because the machine is shared. Target (issue 9): 100 000 services in ≤ 60 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from import_bench import ROOT, command, environment, loadavg, measure, prepare

TARGET_S = 60.0


def catalogue(src: Path, workdir: Path, services: int) -> dict:
    """A database of `services` imported services in `workdir` (reused when already there)."""
    db = workdir / "db.sqlite3"
    env = environment(src, workdir)
    if db.exists():
        con = sqlite3.connect(db)
        stored = con.execute("SELECT count(*) FROM service").fetchone()[0]
        con.close()
        if stored == services:
            return env
        raise SystemExit(
            f"{workdir} holds {stored} services, not {services}: use another --workdir"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    prepare(src, workdir, services)
    m = measure(
        [*command(), "import", str(workdir / f"bench-{services}.csv"), "--region", "gent"],
        env,
        timeout=3600,
    )
    if m["code"] != 0:
        raise SystemExit("the import that fills the catalogue failed")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--src", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--workdir", type=Path, help="keep the catalogue here and reuse it")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    src = args.src.resolve()
    with tempfile.TemporaryDirectory(prefix="rebuild-bench-") as tmp:
        workdir = args.workdir.resolve() if args.workdir else Path(tmp)
        env = catalogue(src, workdir, args.services)
        for _ in range(args.repeat):
            before = loadavg()
            m = measure([*command(), "reindex"], env, args.timeout)
            outcome = "ok" if m["code"] == 0 else f"exit {m['code']}"
            print(
                f"reindex of {args.services} services: {m['wall']:.1f} s wall, "
                f"{m['cpu']:.1f} s CPU, peak RSS {m['rss']:.0f} MB, {outcome}; "
                f"load before {before} after {loadavg()}; src {src}",
                flush=True,
            )
            if args.services >= 100_000:
                met = "met" if m["wall"] <= TARGET_S else "NOT met"
                print(f"  target: ≤ {TARGET_S:.0f} s: {met}", flush=True)


if __name__ == "__main__":
    main()
