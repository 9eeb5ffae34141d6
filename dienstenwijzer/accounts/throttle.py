"""Login throttling counted in the database, so every worker and host sees the same counts.

A guess is claimed before the password is checked: the failure row is written first (a success
removes it again), and claims for the same account or client are serialised, so forty requests
at once cannot each see "four failures so far" and all get a guess.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import LoginAttempt

MAX_FAILURES = 5


def client_hash(secret: str, address: str | None) -> str:
    """A keyed hash of the client address: throttles a client without storing its address."""
    return hmac.new(secret.encode(), (address or "?").encode(), hashlib.sha256).hexdigest()


def blocked_for(
    session: Session, email: str, client: str, window: dt.timedelta, ignore: int | None = None
) -> dt.timedelta | None:
    """How long this account or client must still wait, or None when it may try."""
    since = utcnow() - window
    for condition in (LoginAttempt.email == email, LoginAttempt.client_hash == client):
        query = select(LoginAttempt.created_at).where(condition, LoginAttempt.created_at > since)
        if ignore is not None:
            query = query.where(LoginAttempt.id != ignore)
        query = query.order_by(LoginAttempt.created_at.desc()).limit(MAX_FAILURES)
        latest = session.scalars(query).all()
        if len(latest) == MAX_FAILURES:
            # Blocked until the oldest of the last five failures leaves the window.
            return max(latest[-1] + window - utcnow(), dt.timedelta(seconds=1))
    return None


def claim_guess(
    session: Session, email: str, client: str, window: dt.timedelta
) -> dt.timedelta | None:
    """Reserve one password guess for this account and client, or say how long they must wait.

    The caller commits at once (before checking the password), and calls clear_failures after
    a success. On PostgreSQL, transaction-scoped advisory locks on the account and the client
    serialise claims; on SQLite, writing the row first takes the database's single write lock,
    so the count below sees every claim committed before it.
    """
    if session.get_bind().dialect.name == "postgresql":
        # Always in the same order, so two claims never wait on each other in a circle.
        for key in sorted({_lock_key("email", email), _lock_key("client", client)}):
            session.execute(select(func.pg_advisory_xact_lock(key)))
    attempt = LoginAttempt(email=email, client_hash=client)
    session.add(attempt)
    session.flush()
    wait = blocked_for(session, email, client, window, ignore=attempt.id)
    if wait is not None:
        session.delete(attempt)  # a refused attempt is not a guess: it does not extend the block
        session.flush()
    return wait


def _lock_key(kind: str, value: str) -> int:
    """A signed 64-bit advisory lock key for one account or client."""
    digest = hashlib.sha256(f"login-throttle:{kind}:{value}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def clear_failures(session: Session, email: str) -> None:
    session.execute(delete(LoginAttempt).where(LoginAttempt.email == email))
