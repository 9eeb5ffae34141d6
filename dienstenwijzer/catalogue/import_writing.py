"""Writing checked import rows, one batch at a time, or counting what that would do (a dry run).

Existing services, providers and reference data are looked up per batch or cached, never
loaded per row. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session, selectinload

from ..audit import record_created
from ..clock import utcnow
from ..models import (
    Category,
    Municipality,
    Provider,
    Region,
    Service,
    service_categories,
    service_municipalities,
)
from ..models.catalogue import STATUS_ACTIVE
from ..models.ids import new_uuid
from ..search.outbox import record_services
from .import_csv import INTERNAL_ID, RowError
from .import_rows import ServiceRow
from .stored_fields import SERVICE_FIELDS, assign_service, provider_values

# How many created and updated names the dry run shows.
NAME_SAMPLE = 50


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    providers_created: int = 0
    created_names: list[str] = field(default_factory=list)  # the first NAME_SAMPLE
    updated_names: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        names = {"created": self.created_names, "updated": self.updated_names}.get(kind)
        if names is not None and len(names) < NAME_SAMPLE:
            names.append(name)


class Catalogue:
    """What one import needs to know about the zorggebied's catalogue, looked up per batch."""

    def __init__(self, session: Session, region: Region):
        self.session, self.region = session, region
        self.categories = {c.id: c for c in session.scalars(select(Category))}
        self.providers = {
            p.name: p
            for p in session.scalars(select(Provider).where(Provider.region_id == region.id))
        }
        self.new_provider_names: set[str] = set()  # dry run: providers the import would create
        self._municipalities: dict[str, Municipality] | None = None
        # Services the caller already holds stay in the session; the import's own are dropped.
        self.callers_services = {
            key for key, obj in session.identity_map.items() if isinstance(obj, Service)
        }

    @property
    def municipalities(self) -> dict[str, Municipality]:
        if self._municipalities is None:
            self._municipalities = {
                m.nis_code: m for m in self.session.scalars(select(Municipality))
            }
        return self._municipalities

    def load(self, ids: list[int]) -> list[Service]:
        """Services just inserted in bulk, as objects (with their categories)."""
        return list(
            self.session.scalars(
                select(Service).options(selectinload(Service.categories)).where(Service.id.in_(ids))
            )
        )

    def existing(self, batch: list[ServiceRow]) -> tuple[dict[int, Service], set[str]]:
        """Row line -> the service it updates, for one batch of rows; and the uuids in the
        batch that belong to another zorggebied's service.

        The uuid decides first (an export carries it); else the extern_id. An export gives
        services without an extern_id the id "dw-<id>" (see export.py); that id only means
        something in the install that wrote it, so a row whose uuid is unknown here (a file
        from another install) is not matched by it."""
        loading = (selectinload(Service.categories), selectinload(Service.municipalities))
        public_ids = [r.public_id for r in batch if r.public_id]
        by_uuid: dict[str, Service] = {}
        foreign: set[str] = set()
        if public_ids:
            for s in self.session.scalars(
                select(Service).options(*loading).where(Service.uuid.in_(public_ids))
            ):
                if s.region_id == self.region.id:
                    by_uuid[s.uuid] = s
                else:
                    foreign.add(s.uuid)
        by_external = self._by_external_id(
            [r for r in batch if r.external_id and r.public_id not in by_uuid], loading
        )
        found: dict[int, Service] = {}
        for row in batch:
            if row.public_id in by_uuid:
                found[row.line] = by_uuid[row.public_id]
            elif row.external_id in by_external and not (
                row.public_id and INTERNAL_ID.fullmatch(row.external_id)
            ):
                found[row.line] = by_external[row.external_id]
        return found, foreign

    def _by_external_id(self, rows: list[ServiceRow], loading) -> dict[str, Service]:
        keys = [r.external_id for r in rows]
        if not keys:
            return {}
        found = {
            s.external_id: s
            for s in self.session.scalars(
                select(Service)
                .options(*loading)
                .where(Service.region_id == self.region.id, Service.external_id.in_(keys))
            )
        }
        internal = {
            int(m.group(1)): k for k in keys if k not in found and (m := INTERNAL_ID.fullmatch(k))
        }
        if internal:
            for s in self.session.scalars(
                select(Service)
                .options(*loading)
                .where(
                    Service.region_id == self.region.id,
                    Service.external_id.is_(None),
                    Service.id.in_(internal),
                )
            ):
                found[internal[s.id]] = s
        return found


def handle(
    catalogue: Catalogue,
    batch: list[ServiceRow],
    summary: ImportSummary,
    today: dt.date | None,
    errors: list[RowError],
) -> list[int]:
    """Count (today None: dry run) or write one batch; the ids of the services it creates.

    New services are inserted in bulk (one executemany per table) rather than as ORM objects:
    that is most of a large import, and the unit of work cost several times the insert itself.
    Changed services go through the ORM, whose flush hooks write their audit and outbox rows."""
    write = today is not None
    existing, foreign = catalogue.existing(batch)
    new_rows: list[tuple[ServiceRow, Provider]] = []
    for row in batch:
        if row.public_id in foreign:
            errors.append(
                RowError(
                    row.line,
                    "uuid",
                    f"'{row.public_id}' is de id van een dienst van een ander zorggebied",
                )
            )
            continue
        provider = catalogue.providers.get(row.provider_name)
        if provider is None and row.provider_name not in catalogue.new_provider_names:
            summary.providers_created += 1
            if write:
                provider = _new_provider(catalogue, row)
            else:
                catalogue.new_provider_names.add(row.provider_name)
        service = existing.get(row.line)
        if service is None:
            summary.add("created", row.values["name"])
            if write:
                new_rows.append((row, provider))
        elif provider is None or _differs(catalogue, service, provider, row):
            summary.add("updated", row.values["name"])
            if write:
                _assign(catalogue, service, provider, row)
                service.last_checked = today
        else:
            summary.add("unchanged", row.values["name"])
    if not new_rows:
        return []
    catalogue.session.flush()  # new providers get their ids, changed services are written
    return _insert_services(catalogue, new_rows, today)


def _insert_returning_ids(session: Session, rows: list[dict]) -> list[int]:
    """Insert services in one executemany; their new ids, in the order of `rows`.

    SQLAlchemy cannot rely on the order of SQLite's RETURNING, so there it inserts row by row
    and splices the results together (quadratic: 3.7 million row fetches for 10 000 rows).
    SQLite has one writer: inside our write transaction an executemany's rowids are
    consecutive and end at last_insert_rowid(). PostgreSQL returns them in order, batched."""
    if session.get_bind().dialect.name != "sqlite":
        return list(
            session.scalars(
                insert(Service).returning(Service.id, sort_by_parameter_order=True), rows
            )
        )
    session.execute(insert(Service), rows)
    last = session.scalar(text("SELECT last_insert_rowid()"))
    first = last - len(rows) + 1
    inserted = session.scalar(select(func.count(Service.id)).where(Service.id.between(first, last)))
    if inserted != len(rows):  # never expected; refuse rather than link rows to wrong ids
        raise RuntimeError("the new services did not get consecutive ids")
    return list(range(first, last + 1))


def _insert_services(
    catalogue: Catalogue, rows: list[tuple[ServiceRow, Provider]], today: dt.date
) -> list[int]:
    """Insert new services with their categories and places, audit and outbox rows."""
    session, region_id = catalogue.session, catalogue.region.id
    now = utcnow()
    ids = _insert_returning_ids(
        session,
        [
            {
                **row.values,
                "region_id": region_id,
                "provider_id": provider.id,
                "external_id": row.external_id,
                # A row from another install's export keeps its id.
                "uuid": row.public_id or new_uuid(),
                "last_checked": today,
                "status": STATUS_ACTIVE,
                "created_at": now,
                "updated_at": now,
            }
            for row, provider in rows
        ],
    )
    connection = session.connection()
    pairs = list(zip(ids, (row for row, _ in rows), strict=True))
    connection.execute(
        insert(service_categories),
        [{"service_id": i, "category_id": c} for i, row in pairs for c in row.category_ids],
    )
    connection.execute(
        insert(service_municipalities),
        [{"service_id": i, "nis_code": n} for i, row in pairs for n in row.served_nis],
    )
    record_created(
        session,
        Service,
        [
            (
                region_id,
                i,
                {
                    **row.values,
                    "provider": provider.name,
                    "categories": row.category_ids,
                    "municipalities": row.served_nis,
                    "external_id": row.external_id,
                    "last_checked": today,
                },
            )
            for i, (row, provider) in zip(ids, rows, strict=True)
        ],
    )
    record_services(session, ids)
    return ids


def _new_provider(catalogue: Catalogue, row: ServiceRow) -> Provider:
    provider = Provider(
        region_id=catalogue.region.id, **provider_values(row.provider_name, row.values)
    )
    catalogue.session.add(provider)
    catalogue.providers[row.provider_name] = provider
    return provider


def _assign(catalogue: Catalogue, service: Service, provider: Provider, row: ServiceRow) -> None:
    assign_service(
        service,
        provider,
        row.values,
        [catalogue.categories[c] for c in row.category_ids],
        [catalogue.municipalities[n] for n in row.served_nis],
    )


def _differs(catalogue: Catalogue, service: Service, provider: Provider, row: ServiceRow) -> bool:
    if service.provider_id != provider.id:
        return True
    if any(getattr(service, k) != row.values[k] for k in SERVICE_FIELDS):
        return True
    if {c.id for c in service.categories} != set(row.category_ids):
        return True
    return {m.nis_code for m in service.municipalities} != set(row.served_nis)


def forget(session: Session, catalogue: Catalogue, batch: list[ServiceRow]) -> None:
    """Drop a written batch from the session so memory does not grow with the file."""
    for key, obj in list(session.identity_map.items()):
        if isinstance(obj, Service) and key not in catalogue.callers_services:
            session.expunge(obj)
    # Assigning service.provider appended the service to provider.services: forget those lists.
    for name in {row.provider_name for row in batch}:
        provider = catalogue.providers.get(name)
        if provider is not None and "services" in provider.__dict__:
            session.expire(provider, ["services"])
