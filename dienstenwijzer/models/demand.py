"""Unmet demand: signals (what residents looked for and did not find) grouped into niches.

Privacy (DESIGN.md invariant 5): a signal holds what, where and when, never who: no address,
cookie, session or user agent (only a keyed hash of address and day, to tell clients apart). Contact details only with consent and until `contact_until`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .catalogue import Service

SOURCE_SEARCH = "zoekopdracht"
SOURCE_FORM = "formulier"
SOURCE_DESK = "balie"

# What a search signal says: nothing found at all (unmet demand), or nothing only because of
# the filters the resident chose (the same words find services without them: no niche).
KIND_UNMET = "niet-gevonden"
KIND_FILTERED = "door-filters"

NICHE_NEW, NICHE_RESEARCHED, NICHE_FILLED, NICHE_REJECTED = (
    "nieuw",
    "onderzocht",
    "ingevuld",
    "afgewezen",
)
NICHE_STATUSES = (NICHE_NEW, NICHE_RESEARCHED, NICHE_FILLED, NICHE_REJECTED)
NICHE_OPEN = (NICHE_NEW, NICHE_RESEARCHED)


class Niche(Base):
    """A need that no provider meets yet, grouping similar signals of one zorggebied."""

    __tablename__ = "niche"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=NICHE_NEW, index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # why it was rejected
    service_id: Mapped[int | None] = mapped_column(ForeignKey("service.id"))  # what now meets it
    # Signals removed by `purge` still count here (retention keeps aggregated counts).
    purged_count: Mapped[int] = mapped_column(Integer, default=0)
    # On the board only once two different clients had the need or staff confirmed it.
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The title is made of residents' words (not staff's, not a category): purge clears it.
    title_from_residents: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false()
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    service: Mapped[Service | None] = relationship()
    keys: Mapped[list[NicheKey]] = relationship(
        back_populates="niche", cascade="all, delete-orphan"
    )
    signals: Mapped[list[DemandSignal]] = relationship(
        back_populates="niche", order_by="DemandSignal.created_at.desc()"
    )


class NicheKey(Base):
    """A grouping key ("cat:oppas-aan-huis" or "terms:hond uitlat") that leads to a niche."""

    __tablename__ = "niche_key"
    __table_args__ = (UniqueConstraint("region_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    niche_id: Mapped[int] = mapped_column(ForeignKey("niche.id"), index=True)
    key: Mapped[str] = mapped_column(String(250))

    niche: Mapped[Niche] = relationship(back_populates="keys")


class DemandSignal(Base):
    __tablename__ = "demand_signal"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    niche_id: Mapped[int | None] = mapped_column(ForeignKey("niche.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20), default=KIND_UNMET, server_default=KIND_UNMET)
    text: Mapped[str] = mapped_column(String(500))  # as typed
    normalised: Mapped[str] = mapped_column(String(250))  # stemmed, synonym-resolved key
    filters: Mapped[dict] = mapped_column(JSON, default=dict)
    municipality_nis: Mapped[str | None] = mapped_column(ForeignKey("municipality.nis_code"))
    urgency: Mapped[str | None] = mapped_column(String(40))
    frequency: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str | None] = mapped_column(String(200))
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_until: Mapped[dt.date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Keyed hash of the client's address and the day (privacy.client_key), never the address.
    client_key: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    niche: Mapped[Niche | None] = relationship(back_populates="signals")


EVENT_MERGED = "samengevoegd"
EVENT_SPLIT = "afgesplitst"


class NicheEvent(Base):
    """A merge or split in a niche's history, with what undoing it needs.

    Merge: on the niche that remains; `details` holds the merged niche's fields and the ids of
    the signals, keys, alerts and events it brought. Split: on the niche split from; `details`
    holds the ids of the signals that left for `other_niche_id`.
    """

    __tablename__ = "niche_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    niche_id: Mapped[int] = mapped_column(ForeignKey("niche.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    other_niche_id: Mapped[int | None] = mapped_column(Integer)  # may be gone: no foreign key
    other_title: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    actor: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    undone_by: Mapped[str | None] = mapped_column(String(200))


class NicheAlert(Base):
    """A new service that may meet an open niche: the regisseur is told on the niche board."""

    __tablename__ = "niche_alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    niche_id: Mapped[int] = mapped_column(ForeignKey("niche.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    niche: Mapped[Niche] = relationship()
    service: Mapped[Service] = relationship()


class SearchCount(Base):
    """Searches per zorggebied per week, and how many found nothing (for monitoring)."""

    __tablename__ = "search_count"
    __table_args__ = (UniqueConstraint("region_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    week: Mapped[dt.date] = mapped_column(Date)  # the Monday
    searches: Mapped[int] = mapped_column(Integer, default=0)
    zero_results: Mapped[int] = mapped_column(Integer, default=0)


class QueryCount(Base):
    """How often a normalised query was searched per week: the top queries."""

    __tablename__ = "query_count"
    __table_args__ = (UniqueConstraint("region_id", "week", "query"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    week: Mapped[dt.date] = mapped_column(Date)
    query: Mapped[str] = mapped_column(String(120))
    searches: Mapped[int] = mapped_column(Integer, default=0)


class FormSubmission(Base):
    """Accepted "Ik vind niet wat ik zoek" submissions per client (keyed hash), to limit spam."""

    __tablename__ = "form_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
