"""Per-document facet records read in bulk from the index's `facets` column.

Segments never change once written (deletions are kept apart), so records are cached per
segment: after an edit only the new small segment is read.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from .schema import unpack_facets

CATS, MUNIS, DC, LAT, LON, CHECKED, SORT_NAME = range(7)

_segment_cache: dict[str, list[tuple]] = {}


def _segment_records(segreader) -> list[tuple]:
    key = segreader.segment().segment_id()
    records = _segment_cache.get(key)
    if records is None:
        if segreader.has_column("facets"):
            records = [unpack_facets(raw) for raw in segreader.column_reader("facets")]
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
            if rec[LAT] is None:
                if km is not None:
                    continue
            else:
                d = distance_km(origin[0], origin[1], rec[LAT], rec[LON])
                if km is not None and d > km:
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
