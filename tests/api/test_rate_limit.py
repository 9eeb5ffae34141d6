"""The API's rate limit holds across gunicorn workers: they share one count per client."""
import multiprocessing

import pytest

from dienstenwijzer import create_app
from dienstenwijzer.api.shared_counters import SharedFileStorage
from tests.conftest import ReadingClient


def _worker(app_config: dict):
    """Another worker process of the same site: its own app, the same instance files."""
    app = create_app(app_config)
    app.test_client_class = ReadingClient
    return app.test_client()


@pytest.fixture
def limited(app_config):
    return {**app_config, "API_RATE_LIMIT": "5 per minute"}


def test_the_limit_counts_a_clients_requests_in_all_workers(limited):
    first, second = _worker(limited), _worker(limited)
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


def test_the_count_file_holds_no_client_address(limited, tmp_path):
    _worker(limited).get("/api/v1/taxonomies", environ_base={"REMOTE_ADDR": "203.0.113.9"})
    stored = (tmp_path / "api-rate-limit.bin").read_bytes()
    assert b"203.0.113.9" not in stored and b"taxonomies" not in stored


def _hit(path: str, times: int) -> None:
    storage = SharedFileStorage(f"sharedfile://{path}", secret="s")
    for _ in range(times):
        storage.incr("client/api", 60)


@pytest.mark.slow
def test_processes_hitting_at_once_lose_no_count(tmp_path):
    path = tmp_path / "counts.bin"
    processes = [multiprocessing.get_context("spawn").Process(target=_hit, args=(path, 500))
                 for _ in range(4)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(60)
    assert [p.exitcode for p in processes] == [0] * 4
    assert SharedFileStorage(f"sharedfile://{path}", secret="s").get("client/api") == 2000
