"""One-time set-password links: signed, expiring, and void once the password changed."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..models import User

MAX_AGE_SECONDS = 72 * 3600
LINK_USED = "Deze link werd al gebruikt of is niet meer geldig. Vraag een nieuwe aan."


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="set-password")


def _fingerprint(user: User) -> str:
    return hashlib.sha256((user.password_hash or "none").encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(session, token: str) -> tuple[User | None, str | None]:
    """The user the link is for, or None and the reason in Dutch."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        return None, "Deze link is verlopen. Vraag een nieuwe aan bij de beheerder."
    except BadSignature:
        return None, "Deze link is ongeldig. Controleer of u hem volledig hebt overgenomen."
    user = session.get(User, data.get("u"))
    if user is None or not user.active or data.get("f") != _fingerprint(user):
        return None, LINK_USED
    return user, None
