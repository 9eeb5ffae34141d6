"""One zorggebied's open index in one worker thread: its reader, cached term scores, facets
and speller.

A new reader after every edit (see `refresh_if_changed`), so a cached page is never stale; all
caches live in the process's one SearchCache (budget.py), named by the reader's token.
"""

from __future__ import annotations

import itertools
import weakref

import numpy as np
from whoosh.filedb.filestore import FileStorage

from .budget import BYTES_PER_ITEM, SearchCache
from .facets import FacetIndex, records_for
from .postings import term_vector
from .query import ParsedQuery, TermScores, evaluate, to_whoosh
from .spelling import Speller
from .synonyms import SynonymIndex

_reader_tokens = itertools.count()


class RegionSearcher:
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


def open_for_reading(path):
    """A region's index, read through its files rather than through mmap.

    With mmap, Whoosh wraps every sub-file of a compound segment it opens in a BytesIO, which
    copies it: postings, stored fields and columns of every open segment, 60+ MB per worker at
    100 000 services, on top of the mapped pages. Plain file reads copy only what is read.
    """
    return FileStorage(str(path), supports_mmap=False, readonly=True).open_index()
