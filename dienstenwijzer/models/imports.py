"""Web imports as background jobs: the uploaded file, its progress, and its errors per line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .accounts import User
from .reference import Region

# A job waits for the worker, runs, and ends; "checked" waits for the regisseur to confirm.
WAITING_CHECK, CHECKING, CHECKED = "waiting_check", "checking", "checked"
WAITING_IMPORT, IMPORTING, DONE = "waiting_import", "importing", "done"
REFUSED, FAILED, CANCELLED, EXPIRED = "refused", "failed", "cancelled", "expired"


class ImportJob(Base):
    """One uploaded CSV: checked by the worker (a dry run), then imported once confirmed."""

    __tablename__ = "import_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    confirmed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    filename: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)  # bytes
    status: Mapped[str] = mapped_column(String(20), index=True)
    rows_total: Mapped[int | None] = mapped_column(Integer)  # data rows, known once checked
    rows_done: Mapped[int] = mapped_column(Integer, default=0)  # progress of the running step
    created: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    providers_created: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    # The first names the import creates and updates: {"created": [...], "updated": [...]}.
    preview: Mapped[dict] = mapped_column(JSON, default=dict)
    problem: Mapped[str | None] = mapped_column(Text)  # a message about the file as a whole
    worker: Mapped[str | None] = mapped_column(String(100))  # host:pid that claimed it
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    checked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    region: Mapped[Region] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])


class ImportJobError(Base):
    """One problem in an uploaded file, by line and column (column None: the whole line)."""

    __tablename__ = "import_job_error"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_job.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    column: Mapped[str | None] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)

    def __str__(self) -> str:
        where = f"regel {self.line}, kolom {self.column}" if self.column else f"regel {self.line}"
        return f"{where}: {self.message}"


class ImportJobChunk(Base):
    """The uploaded file in pieces, in the database so that a worker on any host can read it;
    deleted when the job ends."""

    __tablename__ = "import_job_chunk"

    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)
