"""Setting a new password: once per link, and never over a change made meanwhile."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..models import User
from . import sessions
from .passwords import hash_password


def replace_password(session: Session, user: User, password: str, keep: str | None) -> bool:
    """Set the password if it is still the one `user` was loaded with; end other sessions.

    A compare-and-set on the old hash: a set-password link names the old hash (tokens.py), so of
    several submits of one link at the same moment exactly one succeeds, and two changes at once
    cannot both pass with the same current password. False when another request came first.
    """
    new_hash = hash_password(password)  # slow (scrypt): before the UPDATE, so no lock waits on it
    old = User.password_hash.is_(None) if user.password_hash is None else User.password_hash == user.password_hash
    changed = session.execute(
        update(User).where(User.id == user.id, old)
        .values(password_hash=new_hash, password_changed_at=dt.datetime.now(dt.UTC).replace(tzinfo=None))
    ).rowcount
    if changed != 1:
        return False
    sessions.revoke_all(session, user, keep=keep)
    return True
