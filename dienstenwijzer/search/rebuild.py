"""Rebuild every zorggebied's index from the database into a fresh generation, then swap."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import IndexOutbox, Region, Service
from ..models.catalogue import STATUS_ACTIVE
from .documents import DocumentBuilder
from .outbox import RECENT_WINDOW, apply_outbox
from .store import AppliedState, Generation, IndexStore

BATCH = 1000
WRITER_LIMIT_MB = 128

Progress = Callable[[int], None]


def rebuild(session: Session, store: IndexStore, progress: Progress | None = None) -> Generation:
    """Build a complete new generation; the live one keeps serving until the atomic swap."""
    started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    mark = session.scalar(select(func.max(IndexOutbox.id))) or 0
    generation = store.new_generation()
    slugs = list(session.scalars(select(Region.slug).order_by(Region.slug)))
    writers = {slug: generation.create_region(slug).writer(limitmb=WRITER_LIMIT_MB) for slug in slugs}
    builder = DocumentBuilder(session)
    try:
        ids = list(
            session.scalars(
                select(Service.id).where(Service.status == STATUS_ACTIVE).order_by(Service.id)
            )
        )
        for start in range(0, len(ids), BATCH):
            chunk = builder.load(ids[start : start + BATCH])
            for slug, docs in builder.documents_by_region(chunk).items():
                for doc in docs:
                    writers[slug].add_document(**doc)
            session.expunge_all()  # keep memory flat on large catalogues
            if progress:
                progress(len(chunk))
        for writer in writers.values():
            writer.commit()
    except BaseException:
        for writer in writers.values():
            writer.cancel()
        raise
    generation.write_applied(AppliedState(upto=mark))
    store.swap_to(generation)
    # Changes committed while we read the database: anything newer than `mark`, plus rows
    # created since the start that may have committed with an older id.
    apply_outbox(session, store, wait=30.0, since=started - RECENT_WINDOW)
    return generation


def count_to_index(session: Session) -> int:
    return session.scalar(select(func.count(Service.id)).where(Service.status == STATUS_ACTIVE)) or 0
