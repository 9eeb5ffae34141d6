"""Read queries on the catalogue that pages and the API share."""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from ..models import Municipality, Region, Service, service_municipalities
from ..models.catalogue import STATUS_ACTIVE


def serves_region(region: Region):
    """SQL condition: the service serves at least one municipality of the zorggebied."""
    return exists().where(
        service_municipalities.c.service_id == Service.id,
        service_municipalities.c.nis_code == Municipality.nis_code,
        Municipality.region_id == region.id,
    )


def served_municipalities(session: Session, region: Region) -> list[Municipality]:
    """Every municipality that an active service of the zorggebied comes to, by name: its own
    and those beyond it (a wegwijzer can be printed for each)."""
    own = aliased(Municipality)
    in_region = (
        select(service_municipalities.c.service_id)
        .join(own, own.nis_code == service_municipalities.c.nis_code)
        .where(own.region_id == region.id)
    )
    served = (
        select(service_municipalities.c.nis_code)
        .join(Service, Service.id == service_municipalities.c.service_id)
        .where(Service.status == STATUS_ACTIVE, Service.id.in_(in_region))
    )
    return list(
        session.scalars(
            select(Municipality)
            .where(Municipality.nis_code.in_(served))
            .order_by(Municipality.name)
        )
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


def staff_services(
    region: Region,
    *,
    text: str = "",
    category: str = "",
    nis: str = "",
    freshness: str = "",
    status: str = STATUS_ACTIVE,
    stale_before=None,
    hide_before=None,
):
    """The back office's service list of one zorggebied, filtered; newest check last."""
    from ..models import Category, Provider
    from ..scope import services_of

    query = services_of(region).join(Service.provider).options(joinedload(Service.provider))
    if status:
        query = query.where(Service.status == status)
    if text:
        like = f"%{text.strip()}%"
        query = query.where(
            Service.name.ilike(like) | Service.description.ilike(like) | Provider.name.ilike(like)
        )
    if category:
        query = query.where(
            Service.categories.any((Category.id == category) | (Category.parent_id == category))
        )
    if nis:
        query = query.where(Service.municipalities.any(Municipality.nis_code == nis))
    if freshness == "te-controleren" and stale_before is not None:
        query = query.where(Service.last_checked < stale_before)
    elif freshness == "verborgen" and hide_before is not None:
        query = query.where(Service.last_checked < hide_before)
    return query.order_by(Service.name, Service.id)


def stale_services(region: Region, stale_before):
    """Active services not checked since `stale_before`, the oldest check first."""
    from ..scope import services_of

    return (
        services_of(region)
        .where(Service.status == STATUS_ACTIVE, Service.last_checked < stale_before)
        .options(joinedload(Service.provider))
        .order_by(Service.last_checked, Service.name)
    )
