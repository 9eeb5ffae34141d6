"""Running the site: `dienstenwijzer serve` (gunicorn) and the import `worker` beside it."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from ..config import PROJECT_ROOT
from ..db import db
from .index import index_ready_for_serving


@click.command("serve")
@click.option("--port", default=5000, show_default=True, help="Poort op 127.0.0.1.")
@click.option("--workers", default=max(2, os.cpu_count() or 2), show_default=True)
@with_appcontext
def serve_command(port: int, workers: int) -> None:
    """De site starten met gunicorn op 127.0.0.1, met de importwerker ernaast."""
    if "region" not in inspect(db.engine).get_table_names():
        raise click.ClickException("De database is nog leeg: voer eerst 'dienstenwijzer init' uit.")
    index_ready_for_serving()
    click.echo(f"Dienstenwijzer draait op http://127.0.0.1:{port}/ (Ctrl+C om te stoppen)")
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(PROJECT_ROOT),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "-",
        "--access-logformat",
        '"%(r)s" %(s)s %(b)s %(L)ss',
        "wsgi:app",
    ]
    worker = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", "worker"]
    raise SystemExit(run_together(gunicorn, worker))


def run_together(main_args: list[str], helper_args: list[str]) -> int:
    """Run a helper process beside the main one; stop both when either ends or on SIGTERM/SIGINT.
    Returns the main process's exit code."""
    helper = subprocess.Popen(helper_args)
    main = subprocess.Popen(main_args)

    def stop(signum, frame) -> None:
        for proc in (main, helper):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while main.poll() is None:
        if helper.poll() is not None:  # the worker died: start it again, imports must go on
            click.echo(
                f"Importwerker gestopt (code {helper.returncode}); opnieuw gestart.", err=True
            )
            helper = subprocess.Popen(helper_args)
        time.sleep(1)
    stop(None, None)
    helper.wait(timeout=120)
    return main.returncode


@click.command("worker")
@click.option("--once", is_flag=True, help="Alleen de wachtende imports uitvoeren en dan stoppen.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Imports uit de webtoepassing op de achtergrond uitvoeren (start mee met 'serve')."""
    from ..catalogue.import_jobs import run_pending_jobs

    stopping = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())  # finish the running job, then stop
    poll = float(current_app.config["IMPORT_WORKER_POLL_SECONDS"])
    while not stopping.is_set():
        try:
            run_pending_jobs()
        except Exception:  # the database may be away for a moment; try again later
            logging.getLogger(__name__).exception("import worker: could not look for jobs")
        db.session.remove()
        if once:
            break
        stopping.wait(poll)
