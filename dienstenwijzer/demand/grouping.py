"""How a need becomes a grouping key, and which niche a key belongs to.

Signals are grouped by taxonomy category where the words map to exactly one, otherwise by
their normalised terms: stemmed, stop words out, synonyms resolved, sorted. "Hond uitlaten"
and "honden uitlaten" meet; "kuisen" and "poetsvrouw" both become the category poetsen.

A new niche is named after its category; otherwise it has no name of residents' words until
two different clients used them (see `shared_title`), so one resident's text never becomes a title.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, Niche, NicheKey
from ..search.analysis import STOP_WORDS, index_forms, words
from ..search.synonyms import SynonymIndex

MAX_KEY_LENGTH = 250
UNNAMED = "Nieuwe vraag (nog niet bevestigd)"


def typed_terms(text: str) -> list[tuple[str, str]]:
    """(folded word, stem) for the words of a need that matter, in the order typed."""
    return [(w, index_forms(w)[0]) for w in words(text) if w not in STOP_WORDS and index_forms(w)]


def normalise(text: str, synonyms: SynonymIndex) -> tuple[str, frozenset[str]]:
    """The sorted stems of a need, and the taxonomy categories its words stand for."""
    stems = [stem for _word, stem in typed_terms(text)]
    categories = frozenset(c for _start, _end, cats in synonyms.match(stems) for c in cats)
    return " ".join(sorted(set(stems)))[:MAX_KEY_LENGTH], categories


def grouping_key(
    normalised: str, categories: frozenset[str], parent_of: dict[str, str | None]
) -> str:
    if len(categories) == 1:
        return f"cat:{next(iter(categories))}"
    # Several subcategories of one top category still make one need.
    tops = {parent_of.get(c) or c for c in categories}
    if len(tops) == 1 and categories:
        return f"cat:{next(iter(tops))}"
    return f"terms:{normalised}"[:MAX_KEY_LENGTH]


def niche_for_key(session: Session, region_id: int, key: str) -> Niche:
    """The niche this key leads to in the zorggebied, created (unconfirmed) when there is none yet."""
    found = session.scalar(
        select(NicheKey).where(NicheKey.region_id == region_id, NicheKey.key == key)
    )
    if found is not None:
        return found.niche
    category = session.get(Category, key[4:]) if key.startswith("cat:") else None
    niche = Niche(region_id=region_id, title=category.label if category is not None else UNNAMED)
    niche.keys.append(NicheKey(region_id=region_id, key=key))
    session.add(niche)
    session.flush()
    return niche


def shared_title(texts_by_client: dict[str, list[str]]) -> str:
    """A title of the words (as typed, folded) that at least two different clients used.

    A word counts as used by a client when its stem occurs in one of their texts, so "hond
    uitlaten" and "honden uitlaten" share both words; of the typed forms the most used is shown.
    Stop words between shared words stay, so it reads as typed: "pianoles voor kinderen".
    """
    clients_of: dict[str, set[str]] = defaultdict(set)
    forms: dict[str, Counter] = defaultdict(Counter)
    for client, texts in texts_by_client.items():
        for text in texts:
            for word, stem in typed_terms(text):
                clients_of[stem].add(client)
                forms[stem][word] += 1
    first_text = next((t for texts in texts_by_client.values() for t in texts), "")
    title: list[str] = []
    for word in words(first_text):
        stem = index_forms(word)[0] if word not in STOP_WORDS and index_forms(word) else None
        if stem is not None and len(clients_of[stem]) >= 2:
            title.append(forms[stem].most_common(1)[0][0])
        elif word in STOP_WORDS and title:
            title.append(word)
    while title and title[-1] in STOP_WORDS:
        title.pop()
    return " ".join(title)[:200]
