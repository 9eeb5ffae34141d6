"""Setting a new password: once per link, and never over a change made meanwhile."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from ..clock import utcnow
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
    if user.password_hash is None:
        unchanged = User.password_hash.is_(None)
    else:
        unchanged = User.password_hash == user.password_hash
    now = utcnow()
    changed = session.execute(
        update(User)
        .where(User.id == user.id, unchanged)
        .values(password_hash=new_hash, password_changed_at=now)
    ).rowcount
    if changed != 1:
        return False
    sessions.revoke_all(session, user, keep=keep)
    return True
