"""Index == database after bulk imports, edits and archives from several processes, on two hosts.

Each host has its own index directory and only its follower thread (the outbox cursor; the
self-check is switched off here, so it cannot hide a cursor mistake). Writers run in their
own processes. The comparison is the self-check's: every active service's document, at the
version the database holds, in every zorggebied it serves, and nothing else.
"""

import multiprocessing
import random
import time

import pytest

from dienstenwijzer import create_app, search
from dienstenwijzer.db import db
from tests.conftest import service_row
from tests.search import stress_roles

CONVERGE_SECONDS = 120  # a bound on liveness on a busy 2-core machine, not a benchmark


class _Host:
    """Reads one host's index beside the database, as `check-index` does."""

    def __init__(self, app_config: dict, index_dir: str):
        self.app = create_app({**app_config, "INDEX_DIR": index_dir, "INDEX_FOLLOWER": False})

    def drift(self) -> list:
        with self.app.app_context():
            return [
                (d.slug, sorted(d.missing)[:5], sorted(d.stale)[:5], sorted(d.extra)[:5])
                for d in search.check_index()
                if not d.ok
            ]

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


def _until_equal(hosts: dict[str, _Host], since: float) -> dict[str, float]:
    """Seconds after `since` at which each host's index first equalled the database."""
    converged: dict[str, float] = {}
    while len(converged) < len(hosts) and time.monotonic() - since < CONVERGE_SECONDS:
        for name, host in hosts.items():
            if name not in converged and not host.drift():
                converged[name] = round(time.monotonic() - since, 2)
        time.sleep(0.05)
    return converged


def _run(app_config, tmp_path, writers, done_file=None) -> dict[str, dict[str, float]]:
    """Start two hosts and the writers; measure when both indexes equal the database after
    the import committed (`done_file`, while edits go on) and after the last write."""
    ctx = multiprocessing.get_context("spawn")
    config = dict(app_config)  # writers that sync after a commit do so on host A, like the CLI
    dirs = {"A": app_config["INDEX_DIR"], "B": str(tmp_path / "index-b")}
    other = create_app({**app_config, "INDEX_DIR": dirs["B"]})
    with other.app_context():
        search.rebuild_index()
        db.engine.dispose()
    hosts = {name: _Host(app_config, d) for name, d in dirs.items()}
    stop = tmp_path / "stop"
    followers = [
        ctx.Process(target=stress_roles.host, args=(config, d, str(stop)), daemon=True)
        for d in dirs.values()
    ]
    procs = [ctx.Process(target=fn, args=(config, *args), daemon=True) for fn, *args in writers]
    for p in followers + procs:
        p.start()
    timings: dict[str, dict[str, float]] = {}
    try:
        if done_file is not None:
            while not done_file.exists() and any(p.is_alive() for p in procs):
                time.sleep(0.02)
            assert done_file.exists(), "the import did not commit"
            timings["after the import committed"] = _until_equal(hosts, time.monotonic())
        for p in procs:
            p.join(timeout=600)
            assert p.exitcode == 0, f"a writer failed ({p.exitcode})"
        converged = _until_equal(hosts, time.monotonic())
        for name, host in hosts.items():
            assert name in converged, f"host {name} drifted: {host.drift()}"
        assert all(p.is_alive() for p in followers)
        timings["after the last write"] = converged
        print(f"index == database, seconds per host: {timings}")
        return timings
    finally:
        stop.touch()
        for p in followers + procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()
        for host in hosts.values():
            host.close()


@pytest.mark.slow
def test_a_12000_service_import_during_edits_reaches_both_hosts_whole(
    app, app_config, add_services, tmp_path
):
    """The scenario that lost 10 000 services: a long bulk import on host A while a regisseur
    saves a service every second there; host B idle."""
    add_services("gent", [service_row(extern_id=str(i)) for i in range(20)])
    done = tmp_path / "imported"
    timings = _run(
        app_config,
        tmp_path,
        [
            (stress_roles.bulk_import, 1, [12000], 20.0, True, str(done)),
            (stress_roles.editor, 2, 40.0, 1.0, True),
        ],
        done_file=done,
    )
    # Both hosts caught up with the import while the regisseur kept saving.
    assert set(timings["after the import committed"]) == {"A", "B"}


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_interleavings_of_imports_edits_and_archives_end_with_index_equal_to_database(
    app, app_config, add_services, tmp_path, seed
):
    rng = random.Random(seed)
    add_services("gent", [service_row(extern_id=str(i)) for i in range(30)])
    writers = [
        (
            stress_roles.bulk_import,
            rng.randint(0, 10**6),
            [rng.randint(200, 1500) for _ in range(rng.randint(1, 3))],
            rng.uniform(0, 3),
            rng.random() < 0.5,
        ),
        (
            stress_roles.bulk_import,
            rng.randint(0, 10**6),
            [rng.randint(100, 800)],
            rng.uniform(0, 2),
            False,
        ),
        (stress_roles.editor, rng.randint(0, 10**6), rng.uniform(5, 12), 0.05, rng.random() < 0.5),
        (stress_roles.editor, rng.randint(0, 10**6), rng.uniform(5, 12), 0.1, False),
    ]
    _run(app_config, tmp_path, writers)
