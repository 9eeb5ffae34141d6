"""Searching one zorggebied: query, typo fallback, filters, facets, ranking and paging.

Each worker process (and thread) keeps one open searcher per zorggebied, refreshed when the
index changed and reopened when `reindex` swapped generations. Term scores, result pages and
corrections are cached per reader (a new reader after every edit, so a cached page is never
stale), all in the process's one SearchCache (budget.py) with segment postings and distance
tables, so memory stays within one budget however many zorggebieden are searched.
"""

from __future__ import annotations

import gc
import itertools
import os
import threading
import weakref
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from markupsafe import Markup
from whoosh.filedb.filestore import FileStorage

from . import areas
from .budget import BYTES_PER_ITEM, SearchCache
from .facets import (
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
from .word_kinds import names_thing

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
    comes_home: bool = False  # serves the resident's municipality (Filters.home, areas.py)


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
    # "kapper aan huis" with no hairdresser who comes to the home: how many services offer the
    # need where the resident goes to them, found by searching `need_text` alone.
    elsewhere: int = 0
    need_text: str = ""

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
        self._closer: weakref.finalize | None = None
        self._use(ix.searcher())
        self.synonyms = synonyms
        self._reset()

    def _reset(self) -> None:
        reader = self.searcher.reader()
        self.token = next(_reader_tokens)  # names this reader's entries in the shared cache
        self.records, segments = records_for(reader)
        self.segments = segments
        self.generation = reader.generation()
        self._speller: Speller | None = None
        self._deleted: dict[str, np.ndarray | None] = {}
        self.doc_count = reader.doc_count()
        self.doc_count_all = reader.doc_count_all()

    def refresh_if_changed(self) -> None:
        if not self.searcher.up_to_date():
            # A fresh reader, not `searcher.refresh()`: that one reuses the open reader of a
            # segment whose deletions changed, so deleted documents would still match.
            self._use(self.ix.searcher())
            self._reset()

    def use_synonyms(self, synonyms: SynonymIndex) -> None:
        """New synonyms: a new cache token, so no result found with the old ones is served."""
        self.synonyms = synonyms
        self.token = next(_reader_tokens)
        self._speller = None

    @property
    def speller(self) -> Speller:
        if self._speller is None:
            self._speller = Speller(
                self.searcher.reader(), self._vocabulary(), self.synonyms.surface_words
            )
        return self._speller

    @property
    def facets(self) -> FacetIndex:
        # Kept in the shared cache, not on the searcher, so that its arrays count against the
        # budget and leave with the least recently searched zorggebieden.
        found = self.cached("facets", None)
        if found is None:
            found = FacetIndex(
                self.records, self.searcher.reader().all_doc_ids(), self.cache, self.token
            )
            self.remember("facets", None, found, found.nbytes)
        return found

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

    def is_refused(self, clause) -> bool:
        """Whether some service of the zorggebied says it does not do what the clause names."""
        reader = self.searcher.reader()
        return any(reader.doc_frequency("refused", forms[0]) for forms in clause.forms if forms)

    def _use(self, searcher) -> None:
        """Read with `searcher` from now on; close the one before.

        The segment files stay open while a reader lives (no mmap, see `open_for_reading`), so
        a searcher dropped with its thread or app is closed too, not left to the garbage
        collector."""
        if self._closer is not None:
            self._closer()
        self.searcher = searcher
        self._closer = weakref.finalize(self, searcher.close)

    def close(self) -> None:
        if self._closer is not None:
            self._closer()


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

    def _search(self, rs: _RegionSearcher, request: SearchRequest) -> SearchResult:
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
        self, rs: _RegionSearcher, parsed: ParsedQuery
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

    def _match_words(self, rs: _RegionSearcher, parsed: ParsedQuery) -> tuple[TermScores, bool]:
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

    def _browse(self, rs: _RegionSearcher, request: SearchRequest) -> SearchResult:
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


def open_for_reading(path):
    """A region's index, read through its files rather than through mmap.

    With mmap, Whoosh wraps every sub-file of a compound segment it opens in a BytesIO, which
    copies it: postings, stored fields and columns of every open segment, 60+ MB per worker at
    100 000 services, on top of the mapped pages. Plain file reads copy only what is read.
    """
    return FileStorage(str(path), supports_mmap=False, readonly=True).open_index()


def _hit(
    rs: _RegionSearcher, docnum: int, parsed: ParsedQuery, distances, home: str | None = None
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
