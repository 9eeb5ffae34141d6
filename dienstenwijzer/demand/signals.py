"""Recording demand signals: a search that found nothing, the resident form, the desk.

Every text is stripped of personal data first. A niche is confirmed (shown on the board) once
two different clients had the need, or when staff record it at the desk; only then does a
niche without a category get a title, made of the words both clients used. Residents' searches
and forms always carry a client key; a signal without one (a script) confirms like the desk.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Category, DemandSignal, Niche, Region, User
from ..models.demand import KIND_FILTERED, SOURCE_DESK, SOURCE_FORM, SOURCE_SEARCH
from ..search.synonyms import SynonymIndex
from .grouping import grouping_key, niche_for_key, normalise, shared_title
from .junk import is_junk
from .privacy import strip_personal_data

# Signals from searches that count per client (one keyed hash per address and day) per hour.
SEARCH_SIGNALS_PER_CLIENT_HOUR = 3


def _signal(
    session: Session, region: Region, synonyms: SynonymIndex, text: str, source: str, **fields
) -> DemandSignal:
    text = strip_personal_data(text)[:500]
    normalised, categories = normalise(text, synonyms)
    parent_of = dict(session.execute(select(Category.id, Category.parent_id)).all())
    key = grouping_key(normalised, categories, parent_of)
    niche = niche_for_key(session, region.id, key)
    signal = DemandSignal(
        region_id=region.id, niche=niche, source=source, text=text, normalised=normalised, **fields
    )
    session.add(signal)
    session.flush()
    _confirm_if_shared(session, niche, signal)
    return signal


def _confirm_if_shared(session: Session, niche: Niche, signal: DemandSignal) -> None:
    """Put the niche on the board when staff recorded the need or a second client had it."""
    if niche.confirmed:
        return
    if signal.source == SOURCE_DESK or signal.client_key is None:
        # Staff noted it, or it came from no anonymous client (a script, an import): no flood.
        niche.confirmed = True
        if not _named_by_category(niche):
            niche.title = signal.text[:200] or niche.title
            niche.title_from_residents = signal.source != SOURCE_DESK
        session.flush()
        return
    rows = session.execute(
        select(DemandSignal.id, DemandSignal.client_key, DemandSignal.text).where(
            DemandSignal.niche_id == niche.id
        )
    ).all()
    # A signal without a client key (recorded before keys existed) stands for a client of its own.
    texts_by_client: dict[str, list[str]] = {}
    for signal_id, client, text in rows:
        texts_by_client.setdefault(client or f"signal-{signal_id}", []).append(text)
    if len(texts_by_client) < 2:
        return
    niche.confirmed = True
    if not _named_by_category(niche):
        niche.title = shared_title(texts_by_client) or niche.title
        niche.title_from_residents = True
    session.flush()


def _named_by_category(niche: Niche) -> bool:
    return any(k.key.startswith("cat:") for k in niche.keys)


def search_signals_this_hour(
    session: Session, client_key: str, now: dt.datetime | None = None
) -> int:
    since = (now or utcnow()) - dt.timedelta(hours=1)
    return (
        session.scalar(
            select(func.count(DemandSignal.id)).where(
                DemandSignal.client_key == client_key,
                DemandSignal.source == SOURCE_SEARCH,
                DemandSignal.created_at > since,
            )
        )
        or 0
    )


def record_search_miss(
    session: Session,
    region: Region,
    synonyms: SynonymIndex,
    text: str,
    filters: dict,
    municipality_nis: str | None,
    client_key: str | None = None,
) -> DemandSignal | None:
    """A resident's search that found nothing, also after typo correction. Never who searched.

    None when this client already made SEARCH_SIGNALS_PER_CLIENT_HOUR signals in the last hour.
    """
    if is_junk(strip_personal_data(text)):
        return None  # numbers, operators, a letter or two: no need (the caller usually checked)
    if (
        client_key
        and search_signals_this_hour(session, client_key) >= SEARCH_SIGNALS_PER_CLIENT_HOUR
    ):
        return None
    if _filters_chosen(filters) and _found_without_filters(region, text):
        # The words find services; the resident's filters left none. Recorded as such, in no
        # niche: it is no unmet demand (monitoring can still count it).
        signal = DemandSignal(
            region_id=region.id,
            niche=None,
            source=SOURCE_SEARCH,
            kind=KIND_FILTERED,
            text=strip_personal_data(text)[:500],
            normalised="",
            filters=filters,
            municipality_nis=municipality_nis,
            client_key=client_key,
        )
        session.add(signal)
        session.flush()
        return signal
    return _signal(
        session,
        region,
        synonyms,
        text,
        SOURCE_SEARCH,
        filters=filters,
        municipality_nis=municipality_nis,
        client_key=client_key,
    )


def _filters_chosen(filters: dict) -> bool:
    return any(bool(value) for value in (filters or {}).values())


def _found_without_filters(region: Region, text: str) -> bool:
    """Do the same words, without filters, find services that match all of them?"""
    from .. import search
    from ..search import SearchRequest

    result = search.search(region.slug, SearchRequest(text=text, per_page=1))
    return result.total > 0 and not result.weak


def record_request(
    session: Session,
    region: Region,
    synonyms: SynonymIndex,
    text: str,
    *,
    municipality_nis: str | None,
    urgency: str | None,
    frequency: str | None,
    contact: str | None,
    consent: bool,
    retention_days: int,
    client_key: str | None = None,
    today: dt.date | None = None,
) -> DemandSignal:
    """The "Ik vind niet wat ik zoek" form; a contact only with consent, kept for a stated time."""
    keep = bool(contact and consent)
    return _signal(
        session,
        region,
        synonyms,
        text,
        SOURCE_FORM,
        municipality_nis=municipality_nis,
        urgency=urgency,
        frequency=frequency,
        contact=contact.strip() if keep else None,
        contact_consent=keep,
        contact_until=((today or dt.date.today()) + dt.timedelta(days=retention_days))
        if keep
        else None,
        client_key=client_key,
    )


def record_desk(
    session: Session,
    region: Region,
    synonyms: SynonymIndex,
    text: str,
    user: User,
    *,
    municipality_nis: str | None,
    urgency: str | None,
    frequency: str | None,
) -> DemandSignal:
    """A need heard at the desk or on the phone, recorded by staff: it confirms the niche."""
    return _signal(
        session,
        region,
        synonyms,
        text,
        SOURCE_DESK,
        municipality_nis=municipality_nis,
        urgency=urgency,
        frequency=frequency,
        recorded_by_id=user.id,
    )
