"""Read services from the database and turn them into per-zorggebied documents.

Services are read as plain rows (three queries per batch: the services with their provider
and address, their categories, their municipalities), not as ORM objects: a rebuild reads the
whole catalogue, and building objects with their relationship collections cost more than
the queries. The records offer the attributes schema.service_document reads.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Category,
    Municipality,
    Provider,
    Region,
    RegionSynonym,
    Service,
    service_categories,
    service_municipalities,
)
from ..models.catalogue import STATUS_ACTIVE
from .schema import service_document


@dataclass(frozen=True)
class ProviderRecord:
    id: int
    name: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class CategoryRecord:
    id: str
    label: str


@dataclass(frozen=True)
class PlaceRecord:
    nis_code: str
    name: str


@dataclass
class ServiceRecord:
    """What a document needs of a service, in the ORM's attribute names and orders."""

    id: int
    name: str
    description: str
    target_group: str | None
    status: str
    dienstencheques: bool
    lat: float | None
    lon: float | None
    last_checked: dt.date
    updated_at: dt.datetime
    price: str | None
    website: str | None
    email: str | None
    phone: str | None
    provider: ProviderRecord
    municipality: PlaceRecord | None
    categories: list[CategoryRecord] = field(default_factory=list)
    municipalities: list[PlaceRecord] = field(default_factory=list)


_SERVICE_COLUMNS = (
    Service.id,
    Service.name,
    Service.description,
    Service.target_group,
    Service.status,
    Service.dienstencheques,
    Service.lat,
    Service.lon,
    Service.last_checked,
    Service.updated_at,
    Service.price,
    Service.website,
    Service.email,
    Service.phone,
)


class DocumentBuilder:
    """Knows which zorggebied each municipality belongs to and each category's parent."""

    def __init__(self, session: Session):
        self.session = session
        self.places: dict[str, PlaceRecord] = {}
        self.region_of_nis: dict[str, str] = {}
        for nis, name, slug in session.execute(
            select(Municipality.nis_code, Municipality.name, Region.slug).outerjoin(
                Region, Municipality.region_id == Region.id
            )
        ):
            self.places[nis] = PlaceRecord(nis, name)
            if slug is not None:
                self.region_of_nis[nis] = slug
        self.parent_of: dict[str, str | None] = {}
        self.categories: dict[str, CategoryRecord] = {}
        self.category_position: dict[str, tuple] = {}
        for cid, parent, label, position in session.execute(
            select(Category.id, Category.parent_id, Category.label, Category.position)
        ):
            self.parent_of[cid] = parent
            self.categories[cid] = CategoryRecord(cid, label)
            self.category_position[cid] = (position is None, position or 0)

    def load(self, service_ids: Iterable[int]) -> list[ServiceRecord]:
        """These services (any status), in id order."""
        ids = list(service_ids)
        if not ids:
            return []
        records: dict[int, ServiceRecord] = {}
        rows = self.session.execute(
            select(
                *_SERVICE_COLUMNS,
                Provider.id,
                Provider.name,
                Provider.updated_at,
                Service.municipality_nis,
            )
            .join(Provider, Provider.id == Service.provider_id)
            .where(Service.id.in_(ids))
            .order_by(Service.id)
        )
        for row in rows:
            *values, provider_id, provider_name, provider_updated, nis = row
            records[row[0]] = ServiceRecord(
                *values,
                provider=ProviderRecord(provider_id, provider_name, provider_updated),
                municipality=self.places.get(nis) if nis else None,
            )
        links = self.session.execute(
            select(service_categories.c.service_id, service_categories.c.category_id).where(
                service_categories.c.service_id.in_(ids)
            )
        )
        for service_id, category_id in links:
            records[service_id].categories.append(self.categories[category_id])
        links = self.session.execute(
            select(service_municipalities.c.service_id, service_municipalities.c.nis_code).where(
                service_municipalities.c.service_id.in_(ids)
            )
        )
        for service_id, nis in links:
            records[service_id].municipalities.append(self.places[nis])
        for record in records.values():  # the orders of the ORM relationships
            record.categories.sort(key=lambda c: (self.category_position[c.id], c.id))
            record.municipalities.sort(key=lambda m: (m.name, m.nis_code))
        return list(records.values())

    def regions_of(self, service: ServiceRecord) -> set[str]:
        return {
            self.region_of_nis[m.nis_code]
            for m in service.municipalities
            if m.nis_code in self.region_of_nis
        }

    def category_ids(self, service: ServiceRecord) -> list[str]:
        ids: list[str] = []
        for c in service.categories:
            for cid in (c.id, self.parent_of.get(c.id)):
                if cid and cid not in ids:
                    ids.append(cid)
        return ids

    def taught_words(self, service_ids: list[int]) -> dict[tuple[int, str], list[str]]:
        """(service id, region slug) -> words a regisseur taught there for that service."""
        taught: dict[tuple[int, str], list[str]] = defaultdict(list)
        if service_ids:
            rows = self.session.execute(
                select(RegionSynonym.service_id, Region.slug, RegionSynonym.term)
                .join(Region, RegionSynonym.region_id == Region.id)
                .where(RegionSynonym.service_id.in_(service_ids))
                .order_by(RegionSynonym.term)
            )
            for service_id, slug, term in rows:
                taught[(service_id, slug)].append(term)
        return taught

    def documents_by_region(
        self, services: Iterable[ServiceRecord], only: set[str] | None = None
    ) -> dict[str, list[dict]]:
        """Active services only: an archived service has no document anywhere.

        `only`: build documents just for the services in these regions (a rebuild worker).
        A word taught for a service in a zorggebied is in its document there only (a
        change of those words bumps the service's updated_at, so the outbox rewrites it)."""
        active = [s for s in services if s.status == STATUS_ACTIVE]
        taught = self.taught_words([s.id for s in active])
        docs: dict[str, list[dict]] = defaultdict(list)
        for service in active:
            slugs = self.regions_of(service)
            if only is not None:
                slugs &= only
                if not slugs:
                    continue
            doc = service_document(service, self.category_ids(service))
            for slug in slugs:
                words = taught.get((service.id, slug))
                docs[slug].append(
                    {**doc, "text": " ".join([doc["text"], *words])} if words else doc
                )
        return docs
