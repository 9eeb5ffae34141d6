"""Taxonomy words residents type, resolved to categories (kuisen -> poetsen)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Category, CategorySynonym
from .analysis import STOP_WORDS, stem, words

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

    def match(self, stems: list[str]) -> list[tuple[int, int, frozenset[str]]]:
        """Greedy longest matches: (start, end, categories) spans over the stem list."""
        spans = []
        i = 0
        while i < len(stems):
            for j in range(min(len(stems), i + MAX_PHRASE_WORDS), i, -1):
                cats = self.by_key.get(" ".join(stems[i:j]))
                if cats:
                    spans.append((i, j, cats))
                    i = j
                    break
            else:
                i += 1
        return spans
