"""The catalogue: providers (aanbieders) and their services (diensten), and the index outbox."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .ids import new_uuid
from .reference import Category, Municipality, Region

STATUS_ACTIVE = "active"
STATUS_ARCHIVED = "archived"


service_categories = Table(
    "service_category",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("category.id"), primary_key=True),
)

service_municipalities = Table(
    "service_municipality",
    Base.metadata,
    Column("service_id", ForeignKey("service.id", ondelete="CASCADE"), primary_key=True),
    Column("nis_code", ForeignKey("municipality.nis_code"), primary_key=True, index=True),
)


class Provider(Base):
    """An aanbieder; maintained by one zorggebied even when it serves several."""

    __tablename__ = "provider"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public id (HSDS organization id): stable across re-import, reindex and a move.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality_nis: Mapped[str | None] = mapped_column(ForeignKey("municipality.nis_code"))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(
        String(20), default=STATUS_ACTIVE, server_default=STATUS_ACTIVE
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Region] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    services: Mapped[list[Service]] = relationship(
        back_populates="provider", order_by="Service.name"
    )


class Service(Base):
    """A dienst: what residents search for."""

    __tablename__ = "service"
    __table_args__ = (UniqueConstraint("region_id", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The public id (HSDS service id): one per service, whichever zorggebied publishes it.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    # The public id of the service at its address (HSDS service_at_location); the location's
    # own id derives from it (models/ids.py).
    location_uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    external_id: Mapped[str | None] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    street: Mapped[str | None] = mapped_column(String(200))
    postcode: Mapped[str | None] = mapped_column(String(4))
    municipality_nis: Mapped[str | None] = mapped_column(ForeignKey("municipality.nis_code"))
    # Location for distance filters: the address's postal place, else the first served municipality.
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    website: Mapped[str | None] = mapped_column(String(300))
    dienstencheques: Mapped[bool] = mapped_column(Boolean, default=False)
    price: Mapped[str | None] = mapped_column(String(300))
    target_group: Mapped[str | None] = mapped_column(String(300))
    opening_hours: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default=STATUS_ACTIVE, index=True)
    last_checked: Mapped[dt.date] = mapped_column(Date, default=lambda: utcnow().date())
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # Indexed: a harvester's `modified_after` reads only what changed since its last run.
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow, index=True
    )

    region: Mapped[Region] = relationship()
    provider: Mapped[Provider] = relationship(back_populates="services")
    municipality: Mapped[Municipality | None] = relationship()
    categories: Mapped[list[Category]] = relationship(
        secondary=service_categories, order_by="Category.position"
    )
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=service_municipalities, order_by="Municipality.name"
    )

    @property
    def is_active(self) -> bool:
        return self.status == STATUS_ACTIVE


class IndexOutbox(Base):
    """A service whose search documents must be rewritten (DESIGN.md invariant 1).

    Rows form an append-only log: each index directory remembers the last id it applied, so
    every host catches up on its own. Written in the same transaction as the change.
    """

    __tablename__ = "index_outbox"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    service_id: Mapped[int] = mapped_column(Integer, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
