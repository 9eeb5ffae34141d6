"""The provider's personal link to record a referral's outcome, without an account.

The link is signed (itsdangerous, with the app's secret key and its own salt), expires after
PROVIDER_LINK_DAYS, names exactly one referral, and works until a final outcome (aangeworven,
niet weerhouden, afgehaakt, geen reactie) is reported: the provider can report "contact gelegd"
today and "aangeworven" next week, each step with the moment it was reported. The token carries
a random nonce that is stored on the referral and cleared with the final outcome. Making a new
link replaces the nonce, so older links stop working too.

Using the link is one conditional UPDATE (`... WHERE link_nonce = :nonce`), and the step itself
a conditional UPDATE of the status (referrals._move): of several submits at the same moment
exactly one moves the referral on, the others are told it changed meanwhile.
"""

from __future__ import annotations

import secrets

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Referral
from ..models.jobs import FINAL_STATUSES
from . import referrals

SALT = "jobs-provider-outcome"
USED = (
    "Deze link is al gebruikt: de uitkomst is doorgegeven. Bedankt! "
    "Wilt u iets aanpassen, neem dan contact op met de werkwinkel."
)


class LinkProblem(ValueError):
    """Why a link cannot be used, in Dutch, with a kind for tests and status codes."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind  # "ongeldig" | "verlopen" | "gebruikt" | "gewijzigd"


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=SALT)


def issue(session: Session, referral: Referral, secret: str) -> str:
    """A new single-use link token for this referral (earlier links stop working)."""
    if referral.purged_at is not None or not referral.is_open:
        raise referrals.ReferralError("Voor een afgeronde doorverwijzing maakt u geen link meer.")
    nonce = secrets.token_urlsafe(16)
    referral.link_nonce = nonce
    referral.link_issued_at = utcnow()
    referral.link_used_at = None
    session.flush()
    return _serializer(secret).dumps({"r": referral.id, "n": nonce})


def resolve(session: Session, secret: str, token: str, max_age_days: int) -> Referral:
    """The referral a token is for, or LinkProblem (tampered, expired, already used)."""
    try:
        data = _serializer(secret).loads(token, max_age=max_age_days * 86400)
    except SignatureExpired:
        raise LinkProblem(
            "verlopen",
            "Deze link is verlopen. Vraag de consulent van de werkwinkel om een nieuwe link.",
        ) from None
    except BadSignature:
        raise LinkProblem(
            "ongeldig", "Deze link is niet geldig. Kijk of u de hele link hebt gekopieerd."
        ) from None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("r"), int)
        or not isinstance(data.get("n"), str)
    ):
        raise LinkProblem(
            "ongeldig", "Deze link is niet geldig. Kijk of u de hele link hebt gekopieerd."
        )
    referral = session.get(Referral, data["r"])
    if referral is None or referral.purged_at is not None:
        raise LinkProblem("ongeldig", "Deze doorverwijzing bestaat niet meer.")
    if referral.link_nonce is None or not secrets.compare_digest(referral.link_nonce, data["n"]):
        if referral.link_used_at is not None:
            raise LinkProblem("gebruikt", USED)
        raise LinkProblem(
            "gebruikt",
            "Deze link werkt niet meer: er is intussen een nieuwe link gemaakt. "
            "Neem contact op met de werkwinkel.",
        )
    return referral


def record_outcome(session: Session, referral: Referral, status: str) -> None:
    """The provider's answer: record the reported step; a final outcome spends the link.

    Raises LinkProblem when another request spent the link first, and ReferralError when the
    werkwinkel (or another submit) moved the referral on meanwhile; the caller then rolls back.
    """
    nonce = referral.link_nonce
    values = {"link_used_at": utcnow()}
    if status in FINAL_STATUSES:
        values["link_nonce"] = None
    used = session.execute(
        update(Referral)
        .where(
            Referral.id == referral.id,
            Referral.link_nonce == nonce,
            Referral.link_nonce.is_not(None),
        )
        .values(**values)
    ).rowcount
    if used != 1:
        raise LinkProblem("gebruikt", USED)
    referrals.advance_to(session, referral, status, (None, referrals.PROVIDER_ACTOR))
