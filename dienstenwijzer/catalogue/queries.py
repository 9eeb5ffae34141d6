"""Read queries on the catalogue that pages and the API share."""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..models import Municipality, Region, Service, service_municipalities
from ..models.catalogue import STATUS_ACTIVE


def serves_region(region: Region):
    """SQL condition: the service serves at least one municipality of the zorggebied."""
    return exists().where(
        service_municipalities.c.service_id == Service.id,
        service_municipalities.c.nis_code == Municipality.nis_code,
        Municipality.region_id == region.id,
    )


def public_service(session: Session, region: Region, service_id: int) -> Service | None:
    """An active service as residents of this zorggebied may see it, or None."""
    return session.scalar(
        select(Service)
        .where(Service.id == service_id, Service.status == STATUS_ACTIVE, serves_region(region))
        .options(
            joinedload(Service.provider),
            joinedload(Service.municipality),
            selectinload(Service.categories),
            selectinload(Service.municipalities),
        )
    )
