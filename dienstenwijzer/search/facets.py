"""Per-document facet records read in bulk from the index's `facets` column.

Segments never change once written (deletions are kept apart), so records are cached per
segment: after an edit only the new small segment is read.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .budget import SearchCache
from .schema import unpack_facets

CATS, MUNIS, DC, LAT, LON, CHECKED, SORT_NAME = range(7)

_segment_cache: dict[str, list[tuple]] = {}


def _segment_records(segreader) -> list[tuple]:
    key = segreader.segment().segment_id()
    records = _segment_cache.get(key)
    if records is None:
        # Categories and municipalities as sorted tuples of strings, not frozensets: a tuple
        # of atoms is untracked by the garbage collector, so 100 000 records no longer make
        # every full collection walk them (665 ms pauses at a load of 11). Most documents
        # share their sets: one tuple object per distinct set.
        shared: dict[frozenset, tuple] = {}

        def one(values: frozenset) -> tuple:
            found = shared.get(values)
            if found is None:
                found = shared[values] = tuple(sorted(values))
            return found

        if segreader.has_column("facets"):
            records = []
            for raw in segreader.column_reader("facets"):
                cats, munis, *rest = unpack_facets(raw)
                records.append((one(cats), one(munis), *rest))
        else:
            cats, munis, *rest = unpack_facets(b"||0|||0|")
            records = [(one(cats), one(munis), *rest)] * segreader.doc_count_all()
        _segment_cache[key] = records
    return records


def records_for(reader) -> tuple[list[tuple], set[str]]:
    """Records indexed by docnum over all segments, and the segment keys they came from."""
    records: list[tuple] = []
    keys = set()
    for segreader, _offset in reader.leaf_readers():
        if segreader.segment() is None:  # EmptyReader: a zorggebied without services yet
            continue
        records.extend(_segment_records(segreader))
        keys.add(segreader.segment().segment_id())
    return records, keys


def forget_segments_except(keep: set[str]) -> None:
    for key in list(_segment_cache):
        if key not in keep:
            del _segment_cache[key]


def haversine_km(lat1: float, lon1: float, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distances from one point to many (NaN in, NaN out)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 12742.0 * np.arcsin(np.sqrt(a))


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), bit for bit what `haversine_km` gives in bulk."""
    return float(haversine_km(lat1, lon1, np.array([lat2]), np.array([lon2]))[0])


@dataclass(frozen=True)
class Filters:
    categories: frozenset[str] = frozenset()  # any of these
    municipalities: frozenset[str] = frozenset()  # NIS codes, any of these
    dienstencheques: bool = False
    origin: tuple[float, float] | None = None
    km: float | None = None
    checked_since: int = 0  # ordinal date: older services are hidden from residents
    # The resident's municipality (NIS code): services serving it pass `km` (areas.py).
    home: str | None = None


@dataclass
class FacetCounts:
    categories: Counter
    municipalities: Counter
    dienstencheques: int


def filter_and_count(
    records: list[tuple], candidates, filters: Filters
) -> tuple[list[int], FacetCounts, dict[int, float]]:
    """Docnums that pass every filter, facet counts, and distances when an origin is given.

    Each facet is counted over the documents that pass all *other* filters, so choosing a
    category still shows how many results the other categories would give.
    """
    cats, munis = filters.categories, filters.municipalities
    origin, km = filters.origin, filters.km
    cat_counts: Counter = Counter()
    muni_counts: Counter = Counter()
    dc_count = 0
    allowed: list[int] = []
    distances: dict[int, float] = {}
    for doc in candidates:
        rec = records[doc]
        if rec[CHECKED] < filters.checked_since:
            continue
        if origin is not None:
            comes_home = filters.home is not None and filters.home in rec[MUNIS]
            if rec[LAT] is None:
                if km is not None and not comes_home:
                    continue
            else:
                d = distance_km(origin[0], origin[1], rec[LAT], rec[LON])
                if km is not None and d > km and not comes_home:
                    continue
                distances[doc] = d
        cat_ok = not cats or not cats.isdisjoint(rec[CATS])
        muni_ok = not munis or not munis.isdisjoint(rec[MUNIS])
        dc_ok = not filters.dienstencheques or rec[DC]
        if muni_ok and dc_ok:
            cat_counts.update(rec[CATS])
        if cat_ok and dc_ok:
            muni_counts.update(rec[MUNIS])
        if cat_ok and muni_ok:
            if rec[DC]:
                dc_count += 1
            if dc_ok:
                allowed.append(doc)
    return allowed, FacetCounts(cat_counts, muni_counts, dc_count), distances


class _Distances:
    """Distances by docnum for one origin (NaN: no coordinates), read like a dict."""

    __slots__ = ("_km",)

    def __init__(self, km: np.ndarray):
        self._km = km

    def get(self, doc: int, default=None):
        d = self._km[doc]
        return default if math.isnan(d) else float(d)  # NaN: no coordinates

    def __getitem__(self, doc: int) -> float:
        d = self.get(doc)
        if d is None:
            raise KeyError(doc)
        return d

    def __contains__(self, doc: int) -> bool:
        return self.get(doc) is not None


class FacetIndex:
    """The facet records of one reader as numpy arrays, for filtering and counting in bulk.

    Gives the same answers as `filter_and_count`, but with array operations over the
    documents instead of a Python loop or Python sets: categories and municipalities are kept
    as (docnum, value) pairs, so a count is one `bincount` over the pairs of the documents
    that pass. Built once per reader, i.e. per index change; its arrays are charged to the
    process's search cache, whose budget then covers them.
    """

    def __init__(
        self, records: list[tuple], live_docs, cache: SearchCache | None = None, token: int = 0
    ):
        self.records = records
        # Distance tables and name ranks live in the process's one search cache.
        self.cache = cache if cache is not None else SearchCache(64 * 1024 * 1024)
        self.token = token
        n = len(records)
        self.size = n
        live = np.fromiter(live_docs, dtype=np.int64)
        self.live = np.zeros(n, dtype=bool)
        self.live[live] = True
        self.live_count = len(live)
        self.cat_names, self.cat_doc, self.cat_idx = _pairs(records, CATS)
        self.muni_names, self.muni_doc, self.muni_idx = _pairs(records, MUNIS)
        self._cat_of = {c: i for i, c in enumerate(self.cat_names)}
        self._muni_of = {m: i for i, m in enumerate(self.muni_names)}
        self.dc = np.fromiter((bool(r[DC]) for r in records), dtype=bool, count=n)
        self.checked = np.fromiter((r[CHECKED] for r in records), dtype=np.int64, count=n)
        nan = float("nan")
        self.lat = np.fromiter((nan if r[LAT] is None else r[LAT] for r in records), np.float64, n)
        self.lon = np.fromiter((nan if r[LON] is None else r[LON] for r in records), np.float64, n)

    @property
    def nbytes(self) -> int:
        arrays = (
            self.live,
            self.cat_doc,
            self.cat_idx,
            self.muni_doc,
            self.muni_idx,
            self.dc,
            self.checked,
            self.lat,
            self.lon,
        )
        return sum(a.nbytes for a in arrays) + 100 * (len(self.cat_names) + len(self.muni_names))

    def _cached(self, kind: str, key, build):
        full = (self.token, kind, key)
        found = self.cache.get(full)
        if found is None:
            found = build()
            self.cache.put(full, found, found.nbytes + 100)
        return found

    # -- cached building blocks ------------------------------------------------------------
    def distances(self, origin: tuple[float, float]) -> np.ndarray:
        """Distance in km per docnum (NaN without coordinates), for every document."""
        return self._cached(
            "distances", origin, lambda: haversine_km(origin[0], origin[1], self.lat, self.lon)
        )

    def name_rank(self) -> np.ndarray:
        """Each docnum's place in the order (sort name, docnum): the browse order by name."""

        def build() -> np.ndarray:
            records = self.records
            order = sorted(range(self.size), key=lambda d: (records[d][SORT_NAME], d))
            rank = np.empty(self.size, dtype=np.int64)
            rank[np.array(order, dtype=np.int64)] = np.arange(self.size)
            return rank

        return self._cached("name_rank", None, build)

    def serving(self, municipality: str) -> np.ndarray:
        """Mask of the documents whose service comes to `municipality` (serves it)."""
        return self._cached(
            "serving",
            municipality,
            lambda: self._with_any((municipality,), self._muni_of, self.muni_doc, self.muni_idx),
        )

    def browse_order(
        self, allowed: np.ndarray, origin: tuple[float, float] | None, home: str | None = None
    ) -> np.ndarray:
        """`allowed` docnums by (distance or inf, sort name, docnum), or by (sort name, docnum);
        with a `home`, the services that come there first (areas.py)."""
        rank = self.name_rank()[allowed]
        if origin is None:
            return allowed[np.argsort(rank, kind="stable")]
        dist = self.distances(origin)[allowed]
        dist = np.where(np.isnan(dist), np.inf, dist)
        if home is None:
            return allowed[np.lexsort((rank, dist))]
        return allowed[np.lexsort((rank, dist, ~self.serving(home)[allowed]))]

    # -- filtering and counting ------------------------------------------------------------
    def _with_any(
        self, names, index: dict[str, int], docs: np.ndarray, idx: np.ndarray
    ) -> np.ndarray:
        wanted = [index[k] for k in names if k in index]
        mask = np.zeros(self.size, dtype=bool)
        if wanted:
            mask[docs[np.isin(idx, wanted)]] = True
        return mask

    @staticmethod
    def _count(mask: np.ndarray, names: list[str], docs: np.ndarray, idx: np.ndarray) -> Counter:
        counts = np.bincount(idx[mask[docs]], minlength=len(names))
        return Counter({names[i]: int(counts[i]) for i in np.flatnonzero(counts)})

    def candidate_mask(self, candidates) -> np.ndarray:
        """A boolean mask over docnums from an array or a collection of docnums."""
        mask = np.zeros(self.size, dtype=bool)
        if isinstance(candidates, np.ndarray):
            mask[candidates] = True
        elif len(candidates):
            mask[np.fromiter(candidates, dtype=np.int64, count=len(candidates))] = True
        return mask

    def filter_mask(self, candidates, filters: Filters):
        """(mask of the documents that pass every filter, facet counts, distances).

        `candidates` is a boolean mask, an array or a collection of live docnums, or None for
        every live document.
        """
        base = self.live & (self.checked >= filters.checked_since)
        if candidates is not None:
            if not (isinstance(candidates, np.ndarray) and candidates.dtype == bool):
                candidates = self.candidate_mask(candidates)
            base &= candidates
        distances: dict | _Distances = {}
        if filters.origin is not None:
            km = self.distances(filters.origin)
            distances = _Distances(km)
            if filters.km is not None:
                with np.errstate(invalid="ignore"):
                    near = km <= filters.km  # NaN (no coordinates) is never within reach
                if filters.home is not None:  # areas.py: serving home counts as near
                    near = near | self.serving(filters.home)
                base &= near
        cat_ok = (
            self._with_any(filters.categories, self._cat_of, self.cat_doc, self.cat_idx)
            if filters.categories
            else None
        )
        muni_ok = (
            self._with_any(filters.municipalities, self._muni_of, self.muni_doc, self.muni_idx)
            if filters.municipalities
            else None
        )
        dc_ok = self.dc if filters.dienstencheques else None

        def restrict(*masks):
            out = base
            for m in masks:
                if m is not None:
                    out = out & m
            return out

        cat_counts = self._count(
            restrict(muni_ok, dc_ok), self.cat_names, self.cat_doc, self.cat_idx
        )
        muni_counts = self._count(
            restrict(cat_ok, dc_ok), self.muni_names, self.muni_doc, self.muni_idx
        )
        both = restrict(cat_ok, muni_ok)
        dc_count = int(np.count_nonzero(both & self.dc))
        allowed = both & dc_ok if dc_ok is not None else both
        return allowed, FacetCounts(cat_counts, muni_counts, dc_count), distances

    def filter_and_count(self, candidates, filters: Filters):
        """Like `filter_and_count`: (allowed docnums, ascending, as an array; counts; distances)."""
        allowed, counts, distances = self.filter_mask(candidates, filters)
        return np.flatnonzero(allowed), counts, distances


def _pairs(records: list[tuple], field: int) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The (docnum, value number) pairs of a set-valued field, and the values' names."""
    names: dict[str, int] = {}
    docs: list[int] = []
    idx: list[int] = []
    for doc, rec in enumerate(records):
        for value in rec[field]:
            docs.append(doc)
            idx.append(names.setdefault(value, len(names)))
    return list(names), np.array(docs, dtype=np.int64), np.array(idx, dtype=np.int32)
