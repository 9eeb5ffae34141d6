"""The index self-check (DESIGN.md invariant 7): does each zorggebied's index equal the database?

Every document carries its version ("id|stamp" in a column, see schema.document_stamp). The
check reads what the database says each region should hold and what its index holds, and
lists the services that are missing, stale or should not be there; `repair` rewrites just
those documents. Each host runs it on start and every few minutes, so drift of any cause (a
crash between commit and apply, a pruned outbox, a bug) heals by itself.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from whoosh import index as whoosh_index

from ..models import Municipality, Provider, Region, Service, service_municipalities
from ..models.catalogue import STATUS_ACTIVE
from .outbox import BATCH, write_documents
from .schema import document_stamp
from .store import Generation, IndexStore

Versions = dict[int, str]  # service id -> document stamp


@dataclass
class RegionDrift:
    slug: str
    database: Versions
    index: Versions | None  # None: built by another version of the schema or analyzer (reindex)
    missing: set[int] = field(default_factory=set)
    stale: set[int] = field(default_factory=set)
    extra: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        indexed = self.index or {}
        self.missing = set(self.database) - set(indexed)
        self.extra = set(indexed) - set(self.database)
        self.stale = {i for i, stamp in self.database.items() if i in indexed and indexed[i] != stamp}

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
    digest = hashlib.sha256()
    for i in sorted(versions):
        digest.update(f"{i}|{versions[i]}\n".encode())
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
    )
    versions: dict[str, Versions] = {slug: {} for slug in session.scalars(select(Region.slug))}
    for slug, service_id, service_updated, provider_updated in rows:
        versions[slug][service_id] = document_stamp(service_updated, provider_updated)
    return versions


def index_versions(generation: Generation, slug: str) -> Versions | None:
    if not generation.is_current_format():
        return None
    path = str(generation.region_dir(slug))
    if not whoosh_index.exists_in(path):
        return {}
    ix = generation.open_region(slug)
    if "stamp" not in ix.schema:
        return None
    versions: Versions = {}
    with ix.reader() as reader:
        if reader.doc_count() == 0:
            return versions
        column = reader.column_reader("stamp")
        for docnum in reader.all_doc_ids():
            service_id, _, stamp = column[docnum].decode().partition("|")
            versions[int(service_id)] = stamp
    return versions


def compare(session: Session, generation: Generation) -> list[RegionDrift]:
    expected = database_versions(session)
    slugs = sorted(set(expected) | set(generation.region_slugs()))
    return [RegionDrift(s, expected.get(s, {}), index_versions(generation, s)) for s in slugs]


def repair(session: Session, store: IndexStore, drifts: list[RegionDrift], wait: float = 5.0) -> int:
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
