"""The index outbox (DESIGN.md invariant 1): record catalogue changes, apply them to the index.

Every flush that touches a service (or a provider, whose name is in its services' documents)
inserts outbox rows in the same transaction. `apply_outbox` is the only code that opens a
Whoosh writer on a live generation; it is idempotent (delete then add by service id), so it
may run from any process, any number of times.

Ids are not always committed in order on PostgreSQL (two transactions can commit out of
sequence), so besides "every id above `upto`" each apply also looks at rows created in the
last RECENT_WINDOW and applies those it has not seen yet.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from itertools import chain

from sqlalchemy import event, insert, or_, select
from sqlalchemy.orm import Session
from whoosh.index import LockError

from ..models import IndexOutbox, Provider, Service
from .documents import DocumentBuilder
from .schema import surface_words
from .store import AppliedState, IndexStore

log = logging.getLogger(__name__)

RECENT_WINDOW = dt.timedelta(seconds=30)
BATCH = 2000


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _changed_service_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Service) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, Provider) and obj in session.dirty and session.is_modified(obj):
            ids.update(s.id for s in obj.services if s.id is not None)
    return ids


def _record_changes(session: Session, flush_context) -> None:  # noqa: ARG001
    ids = _changed_service_ids(session)
    if ids:
        now = _utcnow()
        session.connection().execute(
            insert(IndexOutbox), [{"service_id": i, "created_at": now} for i in sorted(ids)]
        )


def install_outbox_hook() -> None:
    """Make every Session write outbox rows for catalogue changes (idempotent)."""
    if not event.contains(Session, "after_flush", _record_changes):
        event.listen(Session, "after_flush", _record_changes)


def pending_rows(session: Session, state: AppliedState, since: dt.datetime | None = None):
    cutoff = _utcnow() - RECENT_WINDOW
    if since is not None:
        cutoff = min(cutoff, since)
    rows = session.execute(
        select(IndexOutbox.id, IndexOutbox.service_id, IndexOutbox.created_at)
        .where(or_(IndexOutbox.id > state.upto, IndexOutbox.created_at > cutoff))
        .order_by(IndexOutbox.id)
        .limit(BATCH)
    ).all()
    return [r for r in rows if r.id > state.upto or r.id not in state.recent]


def has_pending(session: Session, store: IndexStore) -> bool:
    generation = store.current()
    return generation is not None and bool(pending_rows(session, generation.read_applied()))


def apply_outbox(
    session: Session, store: IndexStore, *, wait: float = 0.0, since: dt.datetime | None = None
) -> int:
    """Apply pending outbox rows to the current generation; returns how many were applied.

    Returns 0 without waiting longer than `wait` when another process holds the lock; the rows
    stay pending for the next apply, so a LockError never reaches a user.
    """
    generation = store.current()
    if generation is None:
        return 0
    applied = 0
    with generation.apply_lock(wait) as locked:
        if not locked:
            return 0
        while True:
            state = generation.read_applied()
            rows = pending_rows(session, state, since)
            if not rows:
                return applied
            try:
                _write(session, generation, sorted({r.service_id for r in rows}), wait)
            except LockError:
                log.warning("index writer busy; %d outbox rows wait for the next apply", len(rows))
                return applied
            generation.write_applied(_advance(state, rows))
            applied += len(rows)
            if len(rows) < BATCH:
                return applied


def _advance(state: AppliedState, rows) -> AppliedState:
    cutoff = _utcnow() - RECENT_WINDOW
    recent = {
        i: created for i, created in state.recent.items() if dt.datetime.fromisoformat(created) > cutoff
    }
    for r in rows:
        if r.created_at > cutoff:
            recent[r.id] = r.created_at.isoformat()
    # A row committed late with an id below `upto` is still caught: it is recent and not in `recent`.
    upto = max([state.upto] + [r.id for r in rows])
    return AppliedState(upto=upto, recent=recent)


def _write(session: Session, generation, service_ids: list[int], wait: float) -> None:
    builder = DocumentBuilder(session)
    docs = builder.documents_by_region(builder.load(service_ids))
    keys = [str(i) for i in service_ids]
    for slug in sorted(set(generation.region_slugs()) | set(docs)):
        ix = generation.ensure_region(slug)
        with ix.searcher() as searcher:
            present = [k for k in keys if searcher.document_number(id=k) is not None]
        additions = docs.get(slug, [])
        if not present and not additions:
            continue
        writer = ix.writer(timeout=max(wait, 1.0))
        try:
            for key in present:
                writer.delete_by_term("id", key)
            for doc in additions:
                writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        # New words for "Bedoelde u …?"; words that left are not subtracted (counts only rank).
        generation.add_vocabulary(slug, Counter(w for doc in additions for w in surface_words(doc["text"])))
