"""Read services from the database and turn them into per-zorggebied documents."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Category, Municipality, Region, Service
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

    def documents_by_region(self, services: Iterable[Service]) -> dict[str, list[dict]]:
        """Active services only: an archived service has no document anywhere."""
        docs: dict[str, list[dict]] = defaultdict(list)
        for service in services:
            if service.status != STATUS_ACTIVE:
                continue
            doc = service_document(service, self.category_ids(service))
            for slug in self.regions_of(service):
                docs[slug].append(doc)
        return docs
