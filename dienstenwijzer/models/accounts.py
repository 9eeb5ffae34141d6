"""Staff accounts, their login sessions and login attempts (for throttling)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..db import Base
from .reference import Region

ROLE_ADMIN = "admin"
ROLE_REGISSEUR = "regisseur"
ROLE_CONSULENT = "consulent"
ROLES = (ROLE_REGISSEUR, ROLE_CONSULENT, ROLE_ADMIN)
ROLE_LABELS = {ROLE_ADMIN: "beheerder", ROLE_REGISSEUR: "regisseur", ROLE_CONSULENT: "consulent"}


class User(Base):
    """A member of staff: a regisseur or consulent of one zorggebied, or an admin of all."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    region: Mapped[Region | None] = relationship()

    # Flask-Login: the id in the cookie is the login session's token, not the user id, so that
    # revoking the session row ends it (set by accounts.sessions when loading or starting one).
    session_token = None
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def is_admin(self) -> bool:
        return self.role == ROLE_ADMIN

    def may_manage(self, region: Region) -> bool:
        """Regisseurs keep their own zorggebied's catalogue; admins every one."""
        return self.active and (
            self.is_admin or (self.role == ROLE_REGISSEUR and self.region_id == region.id)
        )

    def works_in(self, region: Region) -> bool:
        return self.active and (self.is_admin or self.region_id == region.id)


class LoginSession(Base):
    """A server-side login: revoking the row ends the session wherever its cookie is."""

    __tablename__ = "login_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # random token in the cookie
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """Failed logins, counted per account and per client in the database (shared by workers).

    The client is kept only as a keyed hash of its address, never the address itself.
    """

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), index=True)
    client_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
