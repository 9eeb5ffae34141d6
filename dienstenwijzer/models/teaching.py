"""Words a regisseur taught the search for their zorggebied ("ramenlapper" -> ramen wassen).

The taxonomy's synonyms and the thesaurus (category_synonym) are the same everywhere and come
from fixtures/; these rows belong to one zorggebied (or, set by an admin, to all of them).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .catalogue import Service
from .reference import Category, Region


class RegionSynonym(Base):
    """A word or phrase residents type, meaning a category or one service of the zorggebied."""

    __tablename__ = "region_synonym"
    __table_args__ = (
        CheckConstraint("(category_id IS NULL) <> (service_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)  # None: all
    term: Mapped[str] = mapped_column(String(120))  # folded as typed: "ramenlapper"
    category_id: Mapped[str | None] = mapped_column(ForeignKey("category.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    region: Mapped[Region | None] = relationship()
    category: Mapped[Category | None] = relationship()
    service: Mapped[Service | None] = relationship()


class SynonymVersion(Base):
    """One counter, raised in the transaction of every change to region_synonym.

    Each worker's follower reads it every poll: one row, so cheap. A row lock serialises the
    raises, so a version seen is committed with every change before it (unlike ids, which
    PostgreSQL may commit out of order).
    """

    __tablename__ = "synonym_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
