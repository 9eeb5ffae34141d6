"""Searching one zorggebied: query, typo fallback, filters, facets, ranking and paging.

Each worker process (and thread) keeps one open searcher per zorggebied, refreshed when the
index changed and reopened when `reindex` swapped generations. Term scores, result pages and
corrections are cached per reader (a new reader after every edit, so a cached page is never
stale), all in the process's one SearchCache (budget.py) with segment postings and distance
tables, so memory stays within one budget however many zorggebieden are searched.
"""

from __future__ import annotations

import gc
import os
import threading
from collections import Counter

import numpy as np

from . import areas
from .budget import BYTES_PER_ITEM, SearchCache
from .facets import (
    FacetCounts,
    forget_segments_except,
)
from .query import ParsedQuery, TermScores, parse
from .region_searcher import RegionSearcher, open_for_reading
from .results import Hit, SearchRequest, SearchResult
from .snippets import snippet
from .store import Generation, IndexStore
from .word_kinds import names_thing

# Estimated bytes of one cached result page per hit (display fields, snippet markup).
RESULT_BYTES_PER_HIT = 2000


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
            _freeze_once_per_process()
            local.path, local.pid, local.regions = path, _pid(), {}
        return local

    def region_searcher(self, slug: str) -> RegionSearcher | None:
        pool = self._pool()
        if pool.path is None:
            return None
        rs = pool.regions.get(slug)
        synonyms = self._synonyms_for(slug, pool.path)
        if rs is None:
            generation = Generation(pool.path)
            if not generation.region_dir(slug).exists():
                return None
            rs = pool.regions[slug] = RegionSearcher(
                open_for_reading(generation.region_dir(slug)),
                synonyms,
                lambda: generation.read_vocabulary(slug),
                self.cache,
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
        size = RESULT_BYTES_PER_HIT * len(result.hits) + BYTES_PER_ITEM * (
            len(facets.categories) + len(facets.municipalities) + 5
        )
        rs.remember("result", request, result, size)
        return result

    def _search(self, rs: RegionSearcher, request: SearchRequest) -> SearchResult:
        text = request.text.strip()
        parsed = parse(text, rs.synonyms)
        if parsed.is_empty:
            return self._browse(rs, request)
        scores, any_word, searched, not_home = self._match(rs, parsed)
        corrected_from = suggestion = None
        correction = rs.correct(text)
        if correction:
            corrected = parse(correction, rs.synonyms) if not scores or any_word else None
            found = self._match(rs, corrected) if corrected else None
            # Searched instead when the words as typed found nothing, or only services with
            # some of them and the correction finds services with all ("maaltijdn aan huis").
            if found and found[0] and (not scores or not found[1]):
                scores, any_word, searched, not_home = found
                corrected_from, text, parsed = text, correction, corrected
            elif scores:
                suggestion = correction
        unmatched, elsewhere, beside_the_point = self._unmet(
            rs, parsed, searched, scores, any_word, not_home
        )
        if beside_the_point:
            scores = {}  # nothing to list (see _unmet); the page says what was not found
        docs = np.fromiter(scores.keys(), dtype=np.int64, count=len(scores))
        allowed, facets, distances = rs.facets.filter_mask(docs, request.filters)
        keep = allowed[docs]
        docs = docs[keep]
        values = np.fromiter(scores.values(), dtype=np.float64, count=len(scores))[keep]
        offset = (request.page - 1) * request.per_page
        home = request.filters.home
        first = rs.facets.serving(home)[docs] if home else None
        docnums = top_docs(docs, values, offset + request.per_page, first)[offset:]
        parsed = searched
        return SearchResult(
            total=len(docs),
            page=request.page,
            per_page=request.per_page,
            hits=[_hit(rs, d, parsed, distances, request.filters.home) for d in docnums],
            facets=facets,
            searched_text=text,
            corrected_from=corrected_from,
            suggestion=suggestion,
            any_word=any_word and bool(len(docs)),
            query_categories=frozenset(c for clause in parsed.clauses for c in clause.categories),
            unmatched=unmatched,
            elsewhere=elsewhere,
            need_text=" ".join(" ".join(c.surface) for c in parsed.needs.clauses),
        )

    def _unmet(
        self, rs, parsed: ParsedQuery, searched: ParsedQuery, scores, any_word, not_home
    ) -> tuple[tuple[str, ...], int, bool]:
        """(what no service of the zorggebied offers, as typed; how many services offer the
        need only where the resident goes to them; whether the services found are beside the
        point and none should be listed).

        A missing detail ("kleding versteld", "te hoog") leaves the services found an answer;
        a missing thing ("rijbewijs halen") does not (word_kinds.py), and when only details
        matched ("halen") the services are beside the point. "kapper aan huis" with no
        hairdresser who comes to the home finds the one of the service centre: not what was
        asked, so the page offers it as a search of its own (`elsewhere`)."""
        if not scores or not (any_word or not_home):
            return (), 0, False
        missing = [
            c
            for c in searched.clauses
            if not c.at_home and _is_content(c) and not rs.evaluate(ParsedQuery((c,)))
        ]
        # A missing act that a service of the zorggebied turns away ("bomen vellen": "grote
        # bomen vellen doen we niet") is a need in its own right, like a missing thing.
        unmatched = tuple(
            " ".join(c.surface) for c in missing if _names_need(c) or rs.is_refused(c)
        )
        if unmatched:
            matched = [c for c in searched.clauses if c not in missing and not c.at_home]
            return unmatched, 0, not any(_names_need(c) for c in matched)
        if not_home:
            return (parsed.at_home_phrase,), len(scores), True
        return (), 0, False

    def _match(
        self, rs: RegionSearcher, parsed: ParsedQuery
    ) -> tuple[TermScores, bool, ParsedQuery, bool]:
        """(scores, any word, the query searched, only not at home).

        A query asking for a service at home ("kapper aan huis") is searched for services that
        come to the home; with none, for the need alone (a weak match: `only not at home`).
        With none either, nothing is found: "huis" alone would match many services, none of
        them a hairdresser. Only an at-home phrase with no need ("hulp aan huis" is a synonym,
        but "iets aan huis") is searched as plain words like any query."""
        scores, any_word = self._match_words(rs, parsed)
        if scores or not parsed.wants_home:
            return scores, any_word, parsed, False
        needs = parsed.needs
        scores, any_word = self._match_words(rs, needs)
        if scores or any(_is_content(c) for c in needs.clauses):
            return scores, any_word, needs, bool(scores)
        words_only = parsed.as_words
        return (*self._match_words(rs, words_only), words_only, False)

    def _match_words(self, rs: RegionSearcher, parsed: ParsedQuery) -> tuple[TermScores, bool]:
        """Scores of the services with every word; else, for several words, with any word.

        A few services with every word are followed by those with some of them, ranked below
        the last of the few: "gestreken hemden" finds the ironing service that never says
        "hemden" after the one that does. Not for an at-home query, whose services with only
        the need or only "aan huis" are no answer (see `_match`)."""
        scores = rs.evaluate(parsed)
        if len(parsed.needs.clauses) < 2:
            return scores, False
        if not scores:
            return rs.evaluate(parsed, match_all=False), True
        if len(scores) >= FEW_FULL_MATCHES or parsed.wants_home:
            return scores, False
        some = rs.evaluate(parsed, match_all=False)
        lift = max(some.values(), default=0.0) + 1.0
        padded = {d: s + lift for d, s in scores.items()}
        for d, s in some.items():
            padded.setdefault(d, s)
        return padded, False

    def _browse(self, rs: RegionSearcher, request: SearchRequest) -> SearchResult:
        """No words typed: every service passing the filters, nearest first or by name."""
        index = rs.facets
        allowed, facets, distances = index.filter_and_count(None, request.filters)
        offset = (request.page - 1) * request.per_page
        limit = offset + request.per_page
        docnums = index.browse_order(allowed, request.filters.origin, request.filters.home)[
            offset:limit
        ].tolist()
        empty = ParsedQuery(())
        return SearchResult(
            total=len(allowed),
            page=request.page,
            per_page=request.per_page,
            hits=[_hit(rs, d, empty, distances, request.filters.home) for d in docnums],
            facets=facets,
            searched_text="",
        )


# Fewer services than this with every word are followed by the services with some of them.
FEW_FULL_MATCHES = 5


def top_docs(
    docs: np.ndarray, scores: np.ndarray, limit: int, first: np.ndarray | None = None
) -> list[int]:
    """The `limit` best docnums in Whoosh's order: score descending, then docnum ascending.

    With `first` (a mask over `docs`: the services that come to the resident, areas.py), those
    come before the rest, each part in that order.
    """
    if first is not None and first.any():
        head = top_docs(docs[first], scores[first], limit)
        if len(head) >= limit:
            return head
        rest = ~first
        return head + top_docs(docs[rest], scores[rest], limit - len(head))
    if len(docs) > 4 * limit:
        # Only scores at or above the limit-th best can be on the page (ties included).
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        near = scores >= threshold
        docs, scores = docs[near], scores[near]
    return docs[np.lexsort((docs, -scores))][:limit].tolist()


def _hit(
    rs: RegionSearcher, docnum: int, parsed: ParsedQuery, distances, home: str | None = None
) -> Hit:
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
        comes_home=areas.comes_to(rs.records, docnum, home),
    )


def _names_need(clause) -> bool:
    """A clause that names what is needed: a taxonomy synonym, or a word for a thing."""
    return bool(clause.categories) or any(names_thing(w) for w in clause.surface)


def _is_content(clause) -> bool:
    """A clause that names a thing: not a number or a stray letter ("poetsen 2 uur")."""
    return any(w.isalpha() and len(w) >= 3 for w in clause.surface)


def _empty(request: SearchRequest) -> SearchResult:
    return SearchResult(
        0, request.page, request.per_page, [], FacetCounts(Counter(), Counter(), 0), ""
    )


_frozen_in: int | None = None


def _freeze_once_per_process() -> None:
    """Move what the process holds before its first search (modules, the app) out of the
    garbage collector's reach.

    Those ~120 000 objects never become garbage, yet every full collection walked them:
    80 of its 110 ms of CPU at 100 000 services, a stall that lands on some resident's
    request. Once per process (a gunicorn worker after its fork), after one collection, so
    nothing that is garbage now stays for good."""
    global _frozen_in
    if _frozen_in != _pid():
        _frozen_in = _pid()
        gc.collect()
        gc.freeze()


def _pid() -> int:
    return os.getpid()
