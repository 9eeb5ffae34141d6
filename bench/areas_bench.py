"""What "comes to me, or is near me" costs a search: Gent's catalogue, in process.

Generates a bench catalogue (bench_catalogue.py), loads it with `dienstenwijzer init --no-demo`
and `dienstenwijzer import`, then times searches on /gent/zoeken's engine without and with a
resident's home (Filters.home, search/areas.py). Each timed request differs in per_page, so the
result cache never answers it; the per-origin orders are warm after the first.

    python bench/areas_bench.py [--services 10000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_catalogue import write_catalogue
from bench_reference import load_reference


def cli(args: list[str], env: dict) -> None:
    cmd = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", *args]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)


def load_average() -> list[str]:
    with open("/proc/loadavg") as f:
        return f.read().split()[:3]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="areas-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DIENSTENWIJZER_DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DIENSTENWIJZER_INDEX_DIR": str(work / "index"),
            "DIENSTENWIJZER_SECRET_KEY": "x",
        }
        counts = write_catalogue(load_reference(ROOT), args.services, work / "catalogue", 1)
        cli(["init", "--no-demo"], env)
        cli(["import", str(work / "catalogue" / "gent.csv"), "--region", "gent"], env)
        os.environ.update(env)

        from dienstenwijzer import create_app, search
        from dienstenwijzer.db import db
        from dienstenwijzer.places import Places
        from dienstenwijzer.search import Filters, SearchRequest

        app = create_app({"INDEX_FOLLOWER": False})
        with app.app_context():
            places = Places(db.session)
            gent, merelbeke = places.coordinates("9000"), places.coordinates("9820")
            cases = {
                "browse, no place": ("", Filters()),
                "browse, 9000 (office distance only)": ("", Filters(origin=gent)),
                "browse, 9820 + 10 km, office only": ("", Filters(origin=merelbeke, km=10.0)),
                "browse, 9820 + 10 km, home first": (
                    "",
                    Filters(origin=merelbeke, km=10.0, home="44088"),
                ),
                "poetshulp, 9000": ("poetshulp", Filters(origin=gent)),
                "poetshulp, 9820 + 10 km, office only": (
                    "poetshulp",
                    Filters(origin=merelbeke, km=10.0),
                ),
                "poetshulp, 9820 + 10 km, home first": (
                    "poetshulp",
                    Filters(origin=merelbeke, km=10.0, home="44088"),
                ),
            }
            print(
                f"gent: {counts.get('gent')} services of {args.services}; "
                f"load average {load_average()}"
            )
            for name, (text, filters) in cases.items():
                times = []
                for i in range(args.repeat):
                    t0 = time.perf_counter()
                    result = search.search("gent", SearchRequest(text, filters, 1, 10 + i))
                    times.append((time.perf_counter() - t0) * 1000)
                print(
                    f"{name:40s} total {result.total:6d}  first {times[0]:7.1f} ms  "
                    f"median {statistics.median(times[1:]):6.1f} ms"
                )
            print(f"load average {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
