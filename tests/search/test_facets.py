"""Facet records as arrays: distances and browsing as residents see them, memory in the budget."""

import gc
import weakref

from flask import current_app

from dienstenwijzer import search
from dienstenwijzer.search import Filters, SearchRequest
from dienstenwijzer.search.facets import FacetIndex, distance_km
from tests.conftest import service_row

GENT = (51.05, 3.72)


def _region_searcher(slug: str):
    return current_app.extensions["search"].engine.region_searcher(slug)


def test_a_shown_distance_is_the_one_the_distance_filter_used(app, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="near", naam="Poetsdienst dichtbij", postcode="9000", gemeente="Gent"
            ),
            service_row(
                extern_id="far", naam="Poetsdienst verder", postcode="9052", gemeente="Gent"
            ),
        ],
    )
    shown = search.search("gent", SearchRequest(text="poetsdienst", filters=Filters(origin=GENT)))
    by_name = {h.name: h.distance_km for h in shown.hits}
    assert len(by_name) == 2 and all(d is not None for d in by_name.values())
    # A radius exactly at a service's distance keeps it: the filter and the page agree.
    for name, km in by_name.items():
        within = search.search(
            "gent", SearchRequest(text="poetsdienst", filters=Filters(origin=GENT, km=km))
        )
        assert name in {h.name for h in within.hits}
        assert {h.name: h.distance_km for h in within.hits}[name] == km
    rs = _region_searcher("gent")
    lat, lon = rs.records[0][3], rs.records[0][4]
    assert distance_km(GENT[0], GENT[1], lat, lon) == rs.facets.distances(GENT)[0]


def test_browsing_near_a_place_lists_services_without_coordinates_last():
    # (categories, municipalities, dienstencheques, lat, lon, checked, sort name) per docnum
    records = [
        (("poetsen",), ("44021",), True, None, None, 10, "aaa zonder adres"),
        (("poetsen",), ("44021",), False, 51.06, 3.73, 10, "ccc"),
        (("babysit",), ("44021",), False, 51.05, 3.72, 10, "bbb"),
        (("poetsen",), ("44021",), True, 51.06, 3.73, 10, "bbb"),
    ]
    index = FacetIndex(records, range(4))
    allowed, counts, distances = index.filter_and_count(None, Filters(origin=GENT))
    # Nearest first; equal distance by name, then docnum; no coordinates last.
    assert index.browse_order(allowed, GENT).tolist() == [2, 3, 1, 0]
    assert index.browse_order(allowed, None).tolist() == [0, 2, 3, 1]
    assert distances.get(0) is None and distances.get(2) == 0.0
    assert dict(counts.categories) == {"poetsen": 3, "babysit": 1}
    within, counts, _ = index.filter_and_count(
        None, Filters(origin=GENT, km=50.0, dienstencheques=True)
    )
    assert within.tolist() == [3]  # no coordinates: never within reach
    assert counts.dienstencheques == 1


def test_the_facet_arrays_count_against_the_cache_budget_and_leave_with_it(app, add_services):
    add_services("gent", [service_row(extern_id=str(i), naam=f"Hulp {i}") for i in range(30)])
    cache = current_app.extensions["search"].cache
    search.search("gent", SearchRequest(text="hulp"))
    index = _region_searcher("gent").facets
    assert index.nbytes > 30 * 8
    assert cache.bytes >= index.nbytes
    gone = weakref.ref(index)
    del index
    cache.put("flush", None, cache.max_bytes + 1)  # pushes every other entry out
    gc.collect()
    assert gone() is None  # nothing outside the budget kept it alive
    assert search.search("gent", SearchRequest(text="hulp")).total == 30
