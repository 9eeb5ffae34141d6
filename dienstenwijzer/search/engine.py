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
    Filters,
    filter_and_count,
    forget_segments_except,
    records_for,
)
from .query import ParsedQuery, parse, to_whoosh
from .snippets import snippet
from .spelling import Speller
from .store import Generation, IndexStore
from .synonyms import SynonymIndex

CACHE_SIZE = 512


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
    def __init__(self, ix, synonyms: SynonymIndex):
        self.ix = ix
        self.searcher = ix.searcher()
        self.synonyms = synonyms
        self._reset()

    def _reset(self) -> None:
        self.records, segments = records_for(self.searcher.reader())
        self.segments = segments
        self.generation = self.searcher.reader().generation()
        self._speller: Speller | None = None
        self.cache: OrderedDict = OrderedDict()

    def refresh_if_changed(self) -> None:
        if not self.searcher.up_to_date():
            # Not searcher.refresh(): it reuses segment readers by segment id and so keeps
            # their old deletion sets: a deleted (edited, archived) document would stay found.
            old, self.searcher = self.searcher, self.ix.searcher()
            old.close()
            self._reset()

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller(self.searcher.reader(), self.synonyms.surface_words)
        return self._speller

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
            rs = pool.regions[slug] = _RegionSearcher(generation.open_region(slug), pool.synonyms)
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
        matched, any_word = self._match(rs, parsed)
        corrected_from = suggestion = None
        correction = rs.speller.correct(text)
        if correction:
            if matched:
                suggestion = correction
            else:
                corrected = parse(correction, rs.synonyms)
                matched, any_word = self._match(rs, corrected)
                if matched:
                    corrected_from, text, parsed = text, correction, corrected
        allowed, facets, distances = filter_and_count(rs.records, matched, request.filters)
        offset = (request.page - 1) * request.per_page
        docnums: list[int] = []
        if allowed and offset < len(allowed):
            q = to_whoosh(parsed, match_all=not any_word)
            limit = offset + request.per_page
            keep = None if len(allowed) == len(matched) else set(allowed)
            results = rs.searcher.search(q, filter=keep, limit=limit)
            docnums = [hit.docnum for hit in results][offset:limit]
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

    def _match(self, rs: _RegionSearcher, parsed: ParsedQuery) -> tuple[set[int], bool]:
        matched = set(rs.searcher.docs_for_query(to_whoosh(parsed)))
        if matched or len(parsed.clauses) < 2:
            return matched, False
        return set(rs.searcher.docs_for_query(to_whoosh(parsed, match_all=False))), True

    def _browse(self, rs: _RegionSearcher, request: SearchRequest) -> SearchResult:
        """No words typed: every service passing the filters, nearest first or by name."""
        candidates = rs.searcher.reader().all_doc_ids()
        allowed, facets, distances = filter_and_count(rs.records, candidates, request.filters)
        offset = (request.page - 1) * request.per_page
        limit = offset + request.per_page
        if request.filters.origin is not None:
            key = lambda d: (distances.get(d, float("inf")), rs.records[d][SORT_NAME])  # noqa: E731
        else:
            key = lambda d: rs.records[d][SORT_NAME]  # noqa: E731
        docnums = heapq.nsmallest(limit, allowed, key=key)[offset:limit]
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
