"""Web imports as background jobs (DESIGN.md invariant 8: long work never runs in a request).

An upload becomes an `ImportJob` with the file in the database (so a worker on any host can
read it). The worker (`dienstenwijzer worker`, started by `serve`; tests call
`run_pending_jobs()`) claims a job with a conditional UPDATE, so two workers never run one job,
and runs it:

    waiting_check -> checking -> checked (dry run done) | refused (errors per line)
    checked -> (the regisseur confirms) waiting_import -> importing -> done | refused
    waiting_check | checked -> cancelled;  checked, not confirmed in time -> expired
    anything that breaks -> failed

The import checks the file again (the catalogue may have changed) and writes it in one
transaction: all or nothing. The file is deleted when the job ends. Progress is written in its
own short transactions, except while SQLite's single writer is busy with the import itself.

Functions here flush; views and the worker loop commit.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from .. import search
from ..audit import reset_actor, set_actor
from ..clock import utcnow
from ..db import db
from ..demand.niches import alert_matching_niches
from ..models import ImportJob, ImportJobChunk, ImportJobError, Region, User
from ..models.imports import (
    CANCELLED,
    CHECKED,
    CHECKING,
    DONE,
    EXPIRED,
    FAILED,
    IMPORTING,
    REFUSED,
    WAITING_CHECK,
    WAITING_IMPORT,
)
from ..places import cached_places
from .importer import (
    NAME_SAMPLE,
    ImportFileError,
    ImportPlan,
    apply_import,
    count_lines,
    plan_import,
)

log = logging.getLogger(__name__)

CHUNK_BYTES = 1 << 20
# A running job whose worker has not written progress for this long is handed out again (its
# transaction died with the worker, so nothing of it was kept).
STALE_AFTER = dt.timedelta(minutes=15)
PROGRESS_SECONDS = 1.0
NEXT_STEP = {WAITING_CHECK: CHECKING, WAITING_IMPORT: IMPORTING}
STATUS_TEXT = {
    WAITING_CHECK: "wacht op controle",
    CHECKING: "wordt gecontroleerd",
    CHECKED: "gecontroleerd, wacht op uw bevestiging",
    WAITING_IMPORT: "wacht om ingelezen te worden",
    IMPORTING: "wordt ingelezen",
    DONE: "ingelezen",
    REFUSED: "niet ingelezen: fouten in het bestand",
    FAILED: "mislukt",
    CANCELLED: "geannuleerd",
    EXPIRED: "verlopen: niet op tijd bevestigd",
}
FAILED_TEXT = (
    "Er ging iets mis bij het verwerken van dit bestand; er is niets ingelezen. Probeer het "
    "opnieuw. Lukt het dan nog niet, neem dan contact op met de beheerder van de site."
)


# -- what the views call ----------------------------------------------------------------------


def create_job(
    session: Session, region: Region, user: User | None, filename: str, stream: BinaryIO
) -> ImportJob:
    """Store an upload as a job waiting for its check; the file is copied a chunk at a time."""
    job = ImportJob(
        region_id=region.id,
        uploaded_by_id=user.id if user else None,
        filename=filename[:200],
        size=0,
        status=WAITING_CHECK,
        preview={},
    )
    session.add(job)
    session.flush()
    seq = 0
    while data := stream.read(CHUNK_BYTES):
        session.execute(insert(ImportJobChunk), [{"job_id": job.id, "seq": seq, "data": data}])
        job.size += len(data)
        seq += 1
    session.flush()
    return job


def confirm_job(session: Session, job: ImportJob, user: User | None) -> bool:
    """Queue a checked job for import; False when it is no longer waiting for a confirmation."""
    done = (
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.status == CHECKED)
            .values(
                status=WAITING_IMPORT,
                confirmed_by_id=user.id if user else None,
                confirmed_at=utcnow(),
                rows_done=0,
            )
        ).rowcount
        == 1
    )
    session.refresh(job)
    return done


def cancel_job(session: Session, job: ImportJob) -> bool:
    """Cancel a job that is not running; its file is deleted at once."""
    done = (
        session.execute(
            update(ImportJob)
            .where(ImportJob.id == job.id, ImportJob.status.in_((WAITING_CHECK, CHECKED)))
            .values(status=CANCELLED, finished_at=utcnow())
        ).rowcount
        == 1
    )
    if done:
        _delete_file(session, job.id)
    session.refresh(job)
    return done


def job_errors(job: ImportJob):
    """The job's errors in file order, for a paginated list."""
    return (
        select(ImportJobError)
        .where(ImportJobError.job_id == job.id)
        .order_by(ImportJobError.line, ImportJobError.id)
    )


def status_text(job: ImportJob) -> str:
    return STATUS_TEXT.get(job.status, job.status)


# -- the worker ---------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def run_pending_jobs(max_jobs: int | None = None) -> int:
    """Run waiting jobs until none is left (or `max_jobs` ran); needs an app context."""
    name = worker_name()
    with Session(db.engine) as session:
        requeue_stale(session)
        expire_unconfirmed(
            session, dt.timedelta(hours=float(current_app.config["IMPORT_KEEP_HOURS"]))
        )
        session.commit()
    ran = 0
    while max_jobs is None or ran < max_jobs:
        job_id = claim_next(name)
        if job_id is None:
            break
        run_job(job_id)
        ran += 1
    return ran


def claim_next(worker: str) -> int | None:
    """Take the oldest waiting job: a conditional UPDATE, so only one worker gets it."""
    with Session(db.engine) as session:
        while True:
            candidate = session.execute(
                select(ImportJob.id, ImportJob.status)
                .where(ImportJob.status.in_(tuple(NEXT_STEP)))
                .order_by(ImportJob.id)
                .limit(1)
            ).first()
            if candidate is None:
                return None
            taken = (
                session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == candidate.id, ImportJob.status == candidate.status)
                    .values(
                        status=NEXT_STEP[candidate.status],
                        worker=worker,
                        heartbeat_at=utcnow(),
                        rows_done=0,
                    )
                ).rowcount
                == 1
            )
            session.commit()
            if taken:
                return candidate.id


def requeue_stale(session: Session) -> None:
    cutoff = utcnow() - STALE_AFTER
    for running, waiting in ((CHECKING, WAITING_CHECK), (IMPORTING, WAITING_IMPORT)):
        session.execute(
            update(ImportJob)
            .where(ImportJob.status == running, ImportJob.heartbeat_at < cutoff)
            .values(status=waiting, worker=None)
        )


def expire_unconfirmed(session: Session, keep: dt.timedelta) -> None:
    """Checked jobs nobody confirmed in time end, and their file goes."""
    old = session.scalars(
        select(ImportJob.id).where(
            ImportJob.status == CHECKED, ImportJob.checked_at < utcnow() - keep
        )
    ).all()
    for job_id in old:
        if session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == CHECKED)
            .values(status=EXPIRED, finished_at=utcnow())
        ).rowcount:
            _delete_file(session, job_id)


def run_job(job_id: int) -> None:
    """Run one claimed job to its next state; commits."""
    with Session(db.engine) as session:
        job = session.get(ImportJob, job_id)
        try:
            if job.status == CHECKING:
                _check(session, job)
            elif job.status == IMPORTING:
                _import(session, job)
            session.commit()
            status, changed = job.status, (job.created or 0) + (job.updated or 0)
        except Exception:
            log.exception("import job %s failed", job_id)
            session.rollback()
            _end(session, session.get(ImportJob, job_id), FAILED, problem=FAILED_TEXT)
            session.commit()
            return
    if status == DONE:
        search.catch_up_after_bulk(changed, wait=30)


def _check(session: Session, job: ImportJob) -> None:
    with _job_file(session, job.id) as path:
        progress = _Progress(job.id, concurrent=True)
        progress.start(rows_total=count_lines(path))
        plan = _plan(session, job, path, progress)
    if plan is None:
        return
    job.rows_total = plan.rows
    if not plan.ok:
        _refuse(session, job, plan)
        return
    _count(job, plan.summary)
    job.status, job.checked_at, job.rows_done = CHECKED, utcnow(), plan.rows


def _import(session: Session, job: ImportJob) -> None:
    user = session.get(User, job.confirmed_by_id) if job.confirmed_by_id else None
    token = set_actor(
        user.id if user else None, f"{user.email if user else 'import'} (import {job.filename})"
    )
    try:
        with _job_file(session, job.id) as path:
            rows = job.rows_total or count_lines(path)
            # Progress counts both passes. SQLite has one writer, busy with this import
            # while it writes: no progress then.
            progress = _Progress(job.id, concurrent=True)
            progress.start(rows_total=2 * rows)
            # Checked again (the catalogue may have changed); the rows are kept for writing.
            plan = _plan(session, job, path, progress, keep_rows=True)
            if plan is None:
                return
            if not plan.ok:
                _refuse(session, job, plan)
                return
            writing = _Progress(
                job.id, concurrent=db.engine.dialect.name != "sqlite", done=plan.rows
            )
            summary = apply_import(
                session,
                job.region,
                plan,
                places=_places(session),
                progress=writing,
                on_created=alert_matching_niches,
            )
        _count(job, summary)
        _end(session, job, DONE)
    finally:
        reset_actor(token)


def _plan(
    session: Session, job: ImportJob, path: Path, progress, keep_rows: bool = False
) -> ImportPlan | None:
    try:
        return plan_import(
            session,
            job.region,
            path,
            _places(session),
            max_rows=int(current_app.config["IMPORT_MAX_ROWS"]),
            progress=progress,
            keep_rows=keep_rows,
        )
    except ImportFileError as exc:
        _end(session, job, REFUSED, problem=str(exc))
        return None


def _places(session: Session):
    return cached_places(session, current_app.config["DATABASE_URL"])


def _refuse(session: Session, job: ImportJob, plan: ImportPlan) -> None:
    session.execute(
        insert(ImportJobError),
        [
            {"job_id": job.id, "line": e.line, "column": e.column, "message": e.message}
            for e in plan.errors
        ],
    )
    job.error_count = len(plan.errors)
    _end(session, job, REFUSED)


def _count(job: ImportJob, summary) -> None:
    job.created, job.updated, job.unchanged = summary.created, summary.updated, summary.unchanged
    job.providers_created = summary.providers_created
    job.preview = {
        "created": summary.created_names[:NAME_SAMPLE],
        "updated": summary.updated_names[:NAME_SAMPLE],
    }


def _end(session: Session, job: ImportJob, status: str, problem: str | None = None) -> None:
    job.status, job.finished_at = status, utcnow()
    if problem:
        job.problem = problem
    _delete_file(session, job.id)


def _delete_file(session: Session, job_id: int) -> None:
    session.execute(delete(ImportJobChunk).where(ImportJobChunk.job_id == job_id))


@contextmanager
def _job_file(session: Session, job_id: int) -> Iterator[Path]:
    """The uploaded file as a temporary file on disk, copied one chunk at a time."""
    seqs = session.scalars(
        select(ImportJobChunk.seq)
        .where(ImportJobChunk.job_id == job_id)
        .order_by(ImportJobChunk.seq)
    ).all()
    with tempfile.TemporaryDirectory(prefix="dienstenwijzer-import-") as tmp:
        path = Path(tmp) / "upload.csv"
        with path.open("wb") as out:
            for seq in seqs:
                out.write(
                    session.scalar(
                        select(ImportJobChunk.data).where(
                            ImportJobChunk.job_id == job_id, ImportJobChunk.seq == seq
                        )
                    )
                )
        yield path


class _Progress:
    """Writes a job's progress (and so its heartbeat) at most every PROGRESS_SECONDS, in its
    own short transaction; `concurrent=False` when another write cannot get in meanwhile."""

    def __init__(self, job_id: int, concurrent: bool, done: int = 0):
        self.job_id, self.concurrent, self.done = job_id, concurrent, done
        self.last = 0.0

    def start(self, rows_total: int) -> None:
        self._write(rows_total=rows_total, rows_done=self.done)

    def __call__(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        if self.concurrent and now - self.last >= PROGRESS_SECONDS:
            self.last = now
            self._write(rows_done=self.done)

    def _write(self, **values) -> None:
        with db.engine.begin() as connection:
            connection.execute(
                update(ImportJob)
                .where(ImportJob.id == self.job_id)
                .values(heartbeat_at=utcnow(), **values)
            )
