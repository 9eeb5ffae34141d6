"""Recording demand signals: a search that found nothing, the resident form, the desk."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, DemandSignal, Region, User
from ..models.demand import SOURCE_DESK, SOURCE_FORM, SOURCE_SEARCH
from ..search.synonyms import SynonymIndex
from .grouping import grouping_key, niche_for_key, normalise


def _signal(session: Session, region: Region, synonyms: SynonymIndex, text: str, source: str, **fields) -> DemandSignal:
    normalised, categories = normalise(text, synonyms)
    parent_of = dict(session.execute(select(Category.id, Category.parent_id)).all())
    key = grouping_key(normalised, categories, parent_of)
    niche = niche_for_key(session, region.id, key, text)
    signal = DemandSignal(region_id=region.id, niche=niche, source=source, text=text.strip()[:500],
                          normalised=normalised, **fields)
    session.add(signal)
    session.flush()
    return signal


def record_search_miss(session: Session, region: Region, synonyms: SynonymIndex, text: str,
                       filters: dict, municipality_nis: str | None) -> DemandSignal:
    """A resident's search that found nothing, also after typo correction. Never who searched."""
    return _signal(session, region, synonyms, text, SOURCE_SEARCH, filters=filters,
                   municipality_nis=municipality_nis)


def record_request(session: Session, region: Region, synonyms: SynonymIndex, text: str, *,
                   municipality_nis: str | None, urgency: str | None, frequency: str | None,
                   contact: str | None, consent: bool, retention_days: int,
                   today: dt.date | None = None) -> DemandSignal:
    """The "Ik vind niet wat ik zoek" form; a contact only with consent, kept for a stated time."""
    keep = bool(contact and consent)
    return _signal(
        session, region, synonyms, text, SOURCE_FORM, municipality_nis=municipality_nis, urgency=urgency,
        frequency=frequency, contact=contact.strip() if keep else None, contact_consent=keep,
        contact_until=((today or dt.date.today()) + dt.timedelta(days=retention_days)) if keep else None,
    )


def record_desk(session: Session, region: Region, synonyms: SynonymIndex, text: str, user: User, *,
                municipality_nis: str | None, urgency: str | None, frequency: str | None) -> DemandSignal:
    """A need heard at the desk or on the phone, recorded by staff."""
    return _signal(session, region, synonyms, text, SOURCE_DESK, municipality_nis=municipality_nis,
                   urgency=urgency, frequency=frequency, recorded_by_id=user.id)
