"""All search caches of a process share one memory budget, across every zorggebied."""

from flask import current_app

from dienstenwijzer import search
from dienstenwijzer.search import Filters, SearchRequest
from dienstenwijzer.search.budget import SearchCache
from tests.conftest import service_row

WORDS = [
    "poetsen",
    "strijken",
    "ramen",
    "hulp",
    "thuis",
    "tuin",
    "gras",
    "kuisen",
    "bezem",
    "week",
    "kinderopvang",
    "klusjes",
    "vervoer",
    "poetsdienst",
    "strijk",
]


def test_the_oldest_entries_leave_when_the_budget_is_full():
    cache = SearchCache(max_bytes=1000)
    for i in range(10):
        cache.put(i, str(i), 300)
    assert cache.bytes <= 1000 and len(cache) == 3
    assert cache.get(0) is None and cache.get(9) == "9"
    cache.get(7)
    cache.put("new", "x", 300)  # 7 was used last: 8 leaves first
    assert cache.get(7) == "7" and cache.get(8) is None


def _answers(regions):
    out = []
    for region in regions:
        for i, word in enumerate(WORDS):
            for request in (
                SearchRequest(text=word),
                SearchRequest(text=f"{word} {WORDS[i - 1]}"),
                SearchRequest(text=word, filters=Filters(origin=(51.05, 3.72), km=5.0)),
                SearchRequest(text="", filters=Filters(origin=(51.0, 3.7))),
            ):
                result = search.search(region, request)
                out.append((result.total, [h.service_id for h in result.hits]))
    return out


def test_a_tiny_budget_stays_within_bounds_and_gives_the_same_answers(app, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id=str(i),
                naam=f"{WORDS[i % len(WORDS)]} {i}",
                omschrijving=" ".join(WORDS[i % 7 : i % 7 + 6]),
            )
            for i in range(40)
        ],
    )
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id=f"k{i}",
                gemeenten="Kortrijk",
                gemeente="Kortrijk",
                postcode="8500",
                naam=f"Hulp {i}",
            )
            for i in range(10)
        ],
    )
    ext = current_app.extensions["search"]
    generous = _answers(["gent", "kortrijk"])
    ext.cache.max_bytes = 20_000  # far below what these searches would keep
    ext.cache.put("flush", None, 10**9)  # empty the cache
    tight = _answers(["gent", "kortrijk"])
    assert tight == generous
    assert ext.cache.bytes <= 20_000 + 50_000  # at most one oversized entry above the budget
    assert ext.cache.evictions > 0
