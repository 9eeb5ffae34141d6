"""Searching one zorggebied: query, typo fallback, filters, facets, ranking and paging.

Each worker process (and thread) keeps one open searcher per zorggebied, refreshed when the
index changed and reopened when `reindex` swapped generations. Term scores, result pages and
corrections are cached per reader (a new reader after every edit, so a cached page is never
stale), all in the process's one SearchCache (budget.py) with segment postings and distance
tables, so memory stays within one budget however many zorggebieden are searched.
"""
from __future__ import annotations

import heapq
import itertools
import os
import threading
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from markupsafe import Markup

from .budget import BYTES_PER_ITEM, SearchCache
from .facets import (
    SORT_NAME,
    FacetCounts,
    FacetIndex,
    Filters,
    forget_segments_except,
    records_for,
)
from .postings import term_vector
from .query import ParsedQuery, TermScores, evaluate, parse, to_whoosh
from .snippets import snippet
from .spelling import Speller
from .store import Generation, IndexStore
from .synonyms import SynonymIndex

# Estimated bytes of one cached result page per hit (display fields, snippet markup).
RESULT_BYTES_PER_HIT = 2000
_reader_tokens = itertools.count()


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
    # With `any_word`: the words (or synonym phrases) typed that no service of the zorggebied
    # matches at all. Results then matched only the rest ("kapper aan huis" -> only "huis"):
    # a weak match, which the page says plainly and the demand side counts as unmet demand.
    unmatched: tuple[str, ...] = ()

    @property
    def weak(self) -> bool:
        return bool(self.unmatched)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


class _RegionSearcher:
    def __init__(self, ix, synonyms: SynonymIndex, vocabulary, cache: SearchCache):
        self.ix = ix
        self._vocabulary = vocabulary
        self.cache = cache
        self.searcher = ix.searcher()
        self.synonyms = synonyms
        self._reset()

    def _reset(self) -> None:
        reader = self.searcher.reader()
        self.token = next(_reader_tokens)  # names this reader's entries in the shared cache
        self.records, segments = records_for(reader)
        self.segments = segments
        self.generation = reader.generation()
        self._speller: Speller | None = None
        self._facets: FacetIndex | None = None
        self._deleted: dict[str, np.ndarray | None] = {}
        self.doc_count = reader.doc_count()
        self.doc_count_all = reader.doc_count_all()

    def refresh_if_changed(self) -> None:
        if not self.searcher.up_to_date():
            # A fresh reader, not `searcher.refresh()`: that one reuses the open reader of a
            # segment whose deletions changed, so deleted documents would still match.
            old, self.searcher = self.searcher, self.ix.searcher()
            old.close()
            self._reset()

    def use_synonyms(self, synonyms: SynonymIndex) -> None:
        """New synonyms: a new cache token, so no result found with the old ones is served."""
        self.synonyms = synonyms
        self.token = next(_reader_tokens)
        self._speller = None

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller(self.searcher.reader(), self._vocabulary(), self.synonyms.surface_words)
        return self._speller

    @property
    def facets(self) -> FacetIndex:
        if self._facets is None:
            self._facets = FacetIndex(self.records, self.searcher.reader().all_doc_ids(),
                                      self.cache, self.token)
        return self._facets

    def cached(self, kind: str, key):
        return self.cache.get((self.token, kind, key))

    def remember(self, kind: str, key, value, nbytes: int) -> None:
        self.cache.put((self.token, kind, key), value, nbytes)

    def correct(self, text: str) -> str | None:
        """The speller's correction of a text, remembered for this reader."""
        found = self.cached("fix", text)
        if found is None:
            found = (self.speller.correct(text),)
            self.remember("fix", text, found, 2 * BYTES_PER_ITEM)
        return found[0]

    def _deleted_mask(self, segreader) -> np.ndarray | None:
        key = segreader.segment().segment_id()
        if key not in self._deleted:
            deleted = segreader.deleted_docs_set if segreader.has_deletions() else ()
            mask = None
            if deleted:
                mask = np.zeros(segreader.doc_count_all(), dtype=bool)
                mask[np.fromiter(deleted, dtype=np.int64, count=len(deleted))] = True
            self._deleted[key] = mask
        return self._deleted[key]

    def term_scores(self, fieldname: str, text: str) -> TermScores:
        """{docnum: score} of one term, as Whoosh's own matcher and scorer would give them."""
        found = self.cached("term", (fieldname, text))
        if found is not None:
            return found
        scores: TermScores = {}
        searcher = self.searcher
        btext = searcher.schema[fieldname].to_bytes(text)
        if (fieldname, btext) in searcher.reader():
            docs, values = term_vector(searcher, fieldname, btext, self._deleted_mask, self.cache)
            scores = dict(zip(docs.tolist(), values.tolist(), strict=True))
        self.remember("term", (fieldname, text), scores, BYTES_PER_ITEM * (len(scores) + 2))
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

    def __init__(self, store: IndexStore, synonyms_for, cache: SearchCache):
        self.store = store
        self._synonyms_for = synonyms_for  # (slug, generation path) -> SynonymIndex
        self.cache = cache
        self._local = threading.local()

    # -- searcher pool -------------------------------------------------------------------
    def _pool(self):
        local = self._local
        path = self.store.current_path()
        if getattr(local, "path", None) != path or getattr(local, "pid", None) != _pid():
            for rs in getattr(local, "regions", {}).values():
                rs.close()
            local.path, local.pid, local.regions = path, _pid(), {}
        return local

    def region_searcher(self, slug: str) -> _RegionSearcher | None:
        pool = self._pool()
        if pool.path is None:
            return None
        rs = pool.regions.get(slug)
        synonyms = self._synonyms_for(slug, pool.path)
        if rs is None:
            generation = Generation(pool.path)
            if not generation.region_dir(slug).exists():
                return None
            rs = pool.regions[slug] = _RegionSearcher(
                generation.open_region(slug), synonyms,
                lambda: generation.read_vocabulary(slug), self.cache,
            )
        else:
            rs.refresh_if_changed()
            if rs.synonyms is not synonyms:  # a regisseur taught this zorggebied a word
                rs.use_synonyms(synonyms)
        forget_segments_except(set().union(*(r.segments for r in pool.regions.values())))
        return rs

    # -- searching -----------------------------------------------------------------------
    def search(self, slug: str, request: SearchRequest) -> SearchResult:
        rs = self.region_searcher(slug)
        if rs is None:
            return _empty(request)
        cached = rs.cached("result", request)
        if cached is not None:
            return cached
        result = self._search(rs, request)
        facets = result.facets
        size = (RESULT_BYTES_PER_HIT * len(result.hits)
                + BYTES_PER_ITEM * (len(facets.categories) + len(facets.municipalities) + 5))
        rs.remember("result", request, result, size)
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
        unmatched: tuple[str, ...] = ()
        if any_word and allowed:
            unmatched = tuple(" ".join(c.surface) for c in parsed.clauses
                              if _is_content(c) and not rs.evaluate(ParsedQuery((c,))))
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
            unmatched=unmatched,
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
                    key = lambda d: (distances.get(d, inf), records[d][SORT_NAME], d)
                else:
                    key = lambda d: (records[d][SORT_NAME], d)
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


def _is_content(clause) -> bool:
    """A clause that names a thing: not a number or a stray letter ("poetsen 2 uur")."""
    return any(w.isalpha() and len(w) >= 3 for w in clause.surface)


def _empty(request: SearchRequest) -> SearchResult:
    return SearchResult(0, request.page, request.per_page, [], FacetCounts(Counter(), Counter(), 0), "")


def _pid() -> int:
    return os.getpid()
