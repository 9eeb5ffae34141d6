#!/usr/bin/env python
"""Where a search page's time and memory go: cProfile and RSS over distinct requests, in-process.

    python bench/profile_search.py /tmp/bench100k --requests 600 --top 30

Uses a work directory left by `search_bench.py --workdir D` (its database, index and
queries.tsv) and sends the HTML paths of queries.tsv, in order and each once, through the
project's app with Flask's test client: all zorggebieden, as the benchmark's traffic. Prints
the RSS after every 100 requests (with the load average), the search cache's size, then the
cProfile table. Not a latency figure (no server, no client): a map of where time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import pstats
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from bench_queries import read_query_file
from search_bench import project_env, rss_mb

_GC_PAUSES: list[float] = []
_gc_start = [0.0]


def _gc_timer(phase: str, info: dict) -> None:
    if info["generation"] == 2:
        if phase == "start":
            _gc_start[0] = time.perf_counter()
        else:
            _GC_PAUSES.append(time.perf_counter() - _gc_start[0])


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("workdir", type=Path)
    ap.add_argument("--queries", type=Path, help="default: WORKDIR/queries.tsv")
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument(
        "--skip", type=int, default=300, help="rows of queries.tsv to skip (the probes)"
    )
    ap.add_argument("--warm", type=int, default=100, help="requests before profiling starts")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--no-profile", action="store_true", help="only time and RSS")
    ap.add_argument("--gc-freeze", action="store_true", help="gc.freeze() after the warm-up")
    args = ap.parse_args()
    os.environ.update(project_env(args.workdir.resolve(), None))
    os.environ["DIENSTENWIJZER_INDEX_FOLLOWER"] = "0"
    from dienstenwijzer import create_app

    app = create_app()
    client = app.test_client()
    rows = read_query_file(args.queries or args.workdir / "queries.tsv")[args.skip :]
    paths = [r[2] for r in rows]
    for p in paths[: args.warm]:
        client.get(p)
    if args.gc_freeze:
        gc.collect()
        gc.freeze()
    todo = paths[args.warm : args.warm + args.requests]
    prof = None if args.no_profile else cProfile.Profile()
    times = []
    gc.callbacks.append(_gc_timer)
    cpu0 = time.process_time()
    print(
        f"after {args.warm} warm-up requests: RSS {rss_mb(os.getpid()):.0f} MB "
        f"(load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    for i, p in enumerate(todo, 1):
        t0 = time.perf_counter()
        if prof is not None:
            prof.enable()
        resp = client.get(p)
        if prof is not None:
            prof.disable()
        times.append(time.perf_counter() - t0)
        if resp.status_code >= 500:
            print(f"{resp.status_code} {p}")
        if i % 100 == 0:
            cache = app.extensions["search"].cache
            print(
                f"{i:5d} requests: RSS {rss_mb(os.getpid()):.0f} MB, search cache "
                f"{cache.bytes / 2**20:.0f} MB in {len(cache)} entries, gc counts {gc.get_count()} "
                f"(load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    print(
        f"gen-2 collections: {len(_GC_PAUSES)}, longest {max(_GC_PAUSES, default=0) * 1000:.1f} ms,"
        f" total {sum(_GC_PAUSES) * 1000:.0f} ms"
    )
    cpu_ms = (time.process_time() - cpu0) * 1000 / max(1, len(times))
    times.sort()
    n = len(times)
    print(
        f"{n} requests in-process: p50 {times[n // 2] * 1000:.1f} ms, p95 {times[int(n * 0.95)] * 1000:.1f} ms,"
        f" p99 {times[int(n * 0.99)] * 1000:.1f} ms, mean {sum(times) / n * 1000:.1f} ms,"
        f" CPU {cpu_ms:.1f} ms a page (with the profiler, if on)"
        f" (load {os.getloadavg()[0]:.1f})"
    )
    if prof is not None:
        pstats.Stats(prof).sort_stats(args.sort).print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
