"""Referrals (doorverwijzingen): pseudonymous reference, workflow, audited reads, retention.

Service functions add and flush, never commit; the views commit once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Referral, ReferralAccess, ReferralStep, Region, Vacancy, VacancyChange
from ..models.jobs import (
    CONTACT,
    DROPPED_OUT,
    FINAL_STATUSES,
    HIRED,
    INTERVIEW,
    NO_RESPONSE,
    NOT_SELECTED,
    REFERRAL_STATUSES,
    REFERRED,
    VACANCY_FILLED,
    VACANCY_OPEN,
)
from ..scope import referrals_of
from .eligibility_rules import RuleRef

# The workflow: which status may follow which. Final statuses have no successor.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    REFERRED: (CONTACT, DROPPED_OUT, NO_RESPONSE),
    CONTACT: (INTERVIEW, NOT_SELECTED, DROPPED_OUT, NO_RESPONSE),
    INTERVIEW: (HIRED, NOT_SELECTED, DROPPED_OUT, NO_RESPONSE),
}
for _final in FINAL_STATUSES:
    TRANSITIONS[_final] = ()

PROVIDER_ACTOR = "aanbieder (persoonlijke link)"


class ReferralError(ValueError):
    """A refused referral action, with a Dutch message for the consulent."""


# -- the pseudonymous reference -----------------------------------------------------------------

REFERENCE_HINT = "Kies een code met minstens één cijfer, bv. GENT-25-014."
_ALLOWED = re.compile(r"^[A-Za-z0-9À-ÿ ._/-]{3,40}$")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+|\bat\b.*\bdot\b", re.IGNORECASE)
_NATIONAL_NUMBER = re.compile(r"\d{2}[. ]?\d{2}[. ]?\d{2}[- ]?\d{3}[. ]?\d{2}")
_DIGIT_RUN = re.compile(r"\+?\d(?:[ ./-]?\d)+")
_WORD = re.compile(r"^[A-Za-zÀ-ÿ'-]{2,}$")


def check_reference(value: str) -> str:
    """The cleaned reference, or ReferralError saying in Dutch why it cannot be used.

    A reference must not identify the person: no name and surname, no national number
    (rijksregisternummer), no e-mail address, no phone number.
    """
    reference = " ".join(value.split())
    if "@" in reference or _EMAIL.search(reference):
        raise ReferralError(
            "Dit lijkt op een e-mailadres. Gebruik geen contactgegevens, maar een code die u zelf kiest. "
            + REFERENCE_HINT
        )
    for run in _DIGIT_RUN.findall(reference):
        digits = re.sub(r"\D", "", run)
        if len(digits) == 11 and _NATIONAL_NUMBER.search(run):
            raise ReferralError(
                "Dit lijkt op een rijksregisternummer. Dat mag hier niet: gebruik een code die u zelf "
                "kiest. " + REFERENCE_HINT
            )
        if len(digits) >= 9:
            raise ReferralError(
                "Dit lijkt op een telefoonnummer of rijksregisternummer. Gebruik geen nummers die "
                "naar de persoon leiden. " + REFERENCE_HINT
            )
    words = [
        w
        for w in re.split(r"[\s._,]+", reference)
        if _WORD.match(w) and any(c.islower() for c in w)
    ]
    if len(words) >= 2:
        raise ReferralError(
            "Dit lijkt op een voornaam en achternaam. Namen bewaren we niet: gebruik een code die u "
            "zelf kiest. " + REFERENCE_HINT
        )
    if not _ALLOWED.match(reference):
        raise ReferralError(
            "Gebruik 3 tot 40 letters, cijfers, streepjes of schuine strepen. " + REFERENCE_HINT
        )
    if not any(c.isdigit() for c in reference):
        raise ReferralError("Een referentie zonder cijfers kan een naam zijn. " + REFERENCE_HINT)
    return reference


# -- creating and moving on ---------------------------------------------------------------------


def create_referral(
    session: Session,
    region: Region,
    vacancy: Vacancy,
    reference: str,
    rule: RuleRef,
    actor: tuple[int | None, str],
    appointment_at: dt.datetime | None = None,
    appointment_with: str | None = None,
) -> Referral:
    if vacancy.region_id != region.id:
        raise ValueError("vacancy of another zorggebied")
    if vacancy.status != VACANCY_OPEN:
        raise ReferralError(
            "Deze vacature is niet meer open: u kunt er niemand meer naar doorverwijzen."
        )
    reference = check_reference(reference)
    now = utcnow()
    referral = Referral(
        region_id=region.id,
        vacancy=vacancy,
        instrument=vacancy.instrument,
        reference=reference,
        rule_set_key=rule.rule_set_key,
        rule_set_version=rule.rule_set_version,
        rule_id=rule.rule_id,
        appointment_at=appointment_at,
        appointment_with=appointment_with or None,
        status=REFERRED,
        status_changed_at=now,
        created_at=now,
        created_by_id=actor[0],
    )
    referral.steps.append(
        ReferralStep(status=REFERRED, set_at=now, set_by_id=actor[0], set_by=actor[1])
    )
    session.add(referral)
    session.flush()
    return referral


def next_statuses(referral: Referral) -> tuple[str, ...]:
    return TRANSITIONS.get(referral.status, ())


def advance(
    session: Session,
    referral: Referral,
    status: str,
    actor: tuple[int | None, str],
    now: dt.datetime | None = None,
    *,
    may_skip: bool = False,
) -> ReferralStep:
    """One step of the workflow; an illegal step is refused with ReferralError.

    `may_skip`: any later step is allowed (the provider reports where things stand); only the
    reported step is recorded, the skipped ones are not invented.
    """
    if referral.purged_at is not None:
        raise ReferralError(
            "Deze doorverwijzing is ouder dan de bewaartermijn: de details zijn gewist."
        )
    if status not in REFERRAL_STATUSES:
        raise ReferralError("Onbekende stap.")
    allowed = reachable(referral.status) if may_skip else next_statuses(referral)
    if status not in allowed:
        current = REFERRAL_STATUSES[referral.status]
        if referral.status in FINAL_STATUSES:
            raise ReferralError(
                f"Deze doorverwijzing is afgerond ({current.lower()}): de status kan niet meer veranderen."
            )
        allowed = ", ".join(REFERRAL_STATUSES[s].lower() for s in next_statuses(referral))
        raise ReferralError(f"Na “{current.lower()}” kan alleen: {allowed}.")
    now = now or utcnow()
    _move(session, referral, status, now)
    step = ReferralStep(status=status, set_at=now, set_by_id=actor[0], set_by=actor[1])
    referral.steps.append(step)
    session.flush()
    if status == HIRED:
        _fill_when_complete(session, referral.vacancy, actor, now)
    return step


def _move(session: Session, referral: Referral, status: str, now: dt.datetime) -> None:
    """Change the status only if nobody changed it since this referral was read.

    A conditional UPDATE, not a read-then-write: two requests that both saw the same status
    (a consulent and the provider's link, or two clicks) cannot both move on from it, so a
    final outcome is never overwritten by a step computed from an older status.
    """
    values = {"status": status, "status_changed_at": now}
    if status in FINAL_STATUSES:
        values["closed_at"] = now
    moved = session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.status == referral.status)
        .values(**values)
    ).rowcount
    if moved != 1:
        session.refresh(referral)
        current = REFERRAL_STATUSES.get(referral.status, referral.status).lower()
        raise ReferralError(
            f"Deze doorverwijzing is intussen bijgewerkt (nu: {current}). "
            "Bekijk de nieuwe status en kies dan opnieuw."
        )


def path_to(current: str, target: str) -> list[str] | None:
    """The shortest legal sequence of statuses from current to target (excluding current)."""
    queue = deque([(current, [])])
    seen = {current}
    while queue:
        status, path = queue.popleft()
        if status == target:
            return path
        for following in TRANSITIONS.get(status, ()):
            if following not in seen:
                seen.add(following)
                queue.append((following, [*path, following]))
    return None


def reachable(current: str) -> list[str]:
    return [s for s in REFERRAL_STATUSES if s != current and path_to(current, s)]


def advance_to(
    session: Session, referral: Referral, target: str, actor: tuple[int | None, str]
) -> ReferralStep:
    """The provider reports where the referral stands now: that one step is recorded, with the
    moment it was reported. Steps in between that nobody reported are never back-filled."""
    if not path_to(referral.status, target):
        raise ReferralError("Deze stap kan niet meer vanuit de huidige status.")
    return advance(session, referral, target, actor, utcnow(), may_skip=True)


def _fill_when_complete(
    session: Session, vacancy: Vacancy, actor: tuple[int | None, str], now: dt.datetime
) -> None:
    # Lock and re-read the vacancy (PostgreSQL; SQLite has one writer at a time anyway): of two
    # hires at once the second counts the first, so the last place filled closes the vacancy.
    # FOR NO KEY UPDATE: it does not wait on the key-share locks that foreign keys take.
    session.refresh(vacancy, with_for_update={"key_share": True})
    hired = session.scalar(
        select(func.count())
        .select_from(Referral)
        .where(Referral.vacancy_id == vacancy.id, Referral.status == HIRED)
    )
    if vacancy.status == VACANCY_OPEN and hired >= vacancy.places:
        vacancy.status = VACANCY_FILLED
        vacancy.filled_at = now
        session.add(
            VacancyChange(
                region_id=vacancy.region_id,
                vacancy_id=vacancy.id,
                user_id=actor[0],
                actor=actor[1],
                action="update",
                changes={"status": [VACANCY_OPEN, VACANCY_FILLED]},
            )
        )
        session.flush()


def set_appointment(
    session: Session, referral: Referral, when: dt.datetime | None, with_whom: str | None
) -> None:
    if referral.purged_at is not None:
        raise ReferralError(
            "Deze doorverwijzing is ouder dan de bewaartermijn: de details zijn gewist."
        )
    referral.appointment_at = when
    referral.appointment_with = with_whom or None
    session.flush()


# -- the consulent's list ---------------------------------------------------------------------------

# The default list shows open referrals and those closed this recently, so an outcome just
# reported does not vanish from sight ("0 doorverwijzingen" right after a hire).
RECENTLY_CLOSED_DAYS = 30
LIST_STATES = {
    "lopend": f"Lopend en de laatste {RECENTLY_CLOSED_DAYS} dagen afgerond",
    "afgerond": "Afgerond",
    "alle": "Alle",
}


def listed(region: Region, state: str, text: str = "", now: dt.datetime | None = None):
    """The referrals of the list page (details not yet purged), last changed first."""
    query = referrals_of(region).where(Referral.purged_at.is_(None))
    if state == "lopend":
        since = (now or utcnow()) - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
        query = query.where(Referral.status.not_in(FINAL_STATUSES) | (Referral.closed_at >= since))
    elif state == "afgerond":
        query = query.where(Referral.status.in_(FINAL_STATUSES))
    if text:
        query = query.where(Referral.reference.ilike(f"%{text}%"))
    return query.order_by(Referral.status_changed_at.desc(), Referral.id.desc())


# -- every read is audited ------------------------------------------------------------------------


def record_access(
    session: Session, referral: Referral, actor: tuple[int | None, str], action: str
) -> None:
    session.add(
        ReferralAccess(
            region_id=referral.region_id,
            referral_id=referral.id,
            user_id=actor[0],
            actor=actor[1],
            action=action,
        )
    )
    session.flush()


def accesses(session: Session, referral: Referral) -> list[ReferralAccess]:
    return list(
        session.scalars(
            select(ReferralAccess)
            .where(ReferralAccess.referral_id == referral.id)
            .order_by(ReferralAccess.id.desc())
        )
    )


# -- retention --------------------------------------------------------------------------------------


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    month += 1
    day = min(
        moment.day,
        [
            31,
            29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ][month - 1],
    )
    return moment.replace(year=year, month=month, day=day)


def purge_referrals(session: Session, months: int, now: dt.datetime | None = None) -> int:
    """Remove the details of referrals older than the retention period; keep anonymous counts.

    What stays: zorggebied, vacancy, instrument, status (the outcome) and its dates, so the
    follow-up figures keep counting. What goes: the reference, the rule, the appointment, the
    provider link, who referred, every step with its author, and the log of reads.
    """
    now = now or utcnow()
    cutoff = months_before(now, months)
    ids = list(
        session.scalars(
            select(Referral.id).where(Referral.created_at < cutoff, Referral.purged_at.is_(None))
        )
    )
    if not ids:
        return 0
    session.execute(delete(ReferralStep).where(ReferralStep.referral_id.in_(ids)))
    session.execute(delete(ReferralAccess).where(ReferralAccess.referral_id.in_(ids)))
    session.execute(
        update(Referral)
        .where(Referral.id.in_(ids))
        .values(
            reference=None,
            rule_set_key=None,
            rule_set_version=None,
            rule_id=None,
            appointment_at=None,
            appointment_with=None,
            created_by_id=None,
            link_nonce=None,
            link_issued_at=None,
            link_used_at=None,
            purged_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    return len(ids)
