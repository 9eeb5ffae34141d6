"""Login throttling counted in the database, so every worker and host sees the same counts."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..models import LoginAttempt

MAX_FAILURES = 5


def client_hash(secret: str, address: str | None) -> str:
    """A keyed hash of the client address: throttles a client without storing its address."""
    return hmac.new(secret.encode(), (address or "?").encode(), hashlib.sha256).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def blocked_for(session: Session, email: str, client: str, window: dt.timedelta) -> dt.timedelta | None:
    """How long this account or client must still wait, or None when it may try."""
    since = _now() - window
    for condition in (LoginAttempt.email == email, LoginAttempt.client_hash == client):
        latest = session.scalars(
            select(LoginAttempt.created_at).where(condition, LoginAttempt.created_at > since)
            .order_by(LoginAttempt.created_at.desc()).limit(MAX_FAILURES)
        ).all()
        if len(latest) == MAX_FAILURES:
            # Blocked until the oldest of the last five failures leaves the window.
            return max(latest[-1] + window - _now(), dt.timedelta(seconds=1))
    return None


def record_failure(session: Session, email: str, client: str) -> None:
    session.add(LoginAttempt(email=email, client_hash=client))


def clear_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))


def purge_old(session: Session, window: dt.timedelta) -> int:
    return session.execute(delete(LoginAttempt).where(LoginAttempt.created_at < _now() - window)).rowcount
