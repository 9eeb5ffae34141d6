"""How long the print view's PDF takes: N services of Gent, in process, through the route.

Generates N services for Gent (bench_catalogue.py), loads them with `dienstenwijzer init
--no-demo` and `dienstenwijzer import`, then asks /gent/zoeken/afdrukken.pdf (every service,
grouped by category) several times and prints the seconds per PDF, its pages and size, and the
load average. The part spent in WeasyPrint is timed apart from the search and the HTML.

    python bench/pdf_bench.py [--services 100] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_catalogue import COLUMNS, CatalogueGenerator
from bench_reference import load_reference


def cli(args: list[str], env: dict) -> None:
    cmd = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", *args]
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, capture_output=True)


def load_average() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def write_gent(path: Path, services: int) -> None:
    ref = load_reference(ROOT)
    gent = next(r for r in ref.regions if r.slug == "gent")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, delimiter=";")
        writer.writeheader()
        writer.writerows(CatalogueGenerator(ref, 1).region_rows(gent, services))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--services", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "DIENSTENWIJZER_DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
            "DIENSTENWIJZER_INDEX_DIR": str(work / "index"),
            "DIENSTENWIJZER_SECRET_KEY": "x",
        }
        write_gent(work / "gent.csv", args.services)
        cli(["init", "--no-demo"], env)
        cli(["import", str(work / "gent.csv"), "--region", "gent"], env)
        os.environ.update(env)

        from pypdf import PdfReader

        from dienstenwijzer import create_app
        from dienstenwijzer.public import print_pdf

        app = create_app({"INDEX_FOLLOWER": False})
        spent_rendering: list[float] = []
        with app.app_context():
            real = print_pdf.pdf_renderer()
            if real is None:
                print("WeasyPrint does not load here (Pango missing): no PDF to time.")
                return 1

            def timed(html: str) -> bytes:
                t0 = time.perf_counter()
                pdf = real(html)
                spent_rendering.append(time.perf_counter() - t0)
                return pdf

            print_pdf.pdf_renderer = lambda: timed
        client = app.test_client()
        print(f"gent: {args.services} services; load average {load_average()}")
        totals = []
        for i in range(args.repeat):
            t0 = time.perf_counter()
            response = client.get("/gent/zoeken/afdrukken.pdf")
            totals.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.status_code
            reader = PdfReader(io.BytesIO(response.data))
            services_in_it = sum(p.extract_text().count("Voor inwoners") for p in reader.pages)
            print(
                f"run {i + 1}: {totals[-1]:.2f} s (WeasyPrint {spent_rendering[-1]:.2f} s), "
                f"{len(reader.pages)} pages, {len(response.data) // 1024} KiB, "
                f"{services_in_it} services; load average {load_average()}"
            )
        print(
            f"PDF of {args.services} services: first {totals[0]:.2f} s, median of the rest "
            f"{statistics.median(totals[1:] or totals):.2f} s "
            f"(WeasyPrint {statistics.median(spent_rendering[1:] or spent_rendering):.2f} s); "
            f"load average {load_average()}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
