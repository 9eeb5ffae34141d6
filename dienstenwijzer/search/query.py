"""From what a resident typed to a Whoosh query: words, compounds and taxonomy synonyms."""
from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from .analysis import STOP_WORDS, index_forms, words
from .synonyms import SynonymIndex


@dataclass(frozen=True)
class Clause:
    """One thing the resident asked for: one word, or a synonym phrase of several."""

    surface: tuple[str, ...]  # folded words as typed
    forms: tuple[tuple[str, ...], ...]  # index forms per word (stem, then compound parts)
    categories: frozenset[str]  # taxonomy ids the phrase stands for


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def all_forms(self) -> frozenset[str]:
        return frozenset(f for c in self.clauses for forms in c.forms for f in forms)


def parse(text: str, synonyms: SynonymIndex) -> ParsedQuery:
    typed = [w for w in words(text) if w not in STOP_WORDS and index_forms(w)]
    forms = [index_forms(w) for w in typed]
    spans = {start: (end, cats) for start, end, cats in synonyms.match([f[0] for f in forms])}
    clauses = []
    i = 0
    while i < len(typed):
        end, cats = spans.get(i, (i + 1, frozenset()))
        clauses.append(Clause(tuple(typed[i:end]), tuple(forms[i:end]), cats))
        i = end
    return ParsedQuery(tuple(clauses))


def _word_query(forms: tuple[str, ...]) -> wq.Query:
    full = wq.Term("text", forms[0])
    if len(forms) == 1:
        return full
    # A compound matches itself, or a text holding all its parts ("hulp bij het poetsen").
    return wq.Or([full, wq.And([wq.Term("text", f) for f in forms[1:]])])


def _clause_query(clause: Clause) -> wq.Query:
    words_q = [_word_query(f) for f in clause.forms]
    text_q = words_q[0] if len(words_q) == 1 else wq.And(words_q)
    if not clause.categories:
        return text_q
    return wq.Or([text_q, *(wq.Term("categories", c) for c in sorted(clause.categories))])


def to_whoosh(parsed: ParsedQuery, *, match_all: bool = True) -> wq.Query:
    parts = [_clause_query(c) for c in parsed.clauses]
    if len(parts) == 1:
        return parts[0]
    return wq.And(parts) if match_all else wq.Or(parts)
