"""Server-side login sessions: the cookie holds a random token; the row can be revoked."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import LoginSession, User

TOUCH_EVERY = dt.timedelta(minutes=1)


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(id=token, user_id=user.id))
    user.session_token = token
    return token


def load_session_user(session: Session, token: str, idle: dt.timedelta) -> User | None:
    """The user of a live session, noting its use (at most once a minute) or its end when it
    was idle too long; the caller commits those."""
    row = session.get(LoginSession, token)
    now = utcnow()
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    if now - row.last_seen_at > idle:
        row.revoked_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
    user = row.user
    user.session_token = token
    return user


def revoke(session: Session, token: str) -> None:
    session.execute(
        update(LoginSession)
        .where(LoginSession.id == token, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all(session: Session, user: User, keep: str | None = None) -> int:
    """End every session of the user (but `keep`): after a password change or deactivation."""
    condition = [LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None)]
    if keep:
        condition.append(LoginSession.id != keep)
    return session.execute(
        update(LoginSession).where(*condition).values(revoked_at=utcnow())
    ).rowcount
