"""Read services from the database and turn them into per-zorggebied documents."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Category, Municipality, Region, RegionSynonym, Service
from ..models.catalogue import STATUS_ACTIVE
from .schema import service_document


class DocumentBuilder:
    """Knows which zorggebied each municipality belongs to and each category's parent."""

    def __init__(self, session: Session):
        self.session = session
        self.region_of_nis = dict(
            session.execute(
                select(Municipality.nis_code, Region.slug).join(
                    Region, Municipality.region_id == Region.id
                )
            ).all()
        )
        self.parent_of = dict(session.execute(select(Category.id, Category.parent_id)).all())

    def load(self, service_ids: Iterable[int]) -> list[Service]:
        return list(
            self.session.scalars(
                select(Service)
                .where(Service.id.in_(list(service_ids)))
                .options(
                    joinedload(Service.provider),
                    joinedload(Service.municipality),
                    selectinload(Service.categories),
                    selectinload(Service.municipalities),
                )
                .order_by(Service.id)
            )
        )

    def regions_of(self, service: Service) -> set[str]:
        return {
            self.region_of_nis[m.nis_code]
            for m in service.municipalities
            if m.nis_code in self.region_of_nis
        }

    def category_ids(self, service: Service) -> list[str]:
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

    def documents_by_region(self, services: Iterable[Service]) -> dict[str, list[dict]]:
        """Active services only: an archived service has no document anywhere.

        A word taught for a service in a zorggebied is in its document there only (a
        change of those words bumps the service's updated_at, so the outbox rewrites it)."""
        services = [s for s in services if s.status == STATUS_ACTIVE]
        taught = self.taught_words([s.id for s in services])
        docs: dict[str, list[dict]] = defaultdict(list)
        for service in services:
            doc = service_document(service, self.category_ids(service))
            for slug in self.regions_of(service):
                words = taught.get((service.id, slug))
                docs[slug].append({**doc, "text": " ".join([doc["text"], *words])} if words else doc)
        return docs
