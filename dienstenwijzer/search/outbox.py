"""The index outbox (DESIGN.md invariant 1): record catalogue changes, apply them to the index.

Every flush that touches a service (or a provider, whose name is in its services' documents)
inserts outbox rows in the same transaction. `apply_outbox` is the only code that opens a
Whoosh writer on a live generation; it is idempotent (delete then add by service id), so it
may run from any process, any number of times.

Ids are not always committed in order on PostgreSQL (two transactions can commit out of
sequence), so each generation keeps a gap-aware cursor (store.AppliedState): every id above
`upto`, plus every lower id that was not visible when a higher one was applied.
"""

from __future__ import annotations

import logging
from collections import Counter
from itertools import chain

from sqlalchemy import event, insert, or_, select
from sqlalchemy.orm import Session
from whoosh.index import LockError

from ..clock import utcnow
from ..models import IndexOutbox, Provider, Service
from .documents import DocumentBuilder
from .schema import surface_words
from .store import AppliedState, IndexStore

log = logging.getLogger(__name__)

BATCH = 2000
# An "OR id BETWEEN …" per gap; more gaps than this wait for the next pass.
MAX_GAP_RANGES_PER_QUERY = 200


def _changed_service_ids(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Service) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, Provider) and obj in session.dirty and session.is_modified(obj):
            ids.update(s.id for s in obj.services if s.id is not None)
    return ids


def _record_changes(session: Session, flush_context) -> None:
    record_services(session, _changed_service_ids(session))


def record_services(session: Session, service_ids) -> None:
    """Outbox rows for these services, in the session's transaction. The flush hook calls it;
    so does a bulk insert (an import's new services), which no flush sees."""
    if service_ids:
        now = utcnow()
        session.connection().execute(
            insert(IndexOutbox), [{"service_id": i, "created_at": now} for i in sorted(service_ids)]
        )


def _bump_versions(session: Session, flush_context, instances) -> None:
    # A change of only categories or served municipalities updates no column of the service
    # row, but does change its document: give it a new version for the index self-check.
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, Service) and session.is_modified(obj):
            obj.updated_at = now


def install_outbox_hook() -> None:
    """Make every Session write outbox rows for catalogue changes (idempotent)."""
    if not event.contains(Session, "before_flush", _bump_versions):
        event.listen(Session, "before_flush", _bump_versions)
    if not event.contains(Session, "after_flush", _record_changes):
        event.listen(Session, "after_flush", _record_changes)


def _above(session: Session, state: AppliedState) -> list:
    return list(
        session.execute(
            select(IndexOutbox.id, IndexOutbox.service_id)
            .where(IndexOutbox.id > state.upto)
            .order_by(IndexOutbox.id)
            .limit(BATCH)
        ).all()
    )


def _in_gaps(session: Session, state: AppliedState) -> list:
    """Rows that committed after a higher id was applied. Only unapplied ids are in a gap, so
    a LIMIT here can never hide a row behind rows already applied."""
    ranges = state.gap_ranges()[:MAX_GAP_RANGES_PER_QUERY]
    if not ranges:
        return []
    return list(
        session.execute(
            select(IndexOutbox.id, IndexOutbox.service_id)
            .where(or_(*(IndexOutbox.id.between(first, last) for first, last in ranges)))
            .order_by(IndexOutbox.id)
            .limit(BATCH)
        ).all()
    )


def has_pending(session: Session, store: IndexStore) -> bool:
    generation = store.current()
    if generation is None:
        return False
    state = generation.read_applied()
    above = session.scalar(select(IndexOutbox.id).where(IndexOutbox.id > state.upto).limit(1))
    return above is not None or bool(_in_gaps(session, state))


def apply_outbox(session: Session, store: IndexStore, *, wait: float = 0.0) -> int:
    """Apply pending outbox rows to the current generation; returns how many were applied.

    Works in batches of BATCH rows, recording progress after each, so a bulk import of any size
    streams through in bounded memory and a crash loses no more than the batch in hand.
    Returns without waiting longer than `wait` when another process holds the lock; the rows
    stay pending for the next apply, so a LockError never reaches a user.
    """
    generation = store.current()
    if generation is None:
        return 0
    if not generation.is_current_format():
        # Its documents cannot be written by this version; `serve`/`init` rebuild it.
        log.warning("the index was built by another version: run 'dienstenwijzer reindex'")
        return 0
    applied = 0
    with generation.apply_lock(wait) as locked:
        if not locked:
            return 0
        bind = session.get_bind()
        while True:
            now = utcnow()
            state = generation.read_applied()
            fresh = state.expire(now)
            # A session per batch: its own snapshot and identity map, so memory stays flat
            # however large the import, and the caller's session is left alone.
            with Session(bind) as batch:
                above, found = _above(batch, fresh), _in_gaps(batch, fresh)
                if not above and not found:
                    if fresh is not state:
                        generation.write_applied(fresh)
                    return applied
                ids = sorted({r.service_id for r in above + found})
                try:
                    write_documents(batch, generation, ids, wait)
                except LockError:
                    log.warning("index writer busy; outbox rows wait for the next apply")
                    return applied
            generation.write_applied(
                fresh.advance([r.id for r in above], [r.id for r in found], now)
            )
            applied += len(above) + len(found)
            if len(above) < BATCH and len(found) < BATCH:
                return applied


def _docnums_by_id(reader, wanted: set[str]) -> dict[str, list[int]]:
    """Live docnums of these service ids, from the stamp column in one pass.

    Looking ids up one by one cost a third of a bulk apply: a term lookup per segment each."""
    found: dict[str, list[int]] = {}
    if reader.doc_count() == 0 or not wanted:
        return found
    column = reader.column_reader("stamp")
    for docnum in reader.all_doc_ids():
        key = column[docnum].split(b"|", 1)[0].decode()
        if key in wanted:
            found.setdefault(key, []).append(docnum)
    return found


def write_documents(session: Session, generation, service_ids: list[int], wait: float) -> None:
    """Rewrite these services' documents in every region of the generation (idempotent)."""
    builder = DocumentBuilder(session)
    docs = builder.documents_by_region(builder.load(service_ids))
    keys = {str(i) for i in service_ids}
    for slug in sorted(set(generation.region_slugs()) | set(docs)):
        ix = generation.ensure_region(slug)
        with ix.reader() as reader:
            present = bool(_docnums_by_id(reader, keys))
        additions = docs.get(slug, [])
        if not present and not additions:
            continue
        writer = ix.writer(timeout=max(wait, 1.0))
        try:
            if present:
                with writer.reader() as reader:  # the docnums the writer itself knows
                    for docnums in _docnums_by_id(reader, keys).values():
                        for docnum in docnums:
                            writer.delete_document(docnum)
            for doc in additions:
                writer.add_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        # New words for "Bedoelde u …?"; words that left are not subtracted (counts only rank).
        generation.add_vocabulary(
            slug, Counter(w for doc in additions for w in surface_words(doc["text"]))
        )
