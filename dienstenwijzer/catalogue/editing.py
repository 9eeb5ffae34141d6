"""Service functions for the back office: they change the catalogue and flush, never commit.

The session hooks write the index outbox rows and the audit trail for every change made here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, Municipality, Provider, Region, Service
from ..models.catalogue import STATUS_ACTIVE, STATUS_ARCHIVED
from ..places import Places
from .stored_fields import assign_provider, assign_service, provider_values, service_values


@dataclass(kw_only=True)
class AddressData:
    street: str | None = None
    postcode: str | None = None
    municipality_nis: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(kw_only=True)
class ServiceData(AddressData):
    """Validated input for a service (from a form)."""

    name: str
    provider: Provider
    description: str
    category_ids: list[str]
    served_nis: list[str]
    dienstencheques: bool = False
    price: str | None = None
    target_group: str | None = None
    opening_hours: str | None = None
    external_id: str | None = None


def save_service(
    session: Session,
    region: Region,
    service: Service | None,
    data: ServiceData,
    places: Places,
    today: dt.date | None = None,
) -> Service:
    """Create (service=None) or update a service of the zorggebied. Saving counts as a check."""
    if data.provider.region_id != region.id:
        raise ValueError("provider of another zorggebied")
    if service is None:
        service = Service(region_id=region.id, status=STATUS_ACTIVE)
        session.add(service)
    with session.no_autoflush:  # one flush, so one audit entry, for the whole edit
        categories = list(
            session.scalars(select(Category).where(Category.id.in_(data.category_ids)))
        )
        by_nis = {
            m.nis_code: m
            for m in session.scalars(
                select(Municipality).where(Municipality.nis_code.in_(data.served_nis))
            )
        }
    assign_service(
        service,
        data.provider,
        service_values(vars(data), data.served_nis, places),
        categories,
        [by_nis[n] for n in data.served_nis if n in by_nis],
    )
    service.external_id = data.external_id
    service.last_checked = today or dt.date.today()
    session.flush()
    return service


def archive_service(session: Session, service: Service) -> None:
    service.status = STATUS_ARCHIVED
    session.flush()


def restore_service(session: Session, service: Service) -> None:
    service.status = STATUS_ACTIVE
    session.flush()


def mark_checked(session: Session, service: Service, today: dt.date | None = None) -> None:
    service.last_checked = today or dt.date.today()
    session.flush()


@dataclass(kw_only=True)
class ProviderData(AddressData):
    name: str


def save_provider(
    session: Session, region: Region, provider: Provider | None, data: ProviderData
) -> Provider:
    if provider is None:
        provider = Provider(region_id=region.id, status=STATUS_ACTIVE)
        session.add(provider)
    assign_provider(provider, provider_values(data.name, vars(data)))
    session.flush()
    return provider


def archive_provider(session: Session, provider: Provider) -> list[Service]:
    """Archive the provider and its active services; returns the services archived."""
    archived = [s for s in provider.services if s.status == STATUS_ACTIVE]
    for service in archived:
        service.status = STATUS_ARCHIVED
    provider.status = STATUS_ARCHIVED
    session.flush()
    return archived


def restore_provider(session: Session, provider: Provider) -> None:
    """Restore the provider only: its services come back one by one, on purpose."""
    provider.status = STATUS_ACTIVE
    session.flush()
