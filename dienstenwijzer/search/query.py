"""From what a resident typed to a Whoosh query: words, compounds and taxonomy synonyms."""
from __future__ import annotations

from dataclasses import dataclass

from whoosh import query as wq

from .analysis import STOP_WORDS, WordForms, index_forms, word_forms, words
from .synonyms import SynonymIndex


@dataclass(frozen=True)
class Clause:
    """One thing the resident asked for: one word, or a synonym phrase of several."""

    surface: tuple[str, ...]  # folded words as typed
    forms: tuple[tuple[str, ...], ...]  # index forms per word (stem, then compound parts)
    analysed: tuple[WordForms, ...]  # per word: stem, variants and parts, as searched
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
    analysed = [word_forms(w) for w in typed]
    spans = {start: (end, cats) for start, end, cats in synonyms.match([f[0] for f in forms])}
    clauses = []
    i = 0
    while i < len(typed):
        end, cats = spans.get(i, (i + 1, frozenset()))
        clauses.append(Clause(tuple(typed[i:end]), tuple(forms[i:end]), tuple(analysed[i:end]), cats))
        i = end
    return ParsedQuery(tuple(clauses))


def _any(forms: tuple[str, ...]) -> wq.Query:
    terms = [wq.Term("text", f) for f in forms]
    return terms[0] if len(terms) == 1 else wq.Or(terms)


def _word_query(wf: WordForms) -> wq.Query:
    # The word's stem or the stem of its dictionary form ("gestreken" meets "strijken"); a
    # compound also matches a text holding all its parts ("ramen wassen" for "ramenwasser").
    alternatives = [wq.Term("text", f) for f in (wf.stem, *wf.variants)]
    if wf.parts:
        alternatives.append(wq.And([_any(p) for p in wf.parts]))
    return alternatives[0] if len(alternatives) == 1 else wq.Or(alternatives)


def _clause_query(clause: Clause) -> wq.Query:
    words_q = [_word_query(wf) for wf in clause.analysed]
    text_q = words_q[0] if len(words_q) == 1 else wq.And(words_q)
    if not clause.categories:
        return text_q
    return wq.Or([text_q, *(wq.Term("categories", c) for c in sorted(clause.categories))])


def to_whoosh(parsed: ParsedQuery, *, match_all: bool = True) -> wq.Query:
    parts = [_clause_query(c) for c in parsed.clauses]
    if len(parts) == 1:
        return parts[0]
    return wq.And(parts) if match_all else wq.Or(parts)


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


def evaluate(q: wq.Query, term_scores, doc_frequency, doc_count: int, doc_count_all: int) -> TermScores:
    """{docnum: score} of every document matching a query built by `to_whoosh`.

    `term_scores(field, text)` gives one term's {docnum: score}; the other arguments are the
    reader's statistics Whoosh uses to shape its matcher tree.
    """
    if q.boost != 1.0:
        raise ValueError("boosted queries are not supported")
    if isinstance(q, wq.Term):
        return term_scores(q.fieldname, q.text)
    if type(q) not in (wq.And, wq.Or):
        raise TypeError(f"cannot evaluate {q!r}")
    subs = q.subqueries
    if not subs:
        return {}
    values = [evaluate(s, term_scores, doc_frequency, doc_count, doc_count_all) for s in subs]
    if len(values) == 1:
        return values[0]
    if isinstance(q, wq.Or) and 2 < len(subs) < TOO_MANY_CLAUSES and doc_count_all <= PRELOAD_DOC_LIMIT:
        return _left_fold(values)
    sizes = [estimate_size(s, doc_frequency, doc_count) for s in subs]
    if isinstance(q, wq.And):
        return _weighted_tree(_intersect, [(-n, v) for n, v in zip(sizes, values, strict=True)])
    return _weighted_tree(_unite, [(n, v) for n, v in zip(sizes, values, strict=True)])
