"""What the open-data API publishes, as SQL: one zorggebied's catalogue or all of Flanders.

A zorggebied publishes every service that serves one of its municipalities (whichever
zorggebied maintains it), archived ones included as `inactive`; Flanders publishes every
service once. Lists are ordered by the public id, which never changes: an edit or an archive
moves nothing, and a service added while a harvester walks the pages can only make it see one
item twice, never miss one.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from ..catalogue.queries import serves_region
from ..models import Category, Municipality, Provider, Region, Service, service_municipalities
from ..places import Places
from .hsds import TAXONOMY_ID
from .params import ApiQuery

KM_PER_DEGREE = 111.32
STREAM_BATCH = 500


def with_everything(query: Select) -> Select:
    return query.options(
        joinedload(Service.provider).joinedload(Provider.municipality),
        joinedload(Service.municipality),
        selectinload(Service.categories).joinedload(Category.parent),
        selectinload(Service.municipalities),
    )


def in_region(region: Region):
    """SQL condition: the service serves a municipality of the zorggebied. The same as
    catalogue.queries.serves_region, written as IN (…) so that a count or a deep page over
    100 000 services reads the zorggebied's services once instead of testing every row."""
    return Service.id.in_(
        select(service_municipalities.c.service_id)
        .join(Municipality, Municipality.nis_code == service_municipalities.c.nis_code)
        .where(Municipality.region_id == region.id)
    )


def published_services(region: Region | None) -> Select:
    # No join: a count or a page then walks the service table (or its index) alone.
    query = select(Service)
    return query.where(in_region(region)) if region is not None else query


def filtered_services(region: Region | None, q: ApiQuery, places: Places) -> Select:
    """The services a list request asks for (without `search`, which the index answers)."""
    query = published_services(region)
    if q.organization_id:
        query = query.where(
            Service.provider_id.in_(select(Provider.id).where(Provider.uuid == q.organization_id))
        )
    if q.taxonomy_term_id:
        # A top term stands for its subterms too, as on the search page.
        query = query.where(
            Service.categories.any(
                or_(
                    Category.uuid == q.taxonomy_term_id,
                    Category.parent.has(Category.uuid == q.taxonomy_term_id),
                )
            )
        )
    if q.taxonomy_id and q.taxonomy_id != TAXONOMY_ID:
        query = query.where(false())  # we publish one taxonomy
    if q.modified_after is not None:
        query = query.where(
            or_(
                Service.updated_at >= q.modified_after,
                Service.provider_id.in_(
                    select(Provider.id).where(Provider.updated_at >= q.modified_after)
                ),
            )
        )
    if q.postcode and q.proximity_m:
        query = query.where(_within(places.coordinates(q.postcode), q.proximity_m / 1000))
    elif q.postcode:
        served = [p.nis_code for p in places.municipalities_for_postcode(q.postcode)]
        query = query.where(Service.municipalities.any(Municipality.nis_code.in_(served)))
    return query


def _within(origin: tuple[float, float] | None, km: float):
    """Within `km` of a point, on the flat-earth approximation (good to a few metres at 100 km
    in Flanders), in plain arithmetic so SQLite and PostgreSQL agree."""
    if origin is None:
        return false()
    lat, lon = origin
    dy = (Service.lat - lat) * KM_PER_DEGREE
    dx = (Service.lon - lon) * KM_PER_DEGREE * math.cos(math.radians(lat))
    return (Service.lat.is_not(None)) & (dy * dy + dx * dx <= km * km)


def count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def page_of(session: Session, query: Select, page: int, per_page: int) -> list[Service]:
    """One page in the order of the public id. The ids first, along the uuid's unique index
    (an OFFSET of 50 000 then skips index entries, not whole rows: 1 ms instead of 50 on
    SQLite), then those services with everything that belongs to them."""
    ids = session.scalars(
        query.with_only_columns(Service.id)
        .order_by(Service.uuid)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return by_internal_ids(session, list(ids))


def last_change(session: Session, query: Select) -> dt.datetime | None:
    """The latest change of any service in the query or of its provider."""
    rows = (
        query.order_by(None)
        .join(Service.provider)
        .with_only_columns(func.max(Service.updated_at), func.max(Provider.updated_at))
    )
    latest = [moment for moment in session.execute(rows).one() if moment is not None]
    return max(latest) if latest else None


def stream(session: Session, query: Select) -> Iterator[Service]:
    """Every row of the query in id order, in batches: memory stays bounded at any size."""
    after = 0
    while True:
        batch = (
            session.scalars(
                with_everything(
                    query.where(Service.id > after).order_by(Service.id).limit(STREAM_BATCH)
                )
            )
            .unique()
            .all()
        )
        if not batch:
            return
        yield from batch
        after = batch[-1].id
        session.expunge_all()


def stream_organizations(session: Session, query: Select) -> Iterator[Provider]:
    """Every provider of the query in id order, in batches, like `stream`."""
    after = 0
    while True:
        batch = session.scalars(
            query.where(Provider.id > after)
            .order_by(Provider.id)
            .limit(STREAM_BATCH)
            .options(joinedload(Provider.municipality))
        ).all()
        if not batch:
            return
        yield from batch
        after = batch[-1].id
        session.expunge_all()


def by_internal_ids(session: Session, ids: list[int]) -> list[Service]:
    """Services in the order given (the search's ranking)."""
    rows = {
        s.id: s
        for s in session.scalars(
            with_everything(select(Service).where(Service.id.in_(ids)))
        ).unique()
    }
    return [rows[i] for i in ids if i in rows]


def _one(session: Session, region: Region | None, condition) -> Service | None:
    # One row by its unique id, then EXISTS for the zorggebied: a test of that row only.
    query = select(Service).where(condition)
    if region is not None:
        query = query.where(serves_region(region))
    return session.scalar(with_everything(query))


def service(session: Session, region: Region | None, public_id: str) -> Service | None:
    return _one(session, region, Service.uuid == public_id)


def service_at(session: Session, region: Region | None, public_id: str) -> Service | None:
    return _one(session, region, Service.location_uuid == public_id)


def with_address(query: Select) -> Select:
    return query.where(or_(Service.street.is_not(None), Service.postcode.is_not(None)))


def organizations(region: Region | None) -> Select:
    """Providers with a service this zorggebied publishes (all of them for Flanders)."""
    query = select(Provider)
    if region is not None:
        query = query.where(Provider.id.in_(select(Service.provider_id).where(in_region(region))))
    return query


def organization(session: Session, region: Region | None, public_id: str) -> Provider | None:
    return session.scalar(
        organizations(region)
        .where(Provider.uuid == public_id)
        .options(joinedload(Provider.municipality))
    )


def taxonomy_terms() -> Select:
    return (
        select(Category)
        .options(joinedload(Category.parent))
        .order_by(Category.position, Category.id)
    )
