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


def _drift(app_config: dict, index_dir: str) -> list:
    app = create_app({**app_config, "INDEX_DIR": index_dir, "INDEX_FOLLOWER": False})
    with app.app_context():
        try:
            return [(d.slug, sorted(d.missing)[:5], sorted(d.stale)[:5], sorted(d.extra)[:5])
                    for d in search.check_index() if not d.ok]
        finally:
            db.engine.dispose()


def _run(app_config, tmp_path, writers) -> dict[str, float]:
    """Start two hosts and the writers, wait for the writers, then for both hosts to converge."""
    ctx = multiprocessing.get_context("spawn")
    config = dict(app_config)  # writers that sync after a commit do so on host A, like the CLI
    hosts = {"A": app_config["INDEX_DIR"], "B": str(tmp_path / "index-b")}
    other = create_app({**app_config, "INDEX_DIR": hosts["B"]})
    with other.app_context():
        search.rebuild_index()
        db.engine.dispose()
    stop = tmp_path / "stop"
    followers = [ctx.Process(target=stress_roles.host, args=(config, d, str(stop)), daemon=True)
                 for d in hosts.values()]
    procs = [ctx.Process(target=fn, args=(config, *args), daemon=True) for fn, *args in writers]
    for p in followers + procs:
        p.start()
    try:
        for p in procs:
            p.join(timeout=600)
            assert p.exitcode == 0, f"a writer failed ({p.exitcode})"
        done = time.monotonic()
        converged: dict[str, float] = {}
        while len(converged) < len(hosts) and time.monotonic() - done < CONVERGE_SECONDS:
            for name, index_dir in hosts.items():
                if name not in converged and not _drift(app_config, index_dir):
                    converged[name] = time.monotonic() - done
            time.sleep(0.2)
        for name, index_dir in hosts.items():
            assert name in converged, f"host {name} drifted: {_drift(app_config, index_dir)}"
        assert all(p.is_alive() for p in followers)
        print(f"converged after the last commit: {converged}")
        return converged
    finally:
        stop.touch()
        for p in followers + procs:
            p.join(timeout=30)
            if p.is_alive():
                p.terminate()


@pytest.mark.slow
def test_a_12000_service_import_during_edits_reaches_both_hosts_whole(app, app_config, add_services,
                                                                     tmp_path):
    """The scenario that lost 10 000 services: a long bulk import on host A while a regisseur
    saves a service every second there; host B idle."""
    add_services("gent", [service_row(extern_id=str(i)) for i in range(20)])
    _run(app_config, tmp_path, [
        (stress_roles.bulk_import, 1, [12000], 20.0, True),
        (stress_roles.editor, 2, 40.0, 1.0, True),
    ])


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_random_interleavings_of_imports_edits_and_archives_end_with_index_equal_to_database(
        app, app_config, add_services, tmp_path, seed):
    rng = random.Random(seed)
    add_services("gent", [service_row(extern_id=str(i)) for i in range(30)])
    writers = [
        (stress_roles.bulk_import, rng.randint(0, 10**6),
         [rng.randint(200, 1500) for _ in range(rng.randint(1, 3))], rng.uniform(0, 3), rng.random() < 0.5),
        (stress_roles.bulk_import, rng.randint(0, 10**6), [rng.randint(100, 800)], rng.uniform(0, 2), False),
        (stress_roles.editor, rng.randint(0, 10**6), rng.uniform(5, 12), 0.05, rng.random() < 0.5),
        (stress_roles.editor, rng.randint(0, 10**6), rng.uniform(5, 12), 0.1, False),
    ]
    _run(app_config, tmp_path, writers)
