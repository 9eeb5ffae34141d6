"""Service areas as residents mean them: "comes to me, or is near me".

A service is found by the municipalities it *serves* (the `munis` of its facet record); the
provider's office is only one fact. When a resident gives a postcode or a municipality, that
municipality is their *home* (`Filters.home`): services that serve it pass any distance limit
and are listed first, then the services within the distance asked, nearest first. The engine
calls the functions below; `FacetIndex.filter_and_count` lets serving home pass `km`.
"""
from __future__ import annotations

from .budget import BYTES_PER_ITEM
from .facets import MUNIS, FacetIndex


def serving(index: FacetIndex, home: str | None) -> frozenset[int]:
    """Live docnums of the services that come to the resident's municipality."""
    return index.by_muni.get(home, frozenset()) if home else frozenset()


def comes_to(records: list[tuple], docnum: int, home: str | None) -> bool:
    return home is not None and home in records[docnum][MUNIS]


def rank_key(index: FacetIndex, home: str | None, scores):
    """Key for `heapq.nlargest`: services that serve home before the others, then the score."""
    if not home:
        return scores.__getitem__
    serves = serving(index, home)
    return lambda d: (d in serves, scores[d])


def home_first_order(index: FacetIndex, origin: tuple[float, float], home: str) -> list[int]:
    """The browse order with a home: those that serve it, then the rest, each nearest first."""
    key = (index.token, "home_order", (origin, home))
    order = index.cache.get(key)
    if order is None:
        serves = serving(index, home)
        nearest = index.origin_order(origin)
        order = [d for d in nearest if d in serves] + [d for d in nearest if d not in serves]
        index.cache.put(key, order, 16 * (len(order) + 2) + BYTES_PER_ITEM)
    return order
