"""The audit trail (DESIGN.md invariant 6) and residents' reports about wrong information."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .accounts import User
from .catalogue import Service


class AuditEntry(Base):
    """Who changed what, when: one row per changed object per flush."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    actor: Mapped[str] = mapped_column(String(200))  # e-mail, or "import (CLI)" and the like
    entity: Mapped[str] = mapped_column(String(20))  # "service" | "provider"
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(
        String(20)
    )  # "create" | "update" | "archive" | "restore" | "check"
    changes: Mapped[dict] = mapped_column(JSON, default=dict)  # field -> [old, new]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    user: Mapped[User | None] = relationship()


class Report(Base):
    """A resident's "deze informatie klopt niet": personal data only with consent."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"), index=True)
    message: Mapped[str] = mapped_column(Text)
    contact_email: Mapped[str | None] = mapped_column(String(200))
    contact_consent: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    handled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str | None] = mapped_column(Text)

    service: Mapped[Service] = relationship()
    handled_by: Mapped[User | None] = relationship()
