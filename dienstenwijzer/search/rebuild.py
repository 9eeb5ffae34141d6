"""Rebuild every zorggebied's index from the database into a fresh generation, then swap.

Indexing is CPU-bound Python (analysis and Whoosh's writer), so on a machine with several
cores the zorggebieden are split over worker processes, each with its own database engine
and its own Whoosh writers: every region's index is still written by exactly one process,
in service-id order, so it is the same index a single process would build.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import queue as queue_module
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import IndexOutbox, Municipality, Region, Service, service_municipalities
from ..models.catalogue import STATUS_ACTIVE
from .documents import DocumentBuilder
from .outbox import apply_outbox
from .schema import surface_words
from .store import AppliedState, Generation, IndexStore

BATCH = 1000
# Whoosh's pool counts about half of what its postings take in Python, and spills to sorted
# runs past its limit (merging runs costs CPU: at 16 a 100 000 rebuild took 87 s CPU, at 64
# 65 s). At 48 a process writing a region levels off at ~260 MB however large the catalogue;
# at 128 it grew with the file (280 MB at 100 000 services, 395 MB at 200 000).
WRITER_LIMIT_MB = 48
# Distinct words (names, streets, e-mail addresses) grow with the region: write them out
# as we go instead of counting a whole region in memory.
VOCABULARY_FLUSH_WORDS = 50_000
# Below this many services a second process costs more (start-up, imports) than it saves.
PARALLEL_MIN_SERVICES = 3000
MAX_PROCESSES = 2
WORKER_TIMEOUT_SECONDS = 3600
POLL_SECONDS = 1.0
# How far below the highest outbox id a rebuild looks for ids still in flight.
GAP_SCAN = 100_000
# A bulk change at least this large, and this share of the catalogue, is caught up by a rebuild
# beside the live index: one streamed pass, parallel per zorggebied, instead of rewriting the
# index 2 000 documents at a time (a segment per region per batch, merged over and over).
BULK_REBUILD_MIN_CHANGES = 5000
BULK_REBUILD_MIN_SHARE = 0.25

Progress = Callable[[int], None]


def rebuild(
    session: Session,
    store: IndexStore,
    progress: Progress | None = None,
    processes: int | None = None,
) -> Generation:
    """Build a complete new generation; the live one keeps serving until the atomic swap.

    `processes`: how many processes build regions (None: up to MAX_PROCESSES when the
    catalogue is large enough and the database can be opened from another process).
    """
    mark = outbox_mark(session)
    generation = store.new_generation()
    slugs = list(session.scalars(select(Region.slug).order_by(Region.slug)))
    url = _database_url(session)
    if processes is None:
        processes = default_processes(session) if url else 1
    if processes > 1 and url and len(slugs) > 1:
        parts = split_regions(region_sizes(session, slugs), processes)
        _build_parallel(url, generation, parts, _capped(progress, count_to_index(session)))
    else:
        build_regions(session, generation, slugs, _capped(progress, count_to_index(session)))
    generation.write_applied(mark)
    generation.mark_checked()
    store.swap_to(generation)
    # Changes committed while we read the database: ids above the mark and the gaps below it.
    apply_outbox(session, store, wait=30.0)
    return generation


def catch_up(
    session: Session, store: IndexStore, changed: int, wait: float, progress: Progress | None = None
) -> None:
    """Bring the index up to date after a commit that changed `changed` services.

    A large change rebuilds into a new generation and swaps it in, holding the live
    generation's apply lock meanwhile so that this host's followers do not rewrite the same
    documents into an index about to be replaced (residents keep searching it; edits made
    meanwhile are applied to the new generation right after the swap)."""
    generation = store.current()
    if (
        generation is None
        or not generation.is_current_format()
        or changed < BULK_REBUILD_MIN_CHANGES
        or changed < BULK_REBUILD_MIN_SHARE * count_to_index(session)
    ):
        apply_outbox(session, store, wait=wait)
        return
    with generation.apply_lock(wait):  # rebuilt either way; the lock only spares work
        rebuild(session, store, progress)


def outbox_mark(session: Session, now: dt.datetime | None = None) -> AppliedState:
    """Where a generation built from the database as it is now starts following the outbox.

    Ids below the highest one that are not visible yet belong to transactions still open (or
    rolled back): they become gaps, so their changes are applied when they commit.
    """
    now = now or utcnow()
    upto = session.scalar(select(func.max(IndexOutbox.id))) or 0
    first = max(1, upto - GAP_SCAN + 1)
    seen = session.scalars(
        select(IndexOutbox.id).where(IndexOutbox.id >= first).order_by(IndexOutbox.id)
    ).all()
    return AppliedState(first - 1).advance(list(seen), [], now)


def build_regions(
    session: Session,
    generation: Generation,
    slugs: Iterable[str],
    progress: Progress | None = None,
) -> None:
    """Write the indexes of these regions into the generation, one region after the other,
    each region's active services in id order.

    One writer at a time keeps memory flat: eleven writers side by side each pooled their
    postings up to WRITER_LIMIT_MB, and a process grew with the catalogue (467 MB at 100 000).
    A service serving two regions is read once for each."""
    builder = DocumentBuilder(session)
    for slug in slugs:
        writer = generation.create_region(slug).writer(limitmb=WRITER_LIMIT_MB)
        vocabulary: Counter = Counter()
        try:
            ids = list(
                session.scalars(
                    select(Service.id)
                    .where(Service.status == STATUS_ACTIVE, Service.id.in_(_serving([slug])))
                    .order_by(Service.id)
                )
            )
            for start in range(0, len(ids), BATCH):
                chunk = builder.load(ids[start : start + BATCH])
                for doc in builder.documents_by_region(chunk, only={slug}).get(slug, []):
                    writer.add_document(**doc)
                    vocabulary.update(surface_words(doc["text"]))
                if len(vocabulary) > VOCABULARY_FLUSH_WORDS:  # appended lines add up on reading
                    generation.add_vocabulary(slug, vocabulary)
                    vocabulary.clear()
                if progress:
                    progress(len(chunk))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        generation.add_vocabulary(slug, vocabulary)


def _capped(progress: Progress | None, total: int) -> Progress | None:
    """A service serving two regions is read twice: never report more than the total."""
    if progress is None:
        return None
    reported = 0

    def step(n: int) -> None:
        nonlocal reported
        n = min(n, total - reported)
        if n > 0:
            reported += n
            progress(n)

    return step


def _serving(slugs: list[str]):
    return (
        select(service_municipalities.c.service_id)
        .join(Municipality, Municipality.nis_code == service_municipalities.c.nis_code)
        .join(Region, Region.id == Municipality.region_id)
        .where(Region.slug.in_(slugs))
    )


def region_sizes(session: Session, slugs: list[str]) -> dict[str, int]:
    """Active services per region (a service serving two regions counts in both)."""
    rows = session.execute(
        select(Region.slug, func.count(func.distinct(Service.id)))
        .join(Municipality, Municipality.region_id == Region.id)
        .join(service_municipalities, service_municipalities.c.nis_code == Municipality.nis_code)
        .join(Service, Service.id == service_municipalities.c.service_id)
        .where(Service.status == STATUS_ACTIVE)
        .group_by(Region.slug)
    ).all()
    sizes = dict.fromkeys(slugs, 0)
    sizes.update({slug: n for slug, n in rows if slug in sizes})
    return sizes


def split_regions(sizes: dict[str, int], parts: int) -> list[list[str]]:
    """Regions over `parts` groups of about equal size (largest first into the lightest)."""
    groups: list[list[str]] = [[] for _ in range(parts)]
    loads = [0] * parts
    for slug in sorted(sizes, key=lambda s: (-sizes[s], s)):
        i = loads.index(min(loads))
        groups[i].append(slug)
        loads[i] += sizes[slug]
    return [sorted(g) for g in groups if g]


def default_processes(session: Session) -> int:
    if count_to_index(session) < PARALLEL_MIN_SERVICES:
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(MAX_PROCESSES, cores or 1))


def _database_url(session: Session) -> str | None:
    """The URL a worker process can open, or None (an in-memory SQLite database)."""
    url = session.get_bind().url
    if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
        return None
    return url.render_as_string(hide_password=False)


def _build_parallel(
    url: str, generation: Generation, parts: list[list[str]], progress: Progress | None
) -> None:
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter: no inherited connections
    events = ctx.Queue()
    workers = [
        ctx.Process(target=_worker, args=(url, str(generation.path), part, events), daemon=True)
        for part in parts
    ]
    try:
        for p in workers:
            p.start()
        done = 0
        deadline = time.monotonic() + WORKER_TIMEOUT_SECONDS
        while done < len(workers):
            try:
                kind, value = events.get(timeout=POLL_SECONDS)
            except queue_module.Empty:
                if any(p.exitcode not in (None, 0) for p in workers):
                    raise RuntimeError("index rebuild: a worker process died") from None
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        "index rebuild: the worker processes took too long"
                    ) from None
                continue
            if kind == "progress":
                if progress:
                    progress(value)
            elif kind == "done":
                done += 1
            else:
                raise RuntimeError(f"index rebuild failed in a worker process:\n{value}")
        for p in workers:
            p.join(timeout=60)
            if p.exitcode != 0:
                raise RuntimeError(f"index rebuild worker exited with {p.exitcode}")
    finally:
        for p in workers:
            if p.is_alive():
                p.terminate()
                p.join(timeout=10)
        events.close()


def _worker(url: str, generation_path: str, slugs: list[str], events) -> None:
    """Build some regions with a fresh engine of our own (runs in a spawned process)."""
    try:
        engine = create_engine(url)
        try:
            with Session(engine) as session:
                build_regions(
                    session,
                    Generation(Path(generation_path)),
                    slugs,
                    progress=lambda n: events.put(("progress", n)),
                )
        finally:
            engine.dispose()
        events.put(("done", None))
    except BaseException:
        events.put(("error", traceback.format_exc()))
        raise


def count_to_index(session: Session) -> int:
    return (
        session.scalar(select(func.count(Service.id)).where(Service.status == STATUS_ACTIVE)) or 0
    )
