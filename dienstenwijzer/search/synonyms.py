"""Words residents type, resolved to categories (kuisen -> poetsen, vensterkuiser -> ramen-wassen).

The words are the taxonomy's synonyms and the thesaurus (fixtures/thesaurus/), both loaded into
category_synonym by reference_data.py, plus what regisseurs taught the search for their
zorggebied (region_synonym, see `taught_categories` and `SynonymIndex.with_terms`). A taught word
for a service is no query-time synonym: it is indexed with the service (documents.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, CategorySynonym, Region, RegionSynonym
from .analysis import STOP_WORDS, index_forms, stem, words

MAX_PHRASE_WORDS = 4


def phrase_key(text: str) -> str:
    """The stemmed, stop-word-free key of a phrase: "het gras afrijden" -> "gras afrijd"."""
    return " ".join(stem(w) for w in words(text) if w not in STOP_WORDS)


@dataclass(frozen=True)
class SynonymIndex:
    by_key: dict[str, frozenset[str]]  # phrase key -> category ids
    surface_words: frozenset[str]  # every folded word of every synonym: known to the speller

    @classmethod
    def from_session(cls, session: Session) -> SynonymIndex:
        by_key: dict[str, set[str]] = defaultdict(set)
        surface: set[str] = set()
        rows = session.execute(select(CategorySynonym.term, CategorySynonym.category_id)).all()
        rows += [(c.id.replace("-", " "), c.id) for c in session.scalars(select(Category))]
        for term, category_id in rows:
            key = phrase_key(term)
            if key:
                by_key[key].add(category_id)
            surface.update(w for w in words(term) if len(w) > 2)
        return cls({k: frozenset(v) for k, v in by_key.items()}, frozenset(surface))

    def with_terms(self, terms: tuple[tuple[str, str], ...]) -> SynonymIndex:
        """This index plus (term, category id) pairs: a zorggebied's own words over the standard."""
        if not terms:
            return self
        by_key = {k: set(v) for k, v in self.by_key.items()}
        surface = set(self.surface_words)
        for term, category_id in terms:
            key = phrase_key(term)
            if key:
                by_key.setdefault(key, set()).add(category_id)
            surface.update(w for w in words(term) if len(w) > 2)
        return SynonymIndex({k: frozenset(v) for k, v in by_key.items()}, frozenset(surface))

    def match(self, stems: list[str]) -> list[tuple[int, int, frozenset[str]]]:
        """Greedy longest matches: (start, end, categories) spans over the stem list."""
        return [(start, end, cats) for start, end, cats, _ in self.spans(stems)]

    def spans(self, stems: list[str]) -> list[tuple[int, int, frozenset[str], tuple[str, ...]]]:
        """Greedy longest matches: (start, end, categories, modifiers) over the stem list.

        A word that is no synonym itself but a compound of known parts means what its head
        means: Dutch compounds are right-headed, so "buurtrestaurantje" is a restaurant. Its
        modifiers ("buurt") come along: a head alone says too little ("hondentrimsalon" is no
        "salon", a sofa), so the search asks a service of the head's category to have them.
        """
        spans = []
        i = 0
        while i < len(stems):
            for j in range(min(len(stems), i + MAX_PHRASE_WORDS), i, -1):
                cats = self.by_key.get(" ".join(stems[i:j]))
                if cats:
                    spans.append((i, j, cats, ()))
                    i = j
                    break
            else:
                cats, modifiers = self.head_of(stems[i])
                if cats:
                    spans.append((i, i + 1, cats, modifiers))
                i += 1
        return spans

    def head_of(self, word_stem: str) -> tuple[frozenset[str], tuple[str, ...]]:
        """(categories, modifier forms) of the longest run of a compound's last parts that is
        a synonym, or (empty, ())."""
        parts = index_forms(word_stem)[1:]
        for k in range(len(parts)):
            cats = self.by_key.get(" ".join(parts[k:]))
            if cats:
                return cats, tuple(parts[:k])
        return frozenset(), ()


ALL_REGIONS = None  # the key of words an admin taught every zorggebied


def taught_categories(session: Session) -> dict[str | None, tuple[tuple[str, str], ...]]:
    """Region slug (None: every zorggebied) -> its taught (term, category id) pairs, sorted."""
    rows = session.execute(
        select(Region.slug, RegionSynonym.term, RegionSynonym.category_id)
        .outerjoin(Region, RegionSynonym.region_id == Region.id)
        .where(RegionSynonym.category_id.is_not(None))
        .order_by(RegionSynonym.term, RegionSynonym.category_id)
    ).all()
    taught: dict[str | None, list[tuple[str, str]]] = defaultdict(list)
    for slug, term, category_id in rows:
        taught[slug].append((term, category_id))
    return {slug: tuple(pairs) for slug, pairs in taught.items()}
