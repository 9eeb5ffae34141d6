"""The jobs side: vacancies at providers, eligibility rule sets, and referrals of job seekers.

Job seekers appear only under a pseudonymous reference chosen by the consulent (DESIGN.md
invariant 5). Their eligibility profile is never stored: a referral keeps only which rule of
which rule set made the person eligible.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .accounts import User
from .catalogue import Provider
from .reference import Municipality, Region

# Social-economy instruments: code -> label shown to people. The order is the order on screen.
INSTRUMENTS: dict[str, str] = {
    "lokale-diensteneconomie": "Lokale diensteneconomie",
    "invoegeconomie": "Invoegeconomie",
    "sociale-werkplaats": "Sociale werkplaats",
    "beschutte-werkplaats": "Beschutte werkplaats",
    "wijk-werken": "Wijk-werken",
    "dienstencheques": "Dienstencheques",
    "regulier": "Regulier",
}

VACANCY_OPEN = "open"
VACANCY_FILLED = "ingevuld"
VACANCY_CLOSED = "gesloten"
VACANCY_STATUSES = {VACANCY_OPEN: "Open", VACANCY_FILLED: "Ingevuld", VACANCY_CLOSED: "Gesloten"}

# Referral workflow: doorverwezen → contact → gesprek → one of the outcomes.
REFERRED = "doorverwezen"
CONTACT = "contact"
INTERVIEW = "gesprek"
HIRED = "aangeworven"
NOT_SELECTED = "niet-weerhouden"
DROPPED_OUT = "afgehaakt"
NO_RESPONSE = "geen-reactie"
REFERRAL_STATUSES: dict[str, str] = {
    REFERRED: "Doorverwezen",
    CONTACT: "Contact gelegd",
    INTERVIEW: "Sollicitatiegesprek",
    HIRED: "Aangeworven",
    NOT_SELECTED: "Niet weerhouden",
    DROPPED_OUT: "Afgehaakt",
    NO_RESPONSE: "Geen reactie",
}
FINAL_STATUSES = frozenset({HIRED, NOT_SELECTED, DROPPED_OUT, NO_RESPONSE})


class Vacancy(Base):
    """A vacature at a provider of the zorggebied."""

    __tablename__ = "vacancy"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    instrument: Mapped[str] = mapped_column(String(30), index=True)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    municipality_nis: Mapped[str] = mapped_column(ForeignKey("municipality.nis_code"))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    places: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(20), default=VACANCY_OPEN, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    # When the status last became "ingevuld": for the time-to-fill figure.
    filled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    region: Mapped[Region] = relationship()
    provider: Mapped[Provider] = relationship()
    municipality: Mapped[Municipality] = relationship()
    referrals: Mapped[list[Referral]] = relationship(
        back_populates="vacancy", order_by="Referral.created_at"
    )

    @property
    def instrument_label(self) -> str:
        return INSTRUMENTS.get(self.instrument, self.instrument)

    @property
    def status_label(self) -> str:
        return VACANCY_STATUSES.get(self.status, self.status)


class VacancyChange(Base):
    """Audit trail of vacancies (DESIGN.md invariant 6): who changed what, when."""

    __tablename__ = "vacancy_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(Integer, index=True)  # kept after a vacancy is deleted
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # "create" | "update" | "delete"
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class RuleSet(Base):
    """A versioned set of eligibility rules with the date it takes effect and its source.

    `document` is the YAML as written (shown and offered as a starting point for the next
    version); `rules` is the validated content the rules module evaluates.
    """

    __tablename__ = "rule_set"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.date] = mapped_column(Date, index=True)
    source: Mapped[str] = mapped_column(Text)
    # The regulation the rules follow, shown once above a verdict. Rule sets stored before these
    # columns existed have only `source` (free text); they stay readable.
    source_title: Mapped[str | None] = mapped_column(String(300))
    source_date: Mapped[dt.date | None] = mapped_column(Date)
    source_reference: Mapped[str | None] = mapped_column(
        String(500)
    )  # a link or where it is published
    valid_until: Mapped[dt.date | None] = mapped_column(
        Date
    )  # last day in force; None: until replaced
    document: Mapped[str] = mapped_column(Text)
    rules: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(200), default="systeem")


class Referral(Base):
    """A doorverwijzing of a job seeker, known only by a pseudonymous reference, to a vacancy."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancy.id"), index=True)
    # The instrument of the vacancy when referred: outcomes per instrument stay right after edits.
    instrument: Mapped[str] = mapped_column(String(30))
    # Details: removed by `dienstenwijzer purge` after the retention period (purged_at set).
    reference: Mapped[str | None] = mapped_column(String(40))
    rule_set_key: Mapped[str | None] = mapped_column(String(80))
    rule_set_version: Mapped[int | None] = mapped_column(Integer)
    rule_id: Mapped[str | None] = mapped_column(String(80))
    appointment_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    appointment_with: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(20), default=REFERRED, index=True)
    status_changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The provider's outcome link: the nonce in the signed token; cleared when the link is used.
    link_nonce: Mapped[str | None] = mapped_column(String(40))
    link_issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    link_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    purged_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)

    region: Mapped[Region] = relationship()
    vacancy: Mapped[Vacancy] = relationship(back_populates="referrals")
    created_by: Mapped[User | None] = relationship()
    steps: Mapped[list[ReferralStep]] = relationship(
        back_populates="referral", order_by="ReferralStep.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return REFERRAL_STATUSES.get(self.status, self.status)

    @property
    def is_open(self) -> bool:
        return self.status not in FINAL_STATUSES

    @property
    def instrument_label(self) -> str:
        return INSTRUMENTS.get(self.instrument, self.instrument)


class ReferralStep(Base):
    """One step of a referral's workflow: which status, when, set by whom."""

    __tablename__ = "referral_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_by: Mapped[str] = mapped_column(String(200))  # e-mail, or "aanbieder (persoonlijke link)"

    referral: Mapped[Referral] = relationship(back_populates="steps")

    @property
    def status_label(self) -> str:
        return REFERRAL_STATUSES.get(self.status, self.status)


class ReferralAccess(Base):
    """Every read of a referral: who looked at which referral, when, and how."""

    __tablename__ = "referral_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # "bekeken" | "brief" | "link"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
