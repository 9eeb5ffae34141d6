"""CSV import of a zorggebied's catalogue (format: docs/import.md).

Two passes over the file so nothing is lost on bad input (DESIGN.md invariant 4) and memory
does not grow with the file:

- `plan_import` streams every row, checks it and reports every error by line and column; it
  also counts what the import would do (a dry run that writes nothing);
- `apply_import` streams the file again and writes it in batches of BATCH rows (flush, then
  forget the batch's objects). It flushes, never commits: the caller commits once, so an
  import is all or nothing, and its write transaction lasts only as long as the writing.

The file is read in import_csv.py, its rows checked in import_rows.py and written in
import_writing.py; this module runs the two passes.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from ..models import Region, Service
from ..places import Places
from .import_csv import (
    COLUMNS,
    FORMULA_START,
    ImportFileError,
    RowError,
    check_utf8,
    count_lines,
    decode,
    open_source,
)
from .import_rows import Progress, ServiceRow, batches, checked_rows
from .import_writing import NAME_SAMPLE, Catalogue, ImportSummary, forget, handle

# What the rest of the app and the tests use; the import is split over import_csv.py (the file),
# import_rows.py (checking rows) and import_writing.py (writing them). ServiceRow stays here
# too: rows an older version kept between checking and confirming a web import were pickled
# under this name.
__all__ = [
    "COLUMNS",
    "FORMULA_START",
    "NAME_SAMPLE",
    "ImportFileError",
    "ImportPlan",
    "ImportSummary",
    "RowError",
    "ServiceRow",
    "apply_import",
    "count_lines",
    "decode",
    "plan_import",
]


@dataclass
class ImportPlan:
    """The outcome of the checking pass; `summary` is what applying it would do."""

    source: str | Path
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0  # data rows in the file
    summary: ImportSummary = field(default_factory=ImportSummary)
    # The checked rows, pickled a batch at a time (plan_import's keep_rows), so that
    # apply_import need not read and check the file again.
    checked_rows: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def discard(self) -> None:
        """Delete the kept rows (apply_import does this itself)."""
        if self.checked_rows is not None:
            self.checked_rows.unlink(missing_ok=True)
            self.checked_rows = None


def plan_import(
    session: Session,
    region: Region,
    source: str | Path,
    places: Places,
    *,
    max_rows: int | None = None,
    progress: Progress | None = None,
    keep_rows: bool = False,
) -> ImportPlan:
    """Check every row of a CSV (text, or a file streamed from disk); write nothing.

    `keep_rows`: keep the checked rows in a temporary file for apply_import, which then skips
    checking them again (call `plan.discard()` if it is not applied). Raises ImportFileError
    when a file on disk is not UTF-8."""
    if isinstance(source, Path):
        check_utf8(source)
    plan = ImportPlan(source)
    catalogue = Catalogue(session, region)

    def counted(rows: int) -> None:
        plan.rows += rows
        if progress:
            progress(rows)

    spill = None
    if keep_rows:
        fd, name = tempfile.mkstemp(prefix="dienstenwijzer-rows-", suffix=".pickle")
        plan.checked_rows, spill = Path(name), os.fdopen(fd, "wb")
    try:
        with open_source(source) as stream:
            rows = checked_rows(
                stream, catalogue.categories, places, plan.errors, max_rows, counted
            )
            for batch in batches(rows):
                handle(catalogue, batch, plan.summary, today=None, errors=plan.errors)
                forget(session, catalogue, batch)
                if spill:
                    pickle.dump(batch, spill, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        plan.discard()
        raise
    finally:
        if spill:
            spill.close()
    if plan.rows == 0 and not plan.errors:
        plan.errors.append(RowError(2, None, "het bestand bevat geen diensten"))
    if plan.errors:
        plan.discard()
    return plan


def apply_import(
    session: Session,
    region: Region,
    plan: ImportPlan,
    today: dt.date | None = None,
    *,
    places: Places | None = None,
    progress: Progress | None = None,
    on_created: Callable[[Session, list[Service]], object] | None = None,
) -> ImportSummary:
    """Write a plan without errors, BATCH rows per flush. Never commits: the caller commits once.

    Writes the rows the plan kept, or else reads and checks the file again; an error then
    raises ValueError and the caller rolls back. Existing services are looked up again per
    batch (the catalogue may have changed since the plan). `on_created` sees each batch's new
    services while they are still in the session."""
    if not plan.ok:
        raise ValueError("an import plan with errors cannot be applied")
    today = today or dt.date.today()
    catalogue = Catalogue(session, region)
    summary = ImportSummary()
    errors: list[RowError] = []
    try:
        for batch in _planned_batches(plan, catalogue, places or Places(session), errors, progress):
            if errors:
                break
            created = handle(catalogue, batch, summary, today=today, errors=errors)
            session.flush()
            if on_created and created:
                on_created(session, catalogue.load(created))
            forget(session, catalogue, batch)
    finally:
        plan.discard()
    if errors:
        raise ValueError(f"the file changed or no longer passes its checks: {errors[0]}")
    return summary


def _planned_batches(
    plan: ImportPlan, catalogue: Catalogue, places: Places, errors: list, progress: Progress | None
) -> Iterator[list[ServiceRow]]:
    if plan.checked_rows is not None:
        with plan.checked_rows.open("rb") as kept:
            while True:
                try:
                    batch = pickle.load(kept)  # written by plan_import, in a private temp file
                except EOFError:
                    return
                if progress:
                    progress(len(batch))
                yield batch
    with open_source(plan.source) as stream:
        yield from batches(
            checked_rows(stream, catalogue.categories, places, errors, None, progress)
        )
