"""Searching one zorggebied: query, typo fallback, filters, facets, ranking and paging.

Each worker process (and thread) keeps one open searcher per zorggebied, refreshed when the
index changed and reopened when `reindex` swapped generations. Results are cached per index
generation: an edit makes a new generation, so a cached page is never stale.
"""
from __future__ import annotations

import heapq
import os
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from markupsafe import Markup

from .facets import (
    SORT_NAME,
    FacetCounts,
    FacetIndex,
    Filters,
    forget_segments_except,
    records_for,
)
from .query import ParsedQuery, TermScores, evaluate, parse, to_whoosh
from .snippets import snippet
from .spelling import Speller
from .store import Generation, IndexStore
from .synonyms import SynonymIndex

CACHE_SIZE = 512
# Per reader: postings of this many documents per indexed document stay cached as
# {docnum: score} (about 75 bytes each), most recently used first.
TERM_CACHE_POSTINGS_PER_DOC = 20
CORRECTION_CACHE_SIZE = 4096


@dataclass(frozen=True)
class SearchRequest:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    per_page: int = 10


@dataclass
class Hit:
    service_id: int
    name: str
    provider: str
    provider_id: int
    description: str
    snippet: Markup
    municipality: str | None
    categories: list[str]
    dienstencheques: bool
    distance_km: float | None
    display: dict


@dataclass
class SearchResult:
    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: FacetCounts
    searched_text: str  # what was searched: the typed text or its correction
    corrected_from: str | None = None  # nothing found for this; we searched the correction
    suggestion: str | None = None  # "Bedoelde u …?"
    any_word: bool = False  # no service had every word; showing those with some
    query_categories: frozenset[str] = frozenset()  # taxonomy ids the words stand for

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class _RegionSearcher:
    def __init__(self, ix, synonyms: SynonymIndex, vocabulary):
        self.ix = ix
        self._vocabulary = vocabulary
        self.searcher = ix.searcher()
        self.synonyms = synonyms
        self._reset()

    def _reset(self) -> None:
        reader = self.searcher.reader()
        self.records, segments = records_for(reader)
        self.segments = segments
        self.generation = reader.generation()
        self._speller: Speller | None = None
        self._facets: FacetIndex | None = None
        self.cache: OrderedDict = OrderedDict()
        self.corrections: OrderedDict = OrderedDict()
        self.terms: OrderedDict = OrderedDict()
        self.term_postings = 0
        self.term_budget = max(10_000, TERM_CACHE_POSTINGS_PER_DOC * reader.doc_count_all())
        self.doc_count = reader.doc_count()
        self.doc_count_all = reader.doc_count_all()

    def refresh_if_changed(self) -> None:
        if not self.searcher.up_to_date():
            # A fresh reader, not `searcher.refresh()`: that one reuses the open reader of a
            # segment whose deletions changed, so deleted documents would still match.
            old, self.searcher = self.searcher, self.ix.searcher()
            old.close()
            self._reset()

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller(self.searcher.reader(), self._vocabulary(), self.synonyms.surface_words)
        return self._speller

    @property
    def facets(self) -> FacetIndex:
        if self._facets is None:
            self._facets = FacetIndex(self.records, self.searcher.reader().all_doc_ids())
        return self._facets

    def correct(self, text: str) -> str | None:
        """The speller's correction of a text, remembered for this reader."""
        if text in self.corrections:
            self.corrections.move_to_end(text)
            return self.corrections[text]
        fixed = self.speller.correct(text)
        self.corrections[text] = fixed
        if len(self.corrections) > CORRECTION_CACHE_SIZE:
            self.corrections.popitem(last=False)
        return fixed

    def term_scores(self, fieldname: str, text: str) -> TermScores:
        """{docnum: score} of one term, read through Whoosh's matcher and scorer once."""
        key = (fieldname, text)
        found = self.terms.get(key)
        if found is not None:
            self.terms.move_to_end(key)
            return found
        scores: TermScores = {}
        searcher = self.searcher
        field = searcher.schema[fieldname]
        btext = field.to_bytes(text)
        if (fieldname, btext) in searcher.reader():
            m = searcher.postings(fieldname, btext, weighting=searcher.weighting)
            while m.is_active():
                scores[m.id()] = m.score()
                m.next()
        self.terms[key] = scores
        self.term_postings += len(scores) + 1
        while self.term_postings > self.term_budget and len(self.terms) > 1:
            _, dropped = self.terms.popitem(last=False)
            self.term_postings -= len(dropped) + 1
        return scores

    def doc_frequency(self, fieldname: str, text: str) -> int:
        return self.searcher.reader().doc_frequency(fieldname, text)

    def evaluate(self, parsed: ParsedQuery, *, match_all: bool = True) -> TermScores:
        return evaluate(
            to_whoosh(parsed, match_all=match_all),
            self.term_scores,
            self.doc_frequency,
            self.doc_count,
            self.doc_count_all,
        )

    def close(self) -> None:
        self.searcher.close()


class SearchEngine:
    """One per app; the searchers themselves are per process and per thread."""

    def __init__(self, store: IndexStore, load_synonyms):
        self.store = store
        self._load_synonyms = load_synonyms
        self._local = threading.local()

    # -- searcher pool -------------------------------------------------------------------
    def _pool(self):
        local = self._local
        path = self.store.current_path()
        if getattr(local, "path", None) != path or getattr(local, "pid", None) != _pid():
            for rs in getattr(local, "regions", {}).values():
                rs.close()
            local.path, local.pid, local.regions = path, _pid(), {}
            local.synonyms = self._load_synonyms() if path is not None else None
        return local

    def region_searcher(self, slug: str) -> _RegionSearcher | None:
        pool = self._pool()
        if pool.path is None:
            return None
        rs = pool.regions.get(slug)
        if rs is None:
            generation = Generation(pool.path)
            if not generation.region_dir(slug).exists():
                return None
            rs = pool.regions[slug] = _RegionSearcher(
                generation.open_region(slug), pool.synonyms, lambda: generation.read_vocabulary(slug)
            )
        else:
            rs.refresh_if_changed()
        forget_segments_except(set().union(*(r.segments for r in pool.regions.values())))
        return rs

    # -- searching -----------------------------------------------------------------------
    def search(self, slug: str, request: SearchRequest) -> SearchResult:
        rs = self.region_searcher(slug)
        if rs is None:
            return _empty(request)
        cached = rs.cache.get(request)
        if cached is not None:
            rs.cache.move_to_end(request)
            return cached
        result = self._search(rs, request)
        rs.cache[request] = result
        if len(rs.cache) > CACHE_SIZE:
            rs.cache.popitem(last=False)
        return result

    def _search(self, rs: _RegionSearcher, request: SearchRequest) -> SearchResult:
        text = request.text.strip()
        parsed = parse(text, rs.synonyms)
        if parsed.is_empty:
            return self._browse(rs, request)
        scores, any_word = self._match(rs, parsed)
        corrected_from = suggestion = None
        correction = rs.correct(text)
        if correction:
            if scores:
                suggestion = correction
            else:
                corrected = parse(correction, rs.synonyms)
                scores, any_word = self._match(rs, corrected)
                if scores:
                    corrected_from, text, parsed = text, correction, corrected
        allowed, facets, distances = rs.facets.filter_and_count(
            scores.keys() if scores else frozenset(), request.filters
        )
        offset = (request.page - 1) * request.per_page
        docnums: list[int] = []
        if allowed and offset < len(allowed):
            # Whoosh's order: score descending, then docnum ascending.
            limit = offset + request.per_page
            docnums = heapq.nlargest(limit, sorted(allowed), key=scores.__getitem__)[offset:limit]
        return SearchResult(
            total=len(allowed),
            page=request.page,
            per_page=request.per_page,
            hits=[_hit(rs, d, parsed, distances) for d in docnums],
            facets=facets,
            searched_text=text,
            corrected_from=corrected_from,
            suggestion=suggestion,
            any_word=any_word and bool(allowed),
            query_categories=frozenset(c for clause in parsed.clauses for c in clause.categories),
        )

    def _match(self, rs: _RegionSearcher, parsed: ParsedQuery) -> tuple[TermScores, bool]:
        """Scores of the services with every word; else, for several words, with any word."""
        scores = rs.evaluate(parsed)
        if scores or len(parsed.clauses) < 2:
            return scores, False
        return rs.evaluate(parsed, match_all=False), True

    def _browse(self, rs: _RegionSearcher, request: SearchRequest) -> SearchResult:
        """No words typed: every service passing the filters, nearest first or by name."""
        index = rs.facets
        allowed, facets, distances = index.filter_and_count(None, request.filters)
        offset = (request.page - 1) * request.per_page
        limit = offset + request.per_page
        docnums: list[int] = []
        if offset < len(allowed):
            # By (distance, name) or by name, then docnum: scan the cached order when most
            # services pass, else sort the few that do.
            origin = request.filters.origin
            if len(allowed) * 16 < len(index.live):
                records = rs.records
                if origin is not None:
                    inf = float("inf")
                    key = lambda d: (distances.get(d, inf), records[d][SORT_NAME], d)  # noqa: E731
                else:
                    key = lambda d: (records[d][SORT_NAME], d)  # noqa: E731
                docnums = heapq.nsmallest(limit, allowed, key=key)
            else:
                order = index.origin_order(origin) if origin is not None else index.name_order()
                for d in order:
                    if d in allowed:
                        docnums.append(d)
                        if len(docnums) >= limit:
                            break
            docnums = docnums[offset:limit]
        empty = ParsedQuery(())
        return SearchResult(
            total=len(allowed),
            page=request.page,
            per_page=request.per_page,
            hits=[_hit(rs, d, empty, distances) for d in docnums],
            facets=facets,
            searched_text="",
        )


def _hit(rs: _RegionSearcher, docnum: int, parsed: ParsedQuery, distances) -> Hit:
    stored = rs.searcher.stored_fields(docnum)
    display = stored["display"]
    return Hit(
        service_id=int(stored["id"]),
        name=display["name"],
        provider=display["provider"],
        provider_id=display["provider_id"],
        description=display["description"],
        snippet=snippet(display["description"], parsed.all_forms),
        municipality=display["municipality"],
        categories=display["categories"],
        dienstencheques=display["dienstencheques"],
        distance_km=distances.get(docnum),
        display=display,
    )


def _empty(request: SearchRequest) -> SearchResult:
    return SearchResult(0, request.page, request.per_page, [], FacetCounts(Counter(), Counter(), 0), "")


def _pid() -> int:
    return os.getpid()
