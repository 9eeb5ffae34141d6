"""Per-document facet records read in bulk from the index's `facets` column.

Segments never change once written (deletions are kept apart), so records are cached per
segment: after an edit only the new small segment is read.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .budget import BYTES_PER_ITEM, SearchCache
from .schema import unpack_facets

CATS, MUNIS, DC, LAT, LON, CHECKED, SORT_NAME = range(7)

_segment_cache: dict[str, list[tuple]] = {}


def _segment_records(segreader) -> list[tuple]:
    key = segreader.segment().segment_id()
    records = _segment_cache.get(key)
    if records is None:
        if segreader.has_column("facets"):
            # Most documents share their set of categories and of municipalities: one
            # frozenset object per distinct set (a frozenset costs 200+ bytes).
            shared: dict[frozenset, frozenset] = {}
            records = []
            for raw in segreader.column_reader("facets"):
                cats, munis, *rest = unpack_facets(raw)
                records.append((shared.setdefault(cats, cats), shared.setdefault(munis, munis),
                                *rest))
        else:
            records = [unpack_facets(b"||0|||0|")] * segreader.doc_count_all()
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


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(math.sqrt(a))


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
    """Distances by docnum for one origin, read like the dict `filter_and_count` returns."""

    __slots__ = ("_km",)

    def __init__(self, km: list):
        self._km = km

    def get(self, doc: int, default=None):
        d = self._km[doc]
        return default if d is None else d

    def __getitem__(self, doc: int) -> float:
        d = self._km[doc]
        if d is None:
            raise KeyError(doc)
        return d

    def __contains__(self, doc: int) -> bool:
        return self._km[doc] is not None


class FacetIndex:
    """Docnum sets per category, municipality and dienstencheques for one reader.

    Gives the same answers as `filter_and_count`, but with set operations (C speed) instead
    of a Python loop over every candidate: built once per reader, i.e. per index change.
    """

    def __init__(self, records: list[tuple], live_docs, cache: SearchCache | None = None,
                 token: int = 0):
        self.records = records
        # Distance tables, orders and filtered sets live in the process's one search cache.
        self.cache = cache if cache is not None else SearchCache(64 * 1024 * 1024)
        self.token = token
        self.live = frozenset(live_docs)
        by_cat: dict[str, set[int]] = {}
        by_muni: dict[str, set[int]] = {}
        dc: set[int] = set()
        for doc in self.live:
            rec = records[doc]
            for c in rec[CATS]:
                by_cat.setdefault(c, set()).add(doc)
            for m in rec[MUNIS]:
                by_muni.setdefault(m, set()).add(doc)
            if rec[DC]:
                dc.add(doc)
        self.by_cat = {k: frozenset(v) for k, v in by_cat.items()}
        self.by_muni = {k: frozenset(v) for k, v in by_muni.items()}
        self.dc = frozenset(dc)
        self._cat_postings = sum(len(v) for v in self.by_cat.values())
        self._muni_postings = sum(len(v) for v in self.by_muni.values())

    def _cached(self, kind: str, key, build, per_item: int = BYTES_PER_ITEM):
        full = (self.token, kind, key)
        found = self.cache.get(full)
        if found is None:
            found = build()
            self.cache.put(full, found, per_item * (len(found) + 2))
        return found

    # -- cached building blocks ------------------------------------------------------------
    def visible(self, checked_since: int) -> frozenset[int]:
        records = self.records
        return self._cached("visible", checked_since, lambda: frozenset(
            d for d in self.live if records[d][CHECKED] >= checked_since))

    def distances(self, origin: tuple[float, float]) -> list:
        """Distance per docnum (None without coordinates), for every document."""
        lat0, lon0 = origin
        return self._cached("distances", origin, lambda: [
            None if rec[LAT] is None else distance_km(lat0, lon0, rec[LAT], rec[LON])
            for rec in self.records
        ])

    def within(self, origin: tuple[float, float], km: float) -> frozenset[int]:
        def build() -> frozenset[int]:
            dist = self.distances(origin)
            return frozenset(d for d in self.live if dist[d] is not None and dist[d] <= km)

        return self._cached("within", (origin, km), build)

    def name_order(self) -> list[int]:
        """Live docnums by (sort name, docnum): the browse order without an origin."""
        records = self.records
        return self._cached("name_order", None, lambda: sorted(
            self.live, key=lambda d: (records[d][SORT_NAME], d)), per_item=16)

    def origin_order(self, origin: tuple[float, float]) -> list[int]:
        """Live docnums by (distance or inf, sort name, docnum): the browse order near an origin."""
        def build() -> list[int]:
            dist, records = self.distances(origin), self.records
            inf = float("inf")
            return sorted(
                self.live,
                key=lambda d: (inf if dist[d] is None else dist[d], records[d][SORT_NAME], d),
            )

        return self._cached("origin_order", origin, build, per_item=16)

    # -- filtering and counting ------------------------------------------------------------
    @staticmethod
    def _union(index: dict[str, frozenset[int]], keys) -> frozenset[int]:
        sets = [index.get(k, frozenset()) for k in keys]
        return sets[0] if len(sets) == 1 else frozenset().union(*sets)

    @staticmethod
    def _count(base: frozenset[int], index: dict[str, frozenset[int]], postings: int,
               records, field: int) -> Counter:
        counts: Counter = Counter()
        if len(base) * 4 < postings:
            for doc in base:
                counts.update(records[doc][field])
        else:
            for key, docs in index.items():
                n = len(base & docs)
                if n:
                    counts[key] = n
        return counts

    def filter_and_count(self, candidates, filters: Filters):
        """Like `filter_and_count`: (allowed docnums as a set, facet counts, distances).

        `candidates` is a set of live docnums, or None for every live document.
        """
        base = self.visible(filters.checked_since)
        if candidates is not None:
            base = base & candidates if len(candidates) < len(base) else candidates & base
        distances: dict | _Distances = {}
        if filters.origin is not None:
            distances = _Distances(self.distances(filters.origin))
            if filters.km is not None:
                near = self.within(filters.origin, filters.km)
                if filters.home is not None:  # areas.py: serving home counts as near
                    near = near | self.by_muni.get(filters.home, frozenset())
                base = base & near
        base = frozenset(base)
        cat_ok = self._union(self.by_cat, filters.categories) if filters.categories else None
        muni_ok = self._union(self.by_muni, filters.municipalities) if filters.municipalities else None
        dc_ok = self.dc if filters.dienstencheques else None

        def restrict(*sets):
            out = base
            for s in sets:
                if s is not None:
                    out = out & s
            return out

        cat_counts = self._count(
            restrict(muni_ok, dc_ok), self.by_cat, self._cat_postings, self.records, CATS
        )
        muni_counts = self._count(
            restrict(cat_ok, dc_ok), self.by_muni, self._muni_postings, self.records, MUNIS
        )
        both = restrict(cat_ok, muni_ok)
        dc_count = len(both & self.dc)
        allowed = both & dc_ok if dc_ok is not None else both
        return allowed, FacetCounts(cat_counts, muni_counts, dc_count), distances
