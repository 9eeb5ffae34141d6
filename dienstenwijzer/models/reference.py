"""Reference data: zorggebieden, municipalities, postcodes and the service taxonomy."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from .ids import category_default


class Region(Base):
    """A zorggebied: one dienstenwijzer site."""

    __tablename__ = "region"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    werkwinkel_nis: Mapped[str | None] = mapped_column(String(5))
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lon: Mapped[float] = mapped_column(Float)
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    # The werkwinkel's own contact (address, phone, e-mail; several lines) for referral letters:
    # not the regisseur's, who keeps the catalogue. Set per zorggebied by an admin.
    werkwinkel_contact: Mapped[str | None] = mapped_column(Text)
    # True while the catalogue holds the fictional demo data: the site says so on every page.
    demo_catalogue: Mapped[bool] = mapped_column(Boolean, default=False)

    municipalities: Mapped[list[Municipality]] = relationship(
        back_populates="region", order_by="Municipality.name"
    )

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("Dienstenwijzer ").strip()


class Municipality(Base):
    __tablename__ = "municipality"

    nis_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    name_fr: Mapped[str | None] = mapped_column(String(80))
    province: Mapped[str | None] = mapped_column(String(60))
    flemish: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)

    region: Mapped[Region | None] = relationship(back_populates="municipalities")
    postcodes: Mapped[list[Postcode]] = relationship(back_populates="municipality")


class Postcode(Base):
    """One postal place: a postcode can have several (2980 Zoersel and 2980 Halle)."""

    __tablename__ = "postcode"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(4), index=True)
    place_name: Mapped[str | None] = mapped_column(String(80))
    nis_code: Mapped[str] = mapped_column(ForeignKey("municipality.nis_code"), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)

    municipality: Mapped[Municipality] = relationship(back_populates="postcodes")


class Category(Base):
    """Taxonomy node: a top category (parent_id None) or a subcategory."""

    __tablename__ = "category"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    # The public id (HSDS taxonomy term id): derived from `id`, the same on every install.
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=category_default)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("category.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    # None: not applicable; False: dienstencheques may not pay for it.
    dienstencheques: Mapped[bool | None] = mapped_column(Boolean)
    position: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[Category | None] = relationship(
        remote_side="Category.id", back_populates="children"
    )
    children: Mapped[list[Category]] = relationship(
        back_populates="parent", order_by="Category.position"
    )
    synonyms: Mapped[list[CategorySynonym]] = relationship(
        back_populates="category", cascade="all, delete-orphan"
    )

    @property
    def top(self) -> Category:
        return self.parent or self


class CategorySynonym(Base):
    """A word or phrase residents type for a category (kuisen, gras afrijden, oppas)."""

    __tablename__ = "category_synonym"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[str] = mapped_column(ForeignKey("category.id"), index=True)
    term: Mapped[str] = mapped_column(String(120))

    category: Mapped[Category] = relationship(back_populates="synonyms")
