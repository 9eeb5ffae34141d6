"""`dienstenwijzer serve` runs the site under gunicorn with several workers on 127.0.0.1."""

import os
import signal
import socket
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(env, *args) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("dienstenwijzer")
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_serve_answers_searches_from_several_workers(tmp_path):
    env = {
        **os.environ,
        "DIENSTENWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DIENSTENWIJZER_INDEX_DIR": str(tmp_path / "index"),
        "DIENSTENWIJZER_SECRET_KEY": "test",
    }
    assert run(env, "init").returncode == 0
    port = free_port()
    exe = Path(sys.executable).with_name("dienstenwijzer")
    server = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                home = requests.get(base + "/", timeout=15)  # a busy 2-core machine starts slowly
                break
            except (requests.ConnectionError, requests.Timeout):
                assert time.monotonic() < deadline, "gunicorn did not start in 60 s"
                time.sleep(0.2)
        assert home.status_code == 200
        assert home.text.count("Dienstenwijzer ") >= 11
        for _ in range(6):  # spread over both workers
            page = requests.get(base + "/gent/zoeken", params={"q": "poetsen"}, timeout=5)
            assert page.status_code == 200 and "gevonden" in page.text
        api = requests.get(
            base + "/leuven/api/v1/services", params={"search": "strijk"}, timeout=5
        ).json()
        assert api["total_items"] > 0
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_serve_refuses_an_empty_database(tmp_path):
    env = {
        **os.environ,
        "DIENSTENWIJZER_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DIENSTENWIJZER_INDEX_DIR": str(tmp_path / "index"),
        "DIENSTENWIJZER_SECRET_KEY": "test",
    }
    result = run(env, "serve", "--port", str(free_port()))
    assert result.returncode != 0
    assert "voer eerst 'dienstenwijzer init' uit" in result.stderr


def test_exactly_one_whoosh_distribution_is_installed():
    """Flask extensions that depend on `Whoosh` would pull 2.7.4 back in over the fork."""
    providers = [
        d.metadata["Name"]
        for d in metadata.distributions()
        if "whoosh" in (d.read_text("top_level.txt") or "").split()
    ]
    assert providers == ["Whoosh-Reloaded"]
