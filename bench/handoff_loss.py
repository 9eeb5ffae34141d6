#!/usr/bin/env python
"""How many handed-off searches a stop loses: graceful (SIGTERM, SIGHUP) and kill -9.

    python bench/handoff_loss.py --rounds 5

Serves a fresh SQLite database with the demo catalogue (`dienstenwijzer init`) with gunicorn
(1 sync worker) on 127.0.0.1, sends distinct searches from one client thread, stops the worker
in the chosen way, then compares the searches answered 200 with the searches counted in the
database. The loss window of a kill -9 is printed in seconds of traffic (lost / rate); it
should stay under DEMAND_HANDOFF_SECONDS plus one batch. Not a test: numbers only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from sqlalchemy import create_engine, func, select

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def counted(url: str) -> int:
    from dienstenwijzer.models import SearchCount

    engine = create_engine(url)
    with engine.connect() as connection:
        n = connection.scalar(select(func.coalesce(func.sum(SearchCount.searches), 0)))
    engine.dispose()
    return int(n)


class Site:
    def __init__(self, env: dict, port: int, log: Path):
        self.port = port
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--chdir",
                str(ROOT),
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{port}",
                "--graceful-timeout",
                "20",
                "wsgi:app",
            ],
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/gent/") == 200:  # no search: nothing counted
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def get(self, path: str) -> int:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    def worker_pid(self) -> int:
        children = (
            Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        )
        return int(children[0])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)


def traffic(site: Site, stop: threading.Event, answered: list[float], prefix: str) -> None:
    i = 0
    while not stop.is_set():
        i += 1
        q = urllib.parse.quote(f"{prefix} poetsen {i}")
        try:
            if site.get(f"/gent/zoeken?q={q}") == 200:
                answered.append(time.monotonic())
        except (OSError, http.client.HTTPException):  # the worker died mid-answer
            return


def run_round(env: dict, url: str, how: str, seconds: float, log: Path) -> tuple[int, int, float]:
    site = Site(env, free_port(), log)
    before = counted(url)
    stop, answered = threading.Event(), []
    sender = threading.Thread(target=traffic, args=(site, stop, answered, how), daemon=True)
    sender.start()
    time.sleep(seconds)
    if how == "kill -9":
        os.kill(site.worker_pid(), signal.SIGKILL)
        stop.set()
    else:
        stop.set()
        sender.join(timeout=15)
        if how == "SIGHUP":  # gunicorn replaces its workers gracefully
            old = site.worker_pid()
            site.process.send_signal(signal.SIGHUP)
            deadline = time.monotonic() + 30
            while Path(f"/proc/{old}").exists() and time.monotonic() < deadline:
                time.sleep(0.1)
    sender.join(timeout=15)
    time.sleep(0.5)
    site.stop()
    n = len(answered)
    # The rate just before the stop (the first seconds include the worker warming up).
    recent = [t for t in answered if t >= answered[-1] - 2.0] if answered else []
    rate = len(recent) / 2.0
    return n, counted(url) - before, rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0, help="traffic before the stop")
    args = parser.parse_args()

    from dienstenwijzer import create_app

    workdir = Path(tempfile.mkdtemp(prefix="handoff-loss-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = {
        **os.environ,
        "DIENSTENWIJZER_DATABASE_URL": url,
        "DIENSTENWIJZER_INDEX_DIR": str(workdir / "index"),
        "DIENSTENWIJZER_SECRET_KEY": "bench-secret",
    }
    env.pop("DIENSTENWIJZER_TEST_DATABASE_URL", None)
    app = create_app(
        {"DATABASE_URL": url, "INDEX_DIR": str(workdir / "index"), "SECRET_KEY": "bench-secret"}
    )
    result = app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    interval = float(app.config["DEMAND_HANDOFF_SECONDS"])
    log = workdir / "gunicorn.log"
    print(f"hand-off interval {interval} s; gunicorn log {log}")
    for how in ("SIGTERM", "SIGHUP"):
        answered, stored, _rate = run_round(env, url, how, args.seconds, log)
        print(f"{how}: {answered} searches answered, {stored} counted, {answered - stored} lost")
    windows = []
    for r in range(args.rounds):
        answered, stored, rate = run_round(env, url, "kill -9", args.seconds, log)
        lost = max(0, answered - stored)
        windows.append(lost / rate if rate else 0.0)
        print(
            f"kill -9 round {r + 1}: {answered} answered at {rate:.0f}/s, {stored} counted, "
            f"{lost} lost = {windows[-1]:.2f} s of traffic"
        )
    print(
        f"kill -9 loss window: max {max(windows):.2f} s, mean {sum(windows) / len(windows):.2f} s "
        f"(interval {interval} s)"
    )
    print(f"load average: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
