"""How a need becomes a grouping key, and which niche a key belongs to.

Signals are grouped by taxonomy category where the words map to exactly one, otherwise by
their normalised terms: stemmed, stop words out, synonyms resolved, sorted. "Hond uitlaten"
and "honden uitlaten" meet; "kuisen" and "poetsvrouw" both become the category poetsen.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, Niche, NicheKey
from ..search.analysis import STOP_WORDS, index_forms, words
from ..search.synonyms import SynonymIndex

MAX_KEY_LENGTH = 250


def normalise(text: str, synonyms: SynonymIndex) -> tuple[str, frozenset[str]]:
    """The sorted stems of a need, and the taxonomy categories its words stand for."""
    typed = [w for w in words(text) if w not in STOP_WORDS and index_forms(w)]
    stems = [index_forms(w)[0] for w in typed]
    categories = frozenset(c for _start, _end, cats in synonyms.match(stems) for c in cats)
    return " ".join(sorted(set(stems)))[:MAX_KEY_LENGTH], categories


def grouping_key(normalised: str, categories: frozenset[str], parent_of: dict[str, str | None]) -> str:
    if len(categories) == 1:
        return f"cat:{next(iter(categories))}"
    # Several subcategories of one top category still make one need.
    tops = {parent_of.get(c) or c for c in categories}
    if len(tops) == 1 and categories:
        return f"cat:{next(iter(tops))}"
    return f"terms:{normalised}"[:MAX_KEY_LENGTH]


def niche_for_key(session: Session, region_id: int, key: str, title: str) -> Niche:
    """The niche this key leads to in the zorggebied, created when there is none yet."""
    found = session.scalar(select(NicheKey).where(NicheKey.region_id == region_id, NicheKey.key == key))
    if found is not None:
        return found.niche
    niche = Niche(region_id=region_id, title=_title(session, key, title))
    niche.keys.append(NicheKey(region_id=region_id, key=key))
    session.add(niche)
    session.flush()
    return niche


def _title(session: Session, key: str, fallback: str) -> str:
    if key.startswith("cat:"):
        category = session.get(Category, key[4:])
        if category is not None:
            return category.label
    return fallback.strip()[:200] or key
