"""The API's rate limit holds across gunicorn workers: they share one count per client."""

import multiprocessing

import pytest

from dienstenwijzer import create_app
from dienstenwijzer.api.shared_counters import SharedFileStorage
from dienstenwijzer.db import db
from tests.conftest import ReadingClient


@pytest.fixture
def worker(app_config):
    """Another worker process of the same site: its own app, the same instance files."""
    apps = []

    def start():
        app = create_app({**app_config, "API_RATE_LIMIT": "5 per minute"})
        app.test_client_class = ReadingClient
        apps.append(app)
        return app.test_client()

    yield start
    for app in apps:  # close their database connections before the next test empties it
        with app.app_context():
            db.engine.dispose()


def test_the_limit_counts_a_clients_requests_in_all_workers(worker):
    first, second = worker(), worker()
    answers = [client.get("/api/v1/taxonomies") for client in (first, second, first, second, first)]
    assert [a.status_code for a in answers] == [200] * 5
    refused = second.get("/api/v1/taxonomies")
    assert refused.status_code == 429 and refused.is_json
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert refused.get_json()["error"]["message"].startswith("Te veel vragen na elkaar.")
    assert refused.headers["Access-Control-Allow-Origin"] == "*"
    # Another client has its own count; residents' pages are not limited.
    other = first.get("/api/v1/taxonomies", environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200 and other.headers["X-RateLimit-Remaining"] == "4"
    assert first.get("/gent/").status_code == 200


def test_the_count_file_holds_no_client_address(worker, tmp_path):
    worker().get("/api/v1/taxonomies", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    stored = (tmp_path / "api-rate-limit.bin").read_bytes()
    assert b"203.0.113.9" not in stored and b"taxonomies" not in stored


def _hit(path: str, times: int) -> None:
    storage = SharedFileStorage(f"sharedfile://{path}", secret="s")
    for _ in range(times):
        storage.incr("client/api", 60)


@pytest.mark.slow
def test_processes_hitting_at_once_lose_no_count(tmp_path):
    path = tmp_path / "counts.bin"
    processes = [
        multiprocessing.get_context("spawn").Process(target=_hit, args=(path, 500))
        for _ in range(4)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0] * 4
    assert SharedFileStorage(f"sharedfile://{path}", secret="s").get("client/api") == 2000
