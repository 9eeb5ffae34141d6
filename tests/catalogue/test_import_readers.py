"""Residents keep searching while a 100 000-row import runs (DESIGN.md invariant 7).

gunicorn serves the site with two workers while `dienstenwijzer import` writes a provider
inventory of 100 000 services into the same database; reader threads search all the time,
every request different. No search may fail, and afterwards every imported service is found.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from dienstenwijzer.config import PROJECT_ROOT
from tests.catalogue.test_live_search import cli, free_port

pytestmark = pytest.mark.slow

ROWS = int(os.environ.get("DIENSTENWIJZER_TEST_IMPORT_ROWS", "100000"))
WORDS = [
    "poetsen",
    "strijken",
    "ramen",
    "tuin",
    "gras",
    "hagen",
    "snoeien",
    "boodschappen",
    "koken",
    "maaltijden",
    "vervoer",
    "rolstoel",
    "kinderopvang",
    "oppas",
    "klusjes",
    "schilderen",
    "behangen",
    "energie",
    "isolatie",
    "fietsherstel",
    "kringloop",
    "kleding",
    "buurtrestaurant",
    "wasserette",
    "senioren",
    "wekelijks",
]
POSTCODES = ["9000", "9030", "9032", "9040", "9041", "9050", "9051", "9052"]  # all Gent


def write_inventory(path, rows: int) -> None:
    rng = random.Random(100)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(
            [
                "extern_id",
                "naam",
                "aanbieder",
                "categorie",
                "omschrijving",
                "gemeenten",
                "postcode",
                "gemeente",
                "dienstencheques",
            ]
        )
        for i in range(rows):
            postcode = rng.choice(POSTCODES)
            words = rng.sample(WORDS, 6)
            out.writerow(
                [
                    f"inv-{i}",
                    f"Inventaris {i} {words[0]}",
                    f"Aanbieder {i % 400}",
                    "klusjesdienst",
                    f"Wij helpen met {' en '.join(words)}.",
                    "Gent",
                    postcode,
                    "Gent",
                    "nee",
                ]
            )


def test_searches_keep_answering_during_a_large_import(tmp_path):
    if os.environ.get("DIENSTENWIJZER_TEST_DATABASE_URL"):
        pytest.skip("needs a database of its own; the PostgreSQL one is shared by the suite")
    env = {
        **os.environ,
        "DIENSTENWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DIENSTENWIJZER_INDEX_DIR": str(tmp_path / "index"),
        "DIENSTENWIJZER_SECRET_KEY": "reader-loop-test",
    }
    assert cli(env, "init", "--no-demo").returncode == 0
    inventory = tmp_path / "inventaris.csv"
    write_inventory(inventory, ROWS)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(PROJECT_ROOT),
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--error-logfile",
            str(tmp_path / "error.log"),
            "--capture-output",
            "wsgi:app",
        ],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    statuses: list[int] = []
    latencies: list[float] = []
    importing = threading.Event()
    importing.set()

    def read(seed: int) -> None:
        rng = random.Random(seed)
        with requests.Session() as http:
            n = 0
            while importing.is_set():
                n += 1
                q = (
                    f"{rng.choice(WORDS)} {rng.choice(WORDS)}"
                    if n % 2
                    else f"{rng.choice(WORDS)}{n}"
                )
                started = time.monotonic()
                try:
                    status = http.get(
                        f"{base}/gent/zoeken", params={"q": q}, timeout=60
                    ).status_code
                except requests.RequestException:
                    status = 599
                latencies.append(time.monotonic() - started)
                statuses.append(status)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{base}/", timeout=30).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or a worker still starting
                pass
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        readers = [threading.Thread(target=read, args=(i,)) for i in range(2)]
        for t in readers:
            t.start()
        started = time.monotonic()
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("dienstenwijzer")),
                "import",
                str(inventory),
                "--region",
                "gent",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=3000,
            check=False,
        )
        took = time.monotonic() - started
        importing.clear()
        for t in readers:
            t.join(timeout=120)
        assert result.returncode == 0, result.stderr[-3000:]
        failed = [s for s in statuses if s >= 500]
        latencies.sort()
        print(
            f"import of {ROWS} rows: {took:.0f} s; {len(statuses)} searches meanwhile, "
            f"{len(failed)} failed; p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
            f"max {latencies[-1] * 1000:.0f} ms; load {os.getloadavg()[0]:.1f}"
        )
        assert len(statuses) > 20 and not failed
        # Every imported service is found, in every worker (each follows the outbox).
        deadline = time.monotonic() + 300
        while True:
            page = requests.get(f"{base}/gent/zoeken", params={"q": "inventaris"}, timeout=60).text
            if f"{ROWS} diensten gevonden" in page:
                break
            assert time.monotonic() < deadline, "not every imported service became findable"
            time.sleep(1)
        assert cli(env, "check-index").returncode == 0  # and the index equals the database
    finally:
        importing.clear()
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    log = (tmp_path / "error.log").read_text()
    assert "Traceback" not in log, log[-5000:]
