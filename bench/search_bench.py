#!/usr/bin/env python
"""Search benchmark: the project against plain Whoosh, same documents, same traffic.

    python bench/search_bench.py --services 10000
    python bench/search_bench.py --services 100000 --seconds 60 --json /tmp/bench-100k.json
    python bench/search_bench.py --services 2000 --seconds 20          # a quick run

Everything goes through the project's public interfaces, so it measures whatever the
package is today:
  1. a catalogue of N services that reads like the demo's (bench_catalogue.py), spread over
     the 11 zorggebieden by inhabitants, written as import CSVs and loaded with
     `dienstenwijzer init --no-demo` and `dienstenwijzer import`;
  2. a full rebuild, timed: `dienstenwijzer reindex`; the plain-Whoosh baseline indexes the
     same CSVs (baseline_app.py);
  3. distinct resident-like requests (bench_queries.py), all written to queries.tsv before
     any server starts; every round of every setting gets its own slice, which both servers
     receive;
  4. gunicorn with 2 sync workers on 127.0.0.1 for the project (wsgi:app) and for the
     baseline; wrk (4 connections, walk_queries.lua) alternates between them in rounds;
     p50/p95/p99, req/s, non-2xx, mean page size, and RSS per worker sampled from /proc;
  5. edit -> searchable: a service is edited through the app's models, and the search page
     is polled until every worker finds it.
The 1-minute load average is printed beside every figure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import math
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from bench_bulk_load import bulk_load
from bench_catalogue import write_catalogue
from bench_queries import QueryWriter, random_token, read_query_file, write_query_file
from bench_reference import load_reference

ROOT = BENCH.parent
SETTINGS = {"html": 2, "api": 3}  # setting -> column of queries.tsv with its path
SERVERS = ("project", "baseline")
PROBE_QUERIES = 300


# --- processes -----------------------------------------------------------------------------
def project_env(workdir: Path, database_url: str | None) -> dict:
    env = dict(os.environ)
    env["DIENSTENWIJZER_DATABASE_URL"] = database_url or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env["DIENSTENWIJZER_INDEX_DIR"] = str(workdir / "index")
    env["DIENSTENWIJZER_SECRET_KEY"] = "bench-secret"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(ROOT), str(BENCH), env.get("PYTHONPATH")])
    )
    env.pop("DIENSTENWIJZER_TEST_DATABASE_URL", None)
    return env


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes: a figure the machine's load does not inflate."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(args: list[str], env: dict, timeout: float = 3600) -> float:
    """Run `dienstenwijzer <args>` in a subprocess; returns its wall time in seconds."""
    cmd = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", *args]
    t0 = time.perf_counter()
    proc = subprocess.run(
        cmd, env=env, cwd=ROOT, timeout=timeout, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-5000:] + proc.stderr[-5000:])
        raise SystemExit(f"`dienstenwijzer {' '.join(args[:2])}` failed ({proc.returncode})")
    return elapsed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class Server:
    """gunicorn with sync workers on 127.0.0.1, in its own session."""

    def __init__(self, name: str, app: str, env: dict, workers: int, log: Path):
        self.name = name
        self.port = free_port()
        self.log = log.open("w")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "--chdir",
                str(ROOT),
                "--pythonpath",
                str(BENCH),
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
                app,
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, timeout: float = 60) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("GET", path)
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def wait_ready(self, path: str, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(
                    f"{self.name}: gunicorn exited ({self.proc.returncode}); see {self.log.name}"
                )
            with contextlib.suppress(OSError):
                if self.get(path, timeout=30)[0] < 500:
                    return
            time.sleep(0.3)
        raise SystemExit(f"{self.name}: gunicorn did not answer in {timeout:.0f} s")

    def workers(self) -> list[int]:
        pid = self.proc.pid
        try:
            return sorted(
                int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            )
        except OSError:
            return []

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the workers alive now."""
        return sum(cpu_seconds(pid) for pid in self.workers())

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the master stops its workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)  # the session this script started
                self.proc.wait(timeout=5)
        self.log.close()


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class RssSampler(threading.Thread):
    """Samples RSS of every worker of every server every `interval` s, tagged with the phase."""

    def __init__(self, servers: dict[str, Server], interval: float):
        super().__init__(daemon=True)
        self.servers, self.interval = servers, interval
        self.phase = "idle"
        self.samples: list[tuple[float, str, str, int, float]] = []  # t, phase, server, pid, MB
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            now, phase = time.monotonic(), self.phase
            for name, server in self.servers.items():
                for pid in server.workers():
                    mb = rss_mb(pid)
                    if mb is not None:
                        self.samples.append((now, phase, name, pid, mb))


def slope_mb_per_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 3:
        return float("nan")
    n = len(points)
    mt = sum(t for t, _ in points) / n
    mm = sum(m for _, m in points) / n
    var = sum((t - mt) ** 2 for t, _ in points)
    return 60 * sum((t - mt) * (m - mm) for t, m in points) / var if var else float("nan")


# --- load phase ----------------------------------------------------------------------------
def run_wrk(server: Server, paths_file: Path, seconds: float, clients: int, threads: int) -> dict:
    env = dict(os.environ, BENCH_PATHS=str(paths_file), BENCH_THREADS=str(threads))
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{seconds:.0f}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "walk_queries.lua"),
        server.url(),
    ]
    load_before = os.getloadavg()[0]
    out = subprocess.run(
        cmd, env=env, capture_output=True, text=True, timeout=seconds + 120, check=False
    )
    if out.returncode != 0 or "BENCH_JSON" not in out.stdout:
        raise SystemExit(f"wrk failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    result, hist = {}, {}
    for line in out.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            result = json.loads(line[len("BENCH_JSON ") :])
        elif line.startswith("BENCH_HIST ") and len(line) > len("BENCH_HIST "):
            for pair in line[len("BENCH_HIST ") :].split(","):
                value, count = pair.split(":")
                hist[int(value)] = hist.get(int(value), 0) + int(count)
    result["hist"] = hist
    result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
    return result


def percentile(hist: dict[int, int], p: float) -> float:
    """Percentile in ms of a {microseconds: count} histogram (nearest rank)."""
    total = sum(hist.values())
    if not total:
        return float("nan")
    rank, seen = max(1, math.ceil(p / 100 * total)), 0
    for value in sorted(hist):
        seen += hist[value]
        if seen >= rank:
            return value / 1000
    return max(hist) / 1000


def merge_rounds(rounds: list[dict]) -> dict:
    hist: dict[int, int] = {}
    for r in rounds:
        for v, c in r["hist"].items():
            hist[v] = hist.get(v, 0) + c
    seconds = sum(r["duration_us"] for r in rounds) / 1e6
    responses = sum(r["responses"] for r in rounds)
    loads = [x for r in rounds for x in (r["load_before"], r["load_after"])]
    return {
        "p50": percentile(hist, 50),
        "p95": percentile(hist, 95),
        "p99": percentile(hist, 99),
        "rps": sum(r["requests"] for r in rounds) / seconds if seconds else 0.0,
        # CPU the workers spent per answer: what a busy neighbour on the machine cannot inflate.
        "cpu_ms": 1000
        * sum(r.get("cpu_s", 0.0) for r in rounds)
        / max(1, sum(r["responses"] for r in rounds)),
        "requests": sum(r["requests"] for r in rounds),
        "seconds": seconds,
        "non2xx": sum(r["non2xx"] for r in rounds),
        "errors": sum(r["socket_errors"] + r["timeouts"] for r in rounds),
        "repeats": sum(r["repeats"] for r in rounds),
        "page_kb": sum(r["body_bytes"] for r in rounds) / responses / 1024 if responses else 0.0,
        "load": sum(loads) / len(loads),
        "load_max": max(loads),
    }


# --- probes: what the traffic finds, and page sizes ----------------------------------------
def probe(server: Server, queries: list[tuple], column: int) -> list[tuple[str, int, int, bytes]]:
    """(kind, status, size, body) of each request, one at a time (also warms the workers up)."""
    out = []
    for q in queries:
        status, _headers, body = server.get(q[column])
        out.append((q[0], status, len(body), body))
    return out


def zero_share(answers: list[tuple[str, int, int, bytes]]) -> dict[str, float]:
    """Share of JSON answers with no result, per kind of query and overall."""
    counts: dict[str, list[int]] = {}
    for kind, status, _size, body in answers:
        empty = status == 200 and json.loads(body).get("total_items", 0) == 0
        for key in (kind, "all"):
            c = counts.setdefault(key, [0, 0])
            c[0] += empty
            c[1] += 1
    return {k: v[0] / v[1] for k, v in sorted(counts.items())}


# --- edit -> searchable --------------------------------------------------------------------
EDITOR = """
import sys, time
from sqlalchemy import select
from dienstenwijzer import create_app
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
try:
    from dienstenwijzer.audit import set_actor
except ImportError:
    set_actor = None
app = create_app()
with app.app_context():
    if set_actor:
        set_actor(None, "search_bench")
    print("ready", flush=True)
    for line in sys.stdin:
        external_id, token = line.split()
        service = db.session.scalar(select(Service).where(Service.external_id == external_id))
        service.description = service.description + " " + token
        db.session.commit()
        print(service.id, time.time(), flush=True)
"""


def poll_every_worker(
    server: Server, path: str, marker: bytes, committed: float, workers: list[int], timeout: float
) -> tuple[dict[int, float], dict[int, int]]:
    """Poll `path` from several threads until every worker's answer holds `marker`.

    Returns, per worker pid, the seconds from `committed` to its first answer with the marker,
    and how many answers it gave (a worker never polled cannot be judged)."""
    found: dict[int, float] = {}
    seen: dict[int, int] = {}
    lock = threading.Lock()

    def poll():
        while time.time() - committed < timeout:
            with lock:
                if len(found) == len(workers):
                    return
            with contextlib.suppress(OSError, http.client.HTTPException):
                _status, headers, body = server.get(path, timeout=10)
                pid, now = int(headers.get("X-Worker-Pid", 0)), time.time()
                with lock:
                    seen[pid] = seen.get(pid, 0) + 1
                    if marker in body and pid not in found:
                        found[pid] = now - committed
            time.sleep(0.005)

    pollers = [threading.Thread(target=poll) for _ in range(len(workers) + 1)]
    for t in pollers:
        t.start()
    for t in pollers:
        t.join()
    return found, seen


def measure_freshness(
    server: Server,
    env: dict,
    catalogue_counts: dict[str, int],
    edits: int,
    seed: int,
    timeout: float = 15.0,
) -> list[dict]:
    """Per edit: seconds from commit until each worker's search page finds the edited service."""
    rng = random.Random(seed)
    editor = subprocess.Popen(
        [sys.executable, "-c", EDITOR],
        env=env,
        cwd=ROOT,
        text=True,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    results = []
    try:
        if editor.stdout.readline().strip() != "ready":
            raise SystemExit("the editing process did not start")
        workers = server.workers()
        slugs = [s for s, n in catalogue_counts.items() if n]
        for _ in range(edits):
            slug = rng.choice(slugs)
            external_id = f"bench-{slug}-{rng.randint(1, catalogue_counts[slug])}"
            token = random_token(rng)
            editor.stdin.write(f"{external_id} {token}\n")
            editor.stdin.flush()
            service_id, committed = editor.stdout.readline().split()
            committed = float(committed)
            found, seen = poll_every_worker(
                server,
                f"/{slug}/zoeken?q={token}",
                f"/diensten/{service_id}".encode(),
                committed,
                workers,
                timeout,
            )
            results.append(
                {
                    "service": external_id,
                    "workers": len(workers),
                    "seconds": {str(pid): found.get(pid) for pid in workers},
                    "polls": {str(pid): seen.get(pid, 0) for pid in workers},
                }
            )
    finally:
        editor.stdin.close()
        editor.wait(timeout=30)
    return results


# --- soak: memory over a long all-region load -------------------------------------------------
def soak(server: Server, sampler: RssSampler, slices: dict, steps: int, args) -> dict:
    """wrk on the project alone for `steps` x `soak_step` seconds, each step on new requests.

    Prints one line per step (req/s, p95, RSS of each worker, load average) as it goes, then
    the least-squares RSS slope per worker over the last 5 minutes (or the last half if the
    soak is shorter)."""
    print(
        f"\nsoak: {steps * args.soak_step:.0f} s of all-region HTML traffic on the project, "
        f"wrk {args.clients} connections; RSS per worker in MB",
        flush=True,
    )
    lines, t0 = [], time.monotonic()
    for step in range(steps):
        sampler.phase = "soak/project"
        cpu0 = server.cpu_seconds()
        res = run_wrk(server, slices["soak", step], args.soak_step, args.clients, args.threads)
        cpu_ms = 1000 * (server.cpu_seconds() - cpu0) / max(1, res["responses"])
        sampler.phase = "idle"
        rss = {pid: rss_mb(pid) for pid in server.workers()}
        line = {
            "t": round(time.monotonic() - t0),
            "rps": res["requests"] / res["duration_us"] * 1e6,
            "p95": percentile(res["hist"], 95),
            "p99": percentile(res["hist"], 99),
            "rss": {str(pid): mb for pid, mb in rss.items()},
            "load": os.getloadavg()[0],
            "repeats": res["repeats"],
            "non2xx": res["non2xx"],
            "cpu_ms": cpu_ms,
        }
        lines.append(line)
        print(
            f"  t={line['t']:4d} s {line['rps']:6.1f} req/s p95 {line['p95']:6.1f} ms "
            f"p99 {line['p99']:6.1f} ms CPU {cpu_ms:5.1f} ms/req RSS "
            + " ".join(f"{mb:6.1f}" for mb in rss.values() if mb)
            + f"  load {line['load']:.1f}"
            + (f" ({res['repeats']} repeats)" if res["repeats"] else ""),
            flush=True,
        )
    soak_samples = [
        (t, mb, pid)
        for t, phase, srv, pid, mb in sampler.samples
        if phase == "soak/project" and srv == server.name
    ]
    end = max((t for t, _, _ in soak_samples), default=0)
    window = min(300.0, (end - min((t for t, _, _ in soak_samples), default=end)) / 2)
    slopes = {}
    for pid in {p for _, _, p in soak_samples}:
        pts = [(t, mb) for t, mb, p in soak_samples if p == pid and t >= end - window]
        slopes[str(pid)] = slope_mb_per_min(pts)
    print(
        f"RSS slope over the last {window / 60:.1f} min: "
        + ", ".join(f"worker {pid} {v:+.2f} MB/min" for pid, v in slopes.items())
        + f" (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    return {"lines": lines, "slope_window_s": window, "slopes": slopes}


# --- report --------------------------------------------------------------------------------
def rss_summary(samples, server: str, phase_prefix: str) -> dict:
    """Start and end RSS per worker (mean over workers) and the slope during this phase."""
    rows = [s for s in samples if s[2] == server and s[1].startswith(phase_prefix)]
    if not rows:
        return {}
    by_pid: dict[int, list[tuple[float, float]]] = {}
    for t, _phase, _srv, pid, mb in rows:
        by_pid.setdefault(pid, []).append((t, mb))
    starts = [pts[0][1] for pts in by_pid.values()]
    ends = [pts[-1][1] for pts in by_pid.values()]
    slopes = [slope_mb_per_min(pts) for pts in by_pid.values()]
    return {
        "start": max(starts),
        "end": max(ends),
        "slope": max(slopes),
        "workers": len(by_pid),
        "per_worker": {str(pid): [round(m, 1) for _, m in pts] for pid, pts in by_pid.items()},
    }


def print_setting(name: str, stats: dict, rss: dict, rounds: int, round_seconds: float) -> None:
    p, b = stats["project"], stats.get("baseline")

    def cell(value, fmt, load):
        return f"{format(value, fmt):>9} @{load:4.1f}"

    def ratio(x, y):
        return f"{x / y:8.2f}" if y else "       -"

    print(f"\n{name}: {rounds} rounds x {round_seconds:.0f} s per server; '@' = 1-min load average")
    print(f"{'figure':<26}{'project':>16}{'baseline':>16}{'project/baseline':>18}")
    for label, key, fmt in (
        ("p50 ms", "p50", ".1f"),
        ("p95 ms", "p95", ".1f"),
        ("p99 ms", "p99", ".1f"),
        ("req/s", "rps", ".1f"),
        ("worker CPU ms/request", "cpu_ms", ".1f"),
        ("non-2xx", "non2xx", "d"),
        ("socket errors+timeouts", "errors", "d"),
        ("mean page KB", "page_kb", ".1f"),
    ):
        bv = b[key] if b else None
        print(
            f"{label:<26}{cell(p[key], fmt, p['load'])}"
            f"{cell(bv, fmt, b['load']) if b else '               -'}"
            f"{ratio(p[key], bv) if b else '':>18}"
        )
    for server in SERVERS:
        r = rss.get(server)
        if r:
            print(
                f"RSS/worker {server:<9} start {r['start']:6.1f} MB -> end {r['end']:6.1f} MB, "
                f"slope {r['slope']:+6.2f} MB/min (max over {r['workers']} workers) "
                f"@{stats[server]['load']:4.1f}"
            )
    for server in SERVERS:
        s = stats.get(server)
        if s and s["repeats"]:
            print(
                f"WARNING: {server} ran out of distinct queries ({s['repeats']} repeats): raise --rate-cap"
            )


def stop_on_term(signum, frame) -> None:
    raise KeyboardInterrupt  # so that `finally` stops both gunicorns


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--services", type=int, default=10_000)
    ap.add_argument(
        "--seconds", type=float, default=60, help="load per setting and server (>= 60 for a result)"
    )
    ap.add_argument(
        "--round-seconds", type=float, default=20, help="servers alternate every this many seconds"
    )
    ap.add_argument(
        "--settings", default="html,api", help="comma-separated: html (search page), api (JSON)"
    )
    ap.add_argument("--clients", type=int, default=4, help="wrk connections")
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per server")
    ap.add_argument(
        "--rate-cap",
        type=int,
        default=400,
        help="distinct queries per second of load written per round (more req/s repeats)",
    )
    ap.add_argument("--rss-interval", type=float, default=2.0)
    ap.add_argument(
        "--load",
        choices=("import", "bulk"),
        default="import",
        help="import: `dienstenwijzer import` per zorggebied (all its checks, slow at 100 000); "
        "bulk: plain INSERTs, then the same `dienstenwijzer reindex`",
    )
    ap.add_argument(
        "--edits", type=int, default=5, help="edits for the edit -> searchable measurement"
    )
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument(
        "--baseline-group",
        choices=("and", "or"),
        default="and",
        help="how the baseline's parser joins words: and (Whoosh's default) or or",
    )
    ap.add_argument(
        "--database-url", help="a throwaway database for the project (default: SQLite in workdir)"
    )
    ap.add_argument(
        "--workdir", type=Path, help="use (and keep) this directory; default: a temp dir"
    )
    ap.add_argument(
        "--reuse", action="store_true", help="reuse catalogue, database and indexes in --workdir"
    )
    ap.add_argument(
        "--soak",
        type=float,
        default=0,
        metavar="SECONDS",
        help="after the settings: this long (600 for the issue's 10 minutes) all-region "
        "HTML load on the project alone, with its RSS curve per worker",
    )
    ap.add_argument(
        "--soak-step", type=float, default=30, help="one line of the RSS curve every this many s"
    )
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", type=Path, help="write all results here")
    args = ap.parse_args()
    if args.reuse and not args.workdir:
        ap.error("--reuse needs --workdir")
    if shutil.which("wrk") is None:
        ap.error("wrk not found: apt-get install -y wrk")
    signal.signal(signal.SIGTERM, stop_on_term)

    tmp = None
    if args.workdir:
        workdir = args.workdir.resolve()
        if workdir.exists() and not args.reuse:
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = workdir = Path(tempfile.mkdtemp(prefix="dw-bench-"))
    env = project_env(workdir, args.database_url)
    settings = [s for s in args.settings.split(",") if s]
    rounds = max(1, round(args.seconds / args.round_seconds))
    results: dict = {
        "services": args.services,
        "workers": args.workers,
        "clients": args.clients,
        "rounds": rounds,
        "round_seconds": args.round_seconds,
        "cores": os.cpu_count(),
    }
    servers: dict[str, Server] = {}
    sampler = None
    try:
        print(
            f"workdir {workdir}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
            flush=True,
        )
        ref = load_reference(ROOT)
        setup_file = workdir / "setup.json"
        if args.reuse and setup_file.exists():
            results.update(json.loads(setup_file.read_text()))
            print("reusing the catalogue, database and indexes of an earlier run", flush=True)
        else:
            results.update(build_everything(args, ref, workdir, env))
            setup_file.write_text(
                json.dumps(
                    {
                        k: results[k]
                        for k in (
                            "catalogue",
                            "generate_s",
                            "init_s",
                            "load",
                            "import_s",
                            "rebuild_s",
                            "rebuild_cpu_s",
                            "index_mb",
                            "baseline_build_s",
                            "baseline_cpu_s",
                            "baseline_index_mb",
                            "baseline_documents",
                        )
                    }
                )
            )

        # Queries: written once, before any server starts; both servers get the same slices.
        queries_file = workdir / "queries.tsv"
        per_round = int(args.rate_cap * args.round_seconds)
        writer, seen = QueryWriter(ref, args.seed + 1), set()
        probes = writer.distinct(PROBE_QUERIES, seen)
        soak_steps = math.ceil(args.soak / args.soak_step) if args.soak else 0
        per_step = int(args.rate_cap * args.soak_step)
        measured = writer.distinct(per_round * rounds * len(settings) + per_step * soak_steps, seen)
        write_query_file(queries_file, probes + measured)
        rows = read_query_file(queries_file)
        slices = {}
        for i, (setting, r) in enumerate((s, r) for s in settings for r in range(rounds)):
            part = rows[PROBE_QUERIES + i * per_round : PROBE_QUERIES + (i + 1) * per_round]
            path = workdir / f"paths-{setting}-{r + 1}.txt"
            path.write_text("".join(q[SETTINGS[setting]] + "\n" for q in part))
            slices[setting, r] = path
        first_soak = PROBE_QUERIES + per_round * rounds * len(settings)
        for step in range(soak_steps):
            part = rows[first_soak + step * per_step : first_soak + (step + 1) * per_step]
            path = workdir / f"paths-soak-{step + 1}.txt"
            path.write_text("".join(q[SETTINGS["html"]] + "\n" for q in part))
            slices["soak", step] = path
        print(f"{len(rows)} distinct requests written to {queries_file}", flush=True)

        servers["project"] = Server(
            "project", "tagged_wsgi:app", env, args.workers, workdir / "project.log"
        )
        servers["project"].wait_ready("/over")
        if not args.no_baseline:
            baseline_env = dict(
                env,
                BASELINE_INDEX_DIR=str(workdir / "baseline-index"),
                BASELINE_PROJECT_ROOT=str(ROOT),
                BASELINE_GROUP=args.baseline_group,
                BASELINE_PAD_BYTES=str(
                    baseline_pad(servers["project"], rows[:60], workdir, args.baseline_group)
                ),
            )
            servers["baseline"] = Server(
                "baseline", "baseline_app:app", baseline_env, args.workers, workdir / "baseline.log"
            )
            servers["baseline"].wait_ready("/gent/zoeken?q=poetsen")

        # Probe (and warm up) every server with the same held-out queries, one at a time.
        results["zero_results"] = {}
        for name, server in servers.items():
            answers = probe(server, rows[:PROBE_QUERIES], SETTINGS["api"])
            results["zero_results"][name] = zero_share(answers)
            print(
                f"{name}: {results['zero_results'][name]['all']:.0%} of {PROBE_QUERIES} probe "
                f"requests find nothing",
                flush=True,
            )

        sampler = RssSampler(servers, args.rss_interval)
        sampler.start()
        results["settings"] = {}
        for setting in settings:
            per_server: dict[str, list[dict]] = {name: [] for name in servers}
            for r in range(rounds):
                order = list(servers) if r % 2 == 0 else list(reversed(servers))
                for name in order:
                    sampler.phase = f"{setting}/{name}"
                    cpu0 = servers[name].cpu_seconds()
                    res = run_wrk(
                        servers[name],
                        slices[setting, r],
                        args.round_seconds,
                        args.clients,
                        args.threads,
                    )
                    res["cpu_s"] = servers[name].cpu_seconds() - cpu0
                    sampler.phase = "idle"
                    per_server[name].append(res)
                    print(
                        f"{setting} round {r + 1} {name:<8} {res['requests'] / res['duration_us'] * 1e6:7.1f} "
                        f"req/s p95 {res['p95_us'] / 1000:7.1f} ms (load {res['load_after']:.1f})",
                        flush=True,
                    )
            stats = {name: merge_rounds(rs) for name, rs in per_server.items()}
            rss = {name: rss_summary(sampler.samples, name, f"{setting}/") for name in servers}
            results["settings"][setting] = {"stats": stats, "rss": rss}
        rss_all = {name: rss_summary(sampler.samples, name, "") for name in servers}
        results["rss_whole_run"] = rss_all
        if soak_steps:
            results["soak"] = soak(servers["project"], sampler, slices, soak_steps, args)
        sampler.stopped.set()

        if args.edits:
            results["freshness"] = measure_freshness(
                servers["project"], env, results["catalogue"], args.edits, args.seed + 7
            )
            results["freshness_load"] = os.getloadavg()[0]
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if sampler is not None:
            sampler.stopped.set()
        for server in servers.values():
            server.stop()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)

    report(results, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
        print(f"results written to {args.json}")
    return 0


def build_everything(args, ref, workdir: Path, env: dict) -> dict:
    out: dict = {}
    t0 = time.perf_counter()
    counts = write_catalogue(ref, args.services, workdir / "catalogue", args.seed)
    out["catalogue"], out["generate_s"] = counts, time.perf_counter() - t0
    print(
        f"catalogue: {args.services} services in {out['generate_s']:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items()),
        flush=True,
    )
    out["init_s"] = cli(["init", "--no-demo"], env)
    t0 = time.perf_counter()
    if args.load == "import":
        for slug in counts:
            cli(["import", str(workdir / "catalogue" / f"{slug}.csv"), "--region", slug], env)
    else:
        bulk_load(env["DIENSTENWIJZER_DATABASE_URL"], workdir / "catalogue", ref)
    out["load"], out["import_s"] = args.load, time.perf_counter() - t0
    print(
        f"init {out['init_s']:.1f} s; {args.load} {out['import_s']:.1f} s "
        f"(load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    cpu = children_cpu()
    out["rebuild_s"] = cli(["reindex"], env)
    out["rebuild_cpu_s"] = children_cpu() - cpu
    out["index_mb"] = dir_size(workdir / "index") / 1e6
    print(
        f"full rebuild (dienstenwijzer reindex): {out['rebuild_s']:.1f} s ({out['rebuild_cpu_s']:.0f} s CPU), "
        f"index {out['index_mb']:.0f} MB (load {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    if not args.no_baseline:
        t0, cpu = time.perf_counter(), children_cpu()
        proc = subprocess.run(
            [
                sys.executable,
                str(BENCH / "baseline_app.py"),
                "build",
                str(workdir / "catalogue"),
                str(workdir / "baseline-index"),
            ],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        out["baseline_build_s"] = time.perf_counter() - t0
        out["baseline_cpu_s"] = children_cpu() - cpu
        out["baseline_documents"] = int(proc.stdout.split()[0])
        out["baseline_index_mb"] = dir_size(workdir / "baseline-index") / 1e6
        print(
            f"baseline index: {out['baseline_documents']} documents in {out['baseline_build_s']:.1f} s, "
            f"{out['baseline_index_mb']:.0f} MB (load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    else:
        out.update(
            baseline_build_s=None,
            baseline_cpu_s=None,
            baseline_documents=None,
            baseline_index_mb=None,
        )
    return out


def baseline_pad(project: Server, sample: list[tuple], workdir: Path, group: str) -> int:
    """Static chrome for the baseline's HTML page: the project's mean page size minus the baseline's.

    Measured on held-out requests: the project over HTTP, the baseline in-process (it is not
    started yet). Both servers then send pages of about the same size."""
    os.environ["BASELINE_INDEX_DIR"] = str(workdir / "baseline-index")
    os.environ["BASELINE_GROUP"] = group
    import baseline_app

    project_sizes = [len(project.get(q[SETTINGS["html"]])[2]) for q in sample]
    baseline_sizes = []
    for q in sample:
        path, _, query = q[SETTINGS["html"]].partition("?")
        body = b"".join(
            baseline_app.app({"PATH_INFO": path, "QUERY_STRING": query}, lambda *_: None)
        )
        baseline_sizes.append(len(body))
    return max(0, int(sum(project_sizes) / len(sample) - sum(baseline_sizes) / len(sample)))


def report(results: dict, args) -> None:
    print(
        f"\n=== search bench: {results['services']} services over 11 zorggebieden (by inhabitants), "
        f"{results['workers']} sync workers per server, wrk {results['clients']} connections, "
        f"{results['cores']} cores ==="
    )
    cpu = results.get("rebuild_cpu_s")
    print(
        f"full rebuild `dienstenwijzer reindex`: {results['rebuild_s']:.1f} s"
        + (f" ({cpu:.0f} s CPU)" if cpu is not None else "")
        + f", index {results['index_mb']:.0f} MB;"
        f" loading the CSVs ({results.get('load', 'import')}) {results['import_s']:.1f} s"
    )
    if results.get("baseline_build_s"):
        cpu = results.get("baseline_cpu_s")
        print(f"baseline: plain Whoosh, words joined with {args.baseline_group.upper()}")
        print(
            f"baseline build (plain Whoosh, one process): {results['baseline_build_s']:.1f} s"
            + (f" ({cpu:.0f} s CPU)" if cpu is not None else "")
            + ", "
            f"{results['baseline_documents']} documents, {results['baseline_index_mb']:.0f} MB"
        )
    for name, shares in results.get("zero_results", {}).items():
        detail = ", ".join(f"{k} {v:.0%}" for k, v in shares.items() if k != "all")
        print(f"finds nothing ({name}): {shares['all']:.0%} of probe requests ({detail})")
    for setting, data in results.get("settings", {}).items():
        label = {
            "html": "HTML search page /<gebied>/zoeken",
            "api": "JSON API /<gebied>/api/v1/services",
        }
        print_setting(
            f"{label.get(setting, setting)}, traffic over all zorggebieden",
            data["stats"],
            data["rss"],
            results["rounds"],
            results["round_seconds"],
        )
    for name, r in results.get("rss_whole_run", {}).items():
        print(
            f"RSS/worker over the whole load phase, {name}: {r['start']:.1f} -> {r['end']:.1f} MB, "
            f"slope {r['slope']:+.2f} MB/min"
        )
    soaked = results.get("soak")
    if soaked:
        print("\nRSS curve over the soak (project, HTML, all zorggebieden; MB per worker):")
        for line in soaked["lines"]:
            print(
                f"  t={line['t']:4d} s "
                + " ".join(f"{mb:6.1f}" for mb in line["rss"].values() if mb)
                + f"  {line['rps']:6.1f} req/s p95 {line['p95']:6.1f} ms  load {line['load']:.1f}"
            )
        print(
            f"  slope over the last {soaked['slope_window_s'] / 60:.1f} min: "
            + ", ".join(f"{v:+.2f}" for v in soaked["slopes"].values())
            + " MB/min per worker"
        )
    fresh = results.get("freshness")
    if fresh:
        worst = [
            max((v for v in e["seconds"].values() if v is not None), default=None) for e in fresh
        ]
        missing = sum(1 for e in fresh for v in e["seconds"].values() if v is None)
        done = [w for w in worst if w is not None]
        print(
            f"\nedit -> searchable in every worker ({len(fresh)} edits, "
            f"{fresh[0]['workers']} workers, load {results['freshness_load']:.1f}): "
            + (
                f"median {sorted(done)[len(done) // 2]:.2f} s, max {max(done):.2f} s"
                if done
                else "never"
            )
            + (f"; {missing} worker(s) did not find the edit within 15 s" if missing else "")
        )


if __name__ == "__main__":
    sys.exit(main())
