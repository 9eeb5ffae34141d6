"""The index self-check (DESIGN.md invariant 7): does each zorggebied's index equal the database?

Every document carries its version ("id|stamp" in a column, see schema.document_stamp). The
check reads what the database says each region should hold and what its index holds, and
lists the services that are missing, stale or should not be there; `repair` rewrites just
those documents. Each host runs it on start and every few minutes, so drift of any cause (a
crash between commit and apply, a pruned outbox, a bug) heals by itself.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from array import array
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from ..models import Municipality, Provider, Region, Service, service_municipalities
from ..models.catalogue import STATUS_ACTIVE
from .outbox import BATCH, write_documents
from .store import Generation, IndexStore

# Rows read from the database per round trip while the versions are collected.
ROWS_PER_FETCH = 5_000
_EPOCH = dt.datetime(1970, 1, 1)


class Versions:
    """Which services a region's index holds (or should hold), each with its document version.

    Two sorted int64 arrays (service id, version as microseconds), 16 bytes a service: the
    check runs every few minutes inside a web worker, and {id: stamp string} dicts for 100 000
    services made a transient of about 50 MB there that the allocator kept for good.
    """

    def __init__(self, ids: array | np.ndarray = (), stamps: array | np.ndarray = ()):
        ids = np.asarray(ids, dtype=np.int64)
        stamps = np.asarray(stamps, dtype=np.int64)
        self.ids, first, counts = np.unique(ids, return_index=True, return_counts=True)
        self.stamps = stamps[first]
        # In an index, a service found twice is drift (the database's joins repeat on purpose).
        self.repeated = set(self.ids[counts > 1].tolist())

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, service_id: int) -> bool:
        at = int(np.searchsorted(self.ids, service_id))
        return at < len(self.ids) and int(self.ids[at]) == service_id


def stamp_micros(stamp: dt.datetime | str) -> int:
    """A document version as an integer: the newer `updated_at` of a service and its provider,
    or its text in the index (schema.document_stamp wrote it there)."""
    when = dt.datetime.fromisoformat(stamp) if isinstance(stamp, str) else stamp
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return (when - _EPOCH) // dt.timedelta(microseconds=1)


@dataclass
class RegionDrift:
    slug: str
    database: Versions
    index: Versions | None  # None: built by another version of the schema or analyzer (reindex)
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    extra: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        indexed = self.index or Versions()
        db_ids, ix_ids = self.database.ids, indexed.ids
        self.missing = set(np.setdiff1d(db_ids, ix_ids, assume_unique=True).tolist())
        self.extra = set(np.setdiff1d(ix_ids, db_ids, assume_unique=True).tolist())
        common, in_db, in_ix = np.intersect1d(
            db_ids, ix_ids, assume_unique=True, return_indices=True
        )
        differs = self.database.stamps[in_db] != indexed.stamps[in_ix]
        self.stale = set(common[differs].tolist()) | (indexed.repeated & set(common.tolist()))

    @property
    def outdated_schema(self) -> bool:
        return self.index is None

    @property
    def ok(self) -> bool:
        return not (self.outdated_schema or self.missing or self.stale or self.extra)

    @property
    def to_rewrite(self) -> set[int]:
        return self.missing | self.stale | self.extra


def checksum(versions: Versions | None) -> str:
    if versions is None:
        return "-"
    digest = hashlib.sha256(versions.ids.tobytes())
    digest.update(versions.stamps.tobytes())
    return digest.hexdigest()[:12]


def database_versions(session: Session) -> dict[str, Versions]:
    """Per region: the active services it should find, with their document versions."""
    rows = session.execute(
        select(Region.slug, Service.id, Service.updated_at, Provider.updated_at)
        .join(Municipality, Municipality.region_id == Region.id)
        .join(service_municipalities, service_municipalities.c.nis_code == Municipality.nis_code)
        .join(Service, Service.id == service_municipalities.c.service_id)
        .join(Provider, Provider.id == Service.provider_id)
        .where(Service.status == STATUS_ACTIVE)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )
    collected = {slug: (array("q"), array("q")) for slug in session.scalars(select(Region.slug))}
    for slug, service_id, service_updated, provider_updated in rows:
        ids, stamps = collected[slug]
        ids.append(service_id)
        stamps.append(stamp_micros(max(service_updated, provider_updated)))
    return {slug: Versions(ids, stamps) for slug, (ids, stamps) in collected.items()}


def index_versions(generation: Generation, slug: str) -> Versions | None:
    if not generation.is_current_format():
        return None
    path = str(generation.region_dir(slug))
    if not whoosh_index.exists_in(path):
        return Versions()
    ix = generation.open_region(slug)
    if "stamp" not in ix.schema:
        return None
    ids, stamps = array("q"), array("q")
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return Versions()
        column = reader.column_reader("stamp")
        for docnum in reader.all_doc_ids():
            service_id, _, stamp = column[docnum].decode().partition("|")
            ids.append(int(service_id))
            stamps.append(stamp_micros(stamp))
    return Versions(ids, stamps)


def compare(session: Session, generation: Generation) -> list[RegionDrift]:
    expected = database_versions(session)
    slugs = sorted(set(expected) | set(generation.region_slugs()))
    return [
        RegionDrift(s, expected.get(s, Versions()), index_versions(generation, s)) for s in slugs
    ]


def repair(
    session: Session, store: IndexStore, drifts: list[RegionDrift], wait: float = 5.0
) -> int:
    """Rewrite the documents that drifted; returns how many services were rewritten.

    Regions with an outdated schema are left for `reindex`: their documents cannot be written.
    """
    generation = store.current()
    ids = sorted(set().union(*(d.to_rewrite for d in drifts if not d.outdated_schema)))
    if generation is None or not ids:
        return 0
    with generation.apply_lock(wait) as locked:
        if not locked:
            return 0
        for start in range(0, len(ids), BATCH):
            with Session(session.get_bind()) as batch:
                write_documents(batch, generation, ids[start : start + BATCH], wait)
    return len(ids)
