"""Term postings read a block at a time and scored with numpy.

Whoosh scores a term's postings one document at a time in Python (a matcher step, a column
lookup for the field length and a BM25 call per posting): a third of a search's time. Here a
segment's postings of a term are read once as arrays (document numbers, term frequencies and
field lengths) and kept in the process's search cache; segments never change, so the arrays
stay valid across edits, and only the new small segment of an edit is read again. Scoring a
term is then one vectorised BM25 over those arrays with the index's current statistics, in
the same order of operations as Whoosh's `bm25()`, so the scores are bit for bit Whoosh's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.util.numeric import byte_to_length

from .budget import SearchCache

# Whoosh stores a field length as one byte; this is its decoding table.
_LENGTH_OF_BYTE = np.array([byte_to_length(b) or 0 for b in range(256)], dtype=np.float64)


@dataclass(frozen=True)
class SegmentPostings:
    """Kept compact, 9 bytes a posting instead of 24, so that the cache budget holds more
    terms; each value converts exactly to the float64 Whoosh scores with."""

    docs: np.ndarray  # int32: segment-local docnums, ascending (deleted documents included)
    weights: np.ndarray  # float32: term frequency per posting (small whole numbers)
    length_bytes: np.ndarray  # uint8: the field's length in each document, as Whoosh stores it

    @property
    def lengths(self) -> np.ndarray:
        return _LENGTH_OF_BYTE[self.length_bytes]

    @property
    def nbytes(self) -> int:
        return self.docs.nbytes + self.weights.nbytes + self.length_bytes.nbytes + 200


_EMPTY = SegmentPostings(np.zeros(0, np.int32), np.zeros(0, np.float32), np.zeros(0, np.uint8))


def _field_length_bytes(segreader, fieldname: str, cache: SearchCache) -> np.ndarray:
    key = ("lengths", segreader.segment().segment_id(), fieldname)
    found = cache.get(key)
    if found is None:
        column = segreader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        found = (
            np.zeros(segreader.doc_count_all(), np.uint8)
            if column is None
            else np.fromiter(column, dtype=np.uint8, count=segreader.doc_count_all())
        )
        cache.put(key, found, found.nbytes + 100)
    return found


def _read(segreader, fieldname: str, btext: bytes, cache: SearchCache) -> SegmentPostings:
    if (fieldname, btext) not in segreader:
        return _EMPTY
    matcher = segreader._terms.matcher(fieldname, btext, segreader.schema[fieldname].format)
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    while matcher.is_active():
        if matcher._ids is None:
            matcher._read_ids()
        if matcher._weights is None:
            matcher._read_weights()
        ids.append(np.asarray(matcher._ids, dtype=np.int32))
        weights.append(np.asarray(matcher._weights, dtype=np.float64))
        matcher._next_block()
    if not ids:
        return _EMPTY
    docs = np.concatenate(ids)
    tf = np.concatenate(weights)
    compact = tf.astype(np.float32)
    if not np.array_equal(compact, tf):  # never for term counts; stay exact if it happens
        compact = tf
    return SegmentPostings(docs, compact, _field_length_bytes(segreader, fieldname, cache)[docs])


def segment_postings(
    segreader, fieldname: str, btext: bytes, cache: SearchCache
) -> SegmentPostings:
    key = ("postings", segreader.segment().segment_id(), fieldname, btext)
    found = cache.get(key)
    if found is None:
        found = _read(segreader, fieldname, btext, cache)
        cache.put(key, found, found.nbytes)
    return found


def term_vector(searcher, fieldname: str, btext: bytes, deleted, cache: SearchCache):
    """(docnums, scores) of one term over all live documents, as Whoosh would score them.

    `deleted(segreader)` gives a segment's boolean mask of deleted documents, or None.
    """
    scorer = searcher.weighting.scorer(searcher, fieldname, btext)
    docs_parts: list[np.ndarray] = []
    tf_parts: list[np.ndarray] = []
    fl_parts: list[np.ndarray] = []
    for segreader, offset in searcher.reader().leaf_readers():
        if segreader.segment() is None:
            continue
        p = segment_postings(segreader, fieldname, btext, cache)
        if not len(p.docs):
            continue
        mask = deleted(segreader)
        if mask is not None:
            keep = ~mask[p.docs]
            docs_parts.append(p.docs[keep].astype(np.int64) + offset)
            tf_parts.append(p.weights[keep])
            fl_parts.append(p.length_bytes[keep])
        else:
            docs_parts.append(p.docs.astype(np.int64) + offset)
            tf_parts.append(p.weights)
            fl_parts.append(p.length_bytes)
    if not docs_parts:
        return np.zeros(0, np.int64), np.zeros(0)
    docs = np.concatenate(docs_parts)
    tf = np.concatenate(tf_parts).astype(np.float64)
    if isinstance(scorer, BM25FScorer):
        idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
        fl = _LENGTH_OF_BYTE[np.concatenate(fl_parts)]
        # whoosh.scoring.bm25, operation for operation.
        return docs, idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))
    if isinstance(scorer, WeightScorer):
        return docs, tf
    raise TypeError(f"no bulk scoring for {type(scorer).__name__}")
