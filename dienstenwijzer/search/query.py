"""From what a resident typed to a Whoosh query: words, compounds and taxonomy synonyms."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from whoosh import query as wq
from whoosh.matching import FilterMatcher, NullMatcher

from .analysis import STOP_WORDS, WordForms, index_forms, word_forms, words
from .reach import HOME, at_home_spans
from .synonyms import SynonymIndex


@dataclass(frozen=True)
class Clause:
    """One thing the resident asked for: one word, or a synonym phrase of several."""

    surface: tuple[str, ...]  # folded words as typed
    forms: tuple[tuple[str, ...], ...]  # index forms per word (stem, then compound parts)
    analysed: tuple[WordForms, ...]  # per word: stem, variants and parts, as searched
    categories: frozenset[str]  # taxonomy ids the phrase stands for
    # For a compound read by its head ("buurtrestaurantje"): the forms of its other parts, one
    # of which some service of the zorggebied must have for the head's categories to count.
    modifiers: tuple[str, ...] = ()
    # "aan huis", "bij mij thuis" (reach.py): how the need is to be met, not a need itself. The
    # phrase as typed, or "" for a clause that names a need.
    at_home: str = ""


@dataclass(frozen=True)
class ParsedQuery:
    clauses: tuple[Clause, ...]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def wants_home(self) -> bool:
        """Asks for a service that comes to the home, besides naming a need."""
        return any(c.at_home for c in self.clauses)

    @property
    def needs(self) -> ParsedQuery:
        """The query without its at-home phrase."""
        return ParsedQuery(tuple(c for c in self.clauses if not c.at_home))

    @property
    def as_words(self) -> ParsedQuery:
        """The query with its at-home phrase searched as words, like any other."""
        return ParsedQuery(tuple(replace(c, at_home="") for c in self.clauses))

    @property
    def at_home_phrase(self) -> str:
        """The need and the at-home phrase as typed: "kapper aan huis"."""
        out: list[str] = []
        for c in self.clauses:
            if not (c.at_home and out and out[-1] == c.at_home):  # "bij mijn moeder thuis"
                out.append(c.at_home or " ".join(c.surface))
        return " ".join(out)

    @property
    def all_forms(self) -> frozenset[str]:
        return frozenset(f for c in self.clauses for forms in c.forms for f in forms)


# Words that frame a request rather than name the need: "ik zoek iemand om mijn gras te maaien",
# "ik heb vervoer nodig", "waar kan ik gratis babykleren krijgen". Searched for, they match
# services only by accident (since compounds are split, "zoek" is in every "werkzoekenden") and
# would be reported as unmet demand. Left out when the query has other words.
REQUEST_WORDS = frozenset(
    {
        "zoek",
        "zoeken",
        "gezocht",
        "nodig",
        "graag",
        "krijg",
        "krijgen",
        "vind",
        "vinden",
        "waar",
        "welke",
        "wanneer",
    }
)


def parse(text: str, synonyms: SynonymIndex) -> ParsedQuery:
    raw = words(text)
    home_phrase = {
        i: " ".join(raw[start:end]) for start, end in at_home_spans(raw) for i in range(start, end)
    }
    kept = [i for i, w in enumerate(raw) if w not in STOP_WORDS and index_forms(w)]
    if any(raw[i] not in REQUEST_WORDS for i in kept):
        kept = [i for i in kept if raw[i] not in REQUEST_WORDS]
    typed = [raw[i] for i in kept]
    forms = [index_forms(w) for w in typed]
    analysed = [word_forms(w) for w in typed]
    spans = {
        start: (end, cats, mods) for start, end, cats, mods in synonyms.spans([f[0] for f in forms])
    }
    clauses = []
    i = 0
    while i < len(typed):
        end, cats, mods = spans.get(i, (i + 1, frozenset(), ()))
        # A clause made only of an at-home phrase's words, and no synonym of its own.
        phrases = {home_phrase.get(kept[k]) for k in range(i, end)}
        at_home = phrases.pop() if len(phrases) == 1 and not cats else ""
        clauses.append(
            Clause(
                tuple(typed[i:end]),
                tuple(forms[i:end]),
                tuple(analysed[i:end]),
                cats,
                mods,
                at_home or "",
            )
        )
        i = end
    parsed = ParsedQuery(tuple(clauses))
    # Only "aan huis": search it as words.
    return parsed if parsed.needs.clauses else parsed.as_words


def _any(forms: tuple) -> wq.Query:
    terms = [f if isinstance(f, wq.Query) else wq.Term("text", f) for f in forms]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


# A compound also matches a text with most of its parts, weighed like a query's clauses (see
# Coverage): "haagscheerdienst" finds "hagen scheren" though the service never says "dienst".
# Measured on bench/search_quality.py: at a half, "rijschool" found schools.
COMPOUND_MIN_SHARE = 0.65


def _word_query(wf: WordForms) -> wq.Query:
    # The word's stem or the stem of its dictionary form ("gestreken" meets "strijken"); a
    # compound also matches a text holding (most of) its parts ("ramen wassen" for
    # "ramenwasser").
    alternatives = [wq.Term("text", f) for f in (wf.stem, *wf.variants)]
    if wf.parts:
        subparts = wf.subparts or ((),) * len(wf.parts)
        parts = [_part_query(p, sub) for p, sub in zip(wf.parts, subparts, strict=True)]
        # An act for a head weighs nothing: "maaltijdbezorging" is met by the meal services.
        weights = (1,) * (len(parts) - 1) + (0 if wf.act_head else 1,)
        alternatives.append(Coverage(parts, words=weights, min_share=COMPOUND_MIN_SHARE))
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def _part_query(forms: tuple[str, ...], subparts: tuple[tuple[str, ...], ...]) -> wq.Query:
    # A part that is a compound itself is also met by (most of) its own parts: "kinderoppas"
    # in "kinderoppasdienst" by a text about an "oppas" for "kinderen".
    if not subparts:
        return _any(forms)
    return wq.Or([_any(forms), Coverage([_any(s) for s in subparts], min_share=COMPOUND_MIN_SHARE)])


def _clause_query(clause: Clause) -> wq.Query:
    words_q = [_word_query(wf) for wf in clause.analysed]
    text_q = words_q[0] if len(words_q) == 1 else wq.And(words_q)
    if not clause.categories:
        return text_q
    categories = [wq.Term("categories", c) for c in sorted(clause.categories)]
    if clause.modifiers:
        return wq.Or([text_q, Guarded(_any(tuple(categories)), _any(clause.modifiers))])
    return wq.Or([text_q, *categories])


def to_whoosh(parsed: ParsedQuery, *, match_all: bool = True) -> wq.Query:
    if parsed.wants_home:  # the need, met by a service that comes to the home
        return wq.And([to_whoosh(parsed.needs, match_all=match_all), wq.Term("reach", HOME)])
    parts = [_clause_query(c) for c in parsed.clauses]
    if len(parts) == 1:
        return parts[0]
    if match_all:
        return wq.And(parts)
    return Coverage(parts, words=tuple(len(c.surface) for c in parsed.clauses))


class Guarded(wq.WrappingQuery):
    """`child`, but only in a zorggebied where some service matches `guard`.

    A compound read by its head ("hondentrimsalon" as a "salon", a sofa) means the head's
    category only where the zorggebied knows its modifiers at all: where no service mentions
    dogs or trimming, the resident asks for something that is not there (unmet demand). Where
    the modifier is known ("nood" in "noodkinderopvang"), the head's category stands.
    """

    boost = 1.0

    def __init__(self, child, guard):
        super().__init__(child)
        self.guard = guard

    def __eq__(self, other):
        return super().__eq__(other) and self.guard == other.guard

    def __hash__(self):
        return super().__hash__() ^ hash(self.guard)

    def _rewrap(self, child):
        return self.__class__(child, self.guard)

    def matcher(self, searcher, context=None):
        if next(iter(searcher.get_parent().docs_for_query(self.guard)), None) is None:
            return NullMatcher()
        return self.child.matcher(searcher, context)


# -- Matching only some of the words ---------------------------------------------------------
#
# When no service has every word, the services with some of them are ranked by the share of
# the query they cover: each clause weighs its number of words times how specific it is in
# the zorggebied (inverse document frequency; a clause no service has weighs most), and the
# score is multiplied by a power of the share. So in a sentence the service with the rare words
# ("badkamer veiliger") ranks above those with many common ones ("hulp", "maken"), and a
# service that covers less than a tenth of the query is not shown at all.

MIN_SHARE = 0.1
# The share counts four times: measured on bench/search_quality.py (sentence MRR@10 0.918 with
# the share squared, 0.933 with its 4th power, 0.931 with higher ones), a weaker factor lets a
# service that repeats common words ("hulp", "maken") outrank the one with the specific ones.
SHARE_POWER = 4


class Coverage(wq.Or):
    """Or of clauses, keeping the documents that cover at least `min_share` of the clauses'
    weight (see clause_weight), each scored by its Or score times its share ** SHARE_POWER."""

    def __init__(self, subqueries, boost=1.0, words=None, min_share=MIN_SHARE):
        super().__init__(subqueries, boost=boost)
        self.words = tuple(words) if words else (1,) * len(self.subqueries)  # per clause
        self.min_share = min_share

    def __eq__(self, other):
        return (
            super().__eq__(other)
            and self.words == other.words
            and self.min_share == other.min_share
        )

    def __hash__(self):
        return super().__hash__() ^ hash((self.words, self.min_share))

    def matcher(self, searcher, context=None):
        # Whoosh's own evaluation, used by tests to check `evaluate`: per segment, with the
        # clause frequencies of the whole index.
        top = searcher.get_parent()
        frequencies = [sum(1 for _ in top.docs_for_query(s)) for s in self.subqueries]
        per_clause = [set(s.docs(searcher)) for s in self.subqueries]
        factors = shares(per_clause, frequencies, self.words, top.doc_count(), self.min_share)
        child = wq.Or(self.subqueries).matcher(searcher, context)
        return _ScaledMatcher(child, factors)


def clause_weight(frequency: int, words: int, doc_count: int) -> float:
    """How much of the query a clause is: its words times how specific it is,
    log(1 + N / (1 + df)), highest for a clause nothing matches."""
    return words * math.log(1 + doc_count / (1 + frequency))


def shares(
    per_clause: list,
    frequencies: list[int],
    words: tuple[int, ...],
    doc_count: int,
    min_share: float,
) -> dict[int, float]:
    """{docnum: score factor}: a power of the share of the clauses' weight a document matches,
    for the documents reaching min_share."""
    weights = [clause_weight(f, n, doc_count) for f, n in zip(frequencies, words, strict=True)]
    total = sum(weights)
    if not total:  # an empty index
        return {}
    # A clause without which no document can reach min_share limits the candidates to its
    # documents: for most compounds that is one part's postings instead of all of them.
    required = [
        docs for docs, w in zip(per_clause, weights, strict=True) if (total - w) / total < min_share
    ]
    if required:
        candidates = min(required, key=len)
    else:
        candidates = {d for docs in per_clause for d in docs}
    out: dict[int, float] = {}
    for d in candidates:
        share = sum(w for docs, w in zip(per_clause, weights, strict=True) if d in docs) / total
        if share >= min_share:
            out[d] = share**SHARE_POWER
    return out


class _ScaledMatcher(FilterMatcher):
    def __init__(self, child, factors: dict[int, float], boost=1.0):
        self._factors = factors
        super().__init__(child, factors, boost=boost)

    def copy(self):
        return self.__class__(self.child.copy(), self._factors)

    def _replacement(self, newchild):
        return self.__class__(newchild, self._factors)

    def supports_block_quality(self):
        return False

    def score(self):
        return self.child.score() * self._factors[self.child.id()]


# -- Evaluating a query on cached postings ---------------------------------------------------
#
# Whoosh walks its matchers document by document in Python, which is what made searching
# slow. `evaluate` gives the same documents and the same scores from per-term postings
# ({docnum: score}, each read once through Whoosh's own matcher and scorer, then cached per
# reader) using dict and set operations. Sub-scores are added along the same huffman-like
# tree Whoosh builds from the estimated sizes, so the sums match Whoosh's.

TermScores = dict[int, float]


def _intersect(a: TermScores, b: TermScores) -> TermScores:
    if len(b) < len(a):
        return {d: a[d] + s for d, s in b.items() if d in a}
    return {d: s + b[d] for d, s in a.items() if d in b}


def _unite(a: TermScores, b: TermScores) -> TermScores:
    out = dict(a)
    for d, s in b.items():
        out[d] = out[d] + s if d in out else s
    return out


def _weighted_tree(combine, weighted: list[tuple[int, TermScores]]) -> TermScores:
    """whoosh.util.make_weighted_tree over already evaluated operands."""
    ls = sorted(weighted, key=lambda x: x[0])
    while len(ls) > 1:
        (wa, a), (wb, b) = ls.pop(0), ls.pop(0)
        item = (wa + wb, combine(a, b))
        i = 0
        while i < len(ls) and ls[i][0] <= item[0]:
            i += 1
        ls.insert(i, item)
    return ls[0][1]


def estimate_size(q: wq.Query, doc_frequency, doc_count: int) -> int:
    if isinstance(q, wq.Term):
        return doc_frequency(q.fieldname, q.text)
    if isinstance(q, Guarded):  # Whoosh estimates the child whatever the guard says
        return estimate_size(q.child, doc_frequency, doc_count)
    sizes = [estimate_size(s, doc_frequency, doc_count) for s in q.subqueries]
    if isinstance(q, wq.And):
        return min(sizes)
    return min(sum(sizes), doc_count)


# Whoosh's Or preloads scores in an array (a left-to-right sum) for small indexes.
PRELOAD_DOC_LIMIT = 5000
TOO_MANY_CLAUSES = 1024


def _left_fold(values: list[TermScores]) -> TermScores:
    out: TermScores = {}
    for v in values:
        for d, s in v.items():
            out[d] = out.get(d, 0.0) + s
    return out


def evaluate(
    q: wq.Query, term_scores, doc_frequency, doc_count: int, doc_count_all: int
) -> TermScores:
    """{docnum: score} of every document matching a query built by `to_whoosh`.

    `term_scores(field, text)` gives one term's {docnum: score}; the other arguments are the
    reader's statistics Whoosh uses to shape its matcher tree.
    """
    if q.boost != 1.0:
        raise ValueError("boosted queries are not supported")
    if isinstance(q, wq.Term):
        return term_scores(q.fieldname, q.text)
    if isinstance(q, Guarded):
        if not evaluate(q.guard, term_scores, doc_frequency, doc_count, doc_count_all):
            return {}
        return evaluate(q.child, term_scores, doc_frequency, doc_count, doc_count_all)
    if type(q) not in (wq.And, wq.Or, Coverage):
        raise TypeError(f"cannot evaluate {q!r}")
    subs = q.subqueries
    if not subs:
        return {}
    values = [evaluate(s, term_scores, doc_frequency, doc_count, doc_count_all) for s in subs]
    if isinstance(q, Coverage):
        # Only the documents that reach the share are summed (Whoosh sums all, in another
        # order: the scores agree to rounding).
        factors = shares(values, [len(v) for v in values], q.words, doc_count, q.min_share)
        return {d: sum(v[d] for v in values if d in v) * f for d, f in factors.items()}
    return _combine(q, values, doc_frequency, doc_count, doc_count_all)


def _combine(
    q, values: list[TermScores], doc_frequency, doc_count: int, doc_count_all: int
) -> TermScores:
    subs = q.subqueries
    if len(values) == 1:
        return values[0]
    if (
        isinstance(q, wq.Or)
        and 2 < len(subs) < TOO_MANY_CLAUSES
        and doc_count_all <= PRELOAD_DOC_LIMIT
    ):
        return _left_fold(values)
    sizes = [estimate_size(s, doc_frequency, doc_count) for s in subs]
    if isinstance(q, wq.And):
        return _weighted_tree(_intersect, [(-n, v) for n, v in zip(sizes, values, strict=True)])
    return _weighted_tree(_unite, [(n, v) for n, v in zip(sizes, values, strict=True)])
