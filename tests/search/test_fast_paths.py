"""The fast search paths give what Whoosh and the plain Python versions give.

- `query.evaluate` (cached per-term postings, set operations) matches the documents and the
  scores of Whoosh's own matchers;
- the engine ranks like an exhaustive Whoosh search: score descending, then docnum;
- `FacetIndex.filter_and_count` (set operations) equals `facets.filter_and_count`;
- a rebuild in two processes writes the same indexes as a rebuild in one.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from dienstenwijzer.search import Filters, SearchRequest
from dienstenwijzer.search.facets import FacetIndex, filter_and_count
from dienstenwijzer.search.query import parse, to_whoosh
from dienstenwijzer.search.rebuild import rebuild, split_regions
from dienstenwijzer.search.store import IndexStore
from tests.conftest import service_row

WORDS = [
    "hulp",
    "thuis",
    "poetsen",
    "strijken",
    "ramen",
    "tuin",
    "gras",
    "hagen",
    "snoeien",
    "boodschappen",
    "koken",
    "soep",
    "vervoer",
    "rolstoel",
    "dokter",
    "kinderen",
    "opvang",
    "babysit",
    "klussen",
    "kraan",
    "verf",
    "behangen",
    "energie",
    "premie",
    "kringloop",
    "fiets",
    "herstellen",
    "senioren",
    "buurt",
    "wekelijks",
    "gratis",
    "vrijwilligers",
]
CATEGORIES = (
    "poetsen",
    "strijkatelier",
    "tuinonderhoud",
    "klusjesdienst",
    "babysit",
    "minder-mobielen-centrale",
    "energiescan",
    "repair-cafe",
    "boodschappen",
)
DC_OK = {"poetsen", "strijkatelier", "boodschappen"}
PLACES = {
    "gent": [("Gent", "9000"), ("Gent", "9040"), ("Gent", "9052")],
    "kortrijk": [("Kortrijk", "8500"), ("Kortrijk", "8501")],
}
QUERIES = [
    "poetsen",
    "hulp",
    "hulp thuis",
    "tuin gras",
    "kuisen",
    "de kuis",
    "soep buurt",
    "poetshulp",
    "strijken ramen koken",
    "kinderopvang",
    "energie premie gratis",
    "zzzq hulp",
    "rolstoel vervoer dokter",
    "klusjesdienst kraan",
    "babysit kinderen",
]


def _rows(region: str, n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        place, postcode = rng.choice(PLACES[region])
        served = place if rng.random() < 0.85 else "Gent;Kortrijk"
        cats = ";".join(rng.sample(CATEGORIES, rng.choice((1, 1, 2))))
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
        rows.append(
            service_row(
                extern_id=f"{region}-{i}",
                naam=f"{rng.choice(WORDS).capitalize()} {i}",
                aanbieder=f"Aanbieder {region} {i % 7}",
                categorie=cats,
                omschrijving=text.capitalize() + ".",
                gemeenten=served,
                gemeente=place,
                postcode=postcode,
                straat=f"Kerkstraat {i + 1}",
                dienstencheques="ja"
                if set(cats.split(";")) <= DC_OK and rng.random() < 0.6
                else "nee",
            )
        )
    return rows


@pytest.fixture
def big_catalogue(add_services):
    add_services("gent", _rows("gent", 70, 1))
    add_services("kortrijk", _rows("kortrijk", 40, 2))
    # Edits after the first build: a second segment, and deleted documents in the first.
    for service in db.session.scalars(select(Service).order_by(Service.id).limit(8)):
        service.description = service.description + " Ook ramen wassen en poetsen."
    db.session.commit()
    search.sync(wait=5)


def _searcher(region: str):
    engine = current_app.extensions["search"].engine
    return engine.region_searcher(region)


@pytest.mark.parametrize("region", ["gent", "kortrijk"])
def test_evaluate_matches_whooshs_documents_and_scores(big_catalogue, region):
    rs = _searcher(region)
    assert len(list(rs.searcher.reader().leaf_readers())) > 1  # several segments, deletions
    checked = 0
    for text in QUERIES:
        parsed = parse(text, rs.synonyms)
        for match_all in (True, False):
            q = to_whoosh(parsed, match_all=match_all)
            expected = {h.docnum: h.score for h in rs.searcher.search(q, limit=None)}
            got = rs.evaluate(parsed, match_all=match_all)
            assert set(got) == set(expected) == set(rs.searcher.docs_for_query(q)), text
            for doc, score in expected.items():
                assert got[doc] == pytest.approx(score, rel=1e-12), text
            checked += len(got)
    assert checked > 100


def test_results_are_ranked_like_an_exhaustive_whoosh_search(big_catalogue):
    rs = _searcher("gent")
    for text in QUERIES:
        for page in (1, 2):
            result = search.search("gent", SearchRequest(text=text, page=page, per_page=5))
            if not result.total:
                continue
            parsed = parse(result.searched_text, rs.synonyms)
            q = to_whoosh(parsed, match_all=not result.any_word)
            ranked = sorted((-h.score, h.docnum) for h in rs.searcher.search(q, limit=None))
            ids = [int(rs.searcher.stored_fields(d)["id"]) for _, d in ranked]
            assert [h.service_id for h in result.hits] == ids[(page - 1) * 5 : page * 5], text


def _filter_cases(today: int):
    gent_point, far_point = (51.05, 3.72), (50.83, 3.26)
    return [
        Filters(),
        Filters(checked_since=today - 10),
        Filters(checked_since=today + 1),
        Filters(categories=frozenset({"poetsen"})),
        Filters(categories=frozenset({"poetsen", "tuinonderhoud", "huishoudhulp"})),
        Filters(municipalities=frozenset({"44021"})),
        Filters(municipalities=frozenset({"34022", "44021"}), dienstencheques=True),
        Filters(dienstencheques=True, categories=frozenset({"babysit"})),
        Filters(origin=gent_point),
        Filters(origin=gent_point, km=5.0),
        Filters(origin=far_point, km=20.0, categories=frozenset({"energiescan"})),
        Filters(origin=far_point, km=200.0, dienstencheques=True),
        # A resident's home: what serves it passes any distance (areas.py).
        Filters(origin=far_point, km=5.0, home="44021"),
    ]


def test_facet_index_equals_the_python_loop(big_catalogue):
    rs = _searcher("gent")
    index = FacetIndex(rs.records, rs.searcher.reader().all_doc_ids())
    live = sorted(rs.searcher.reader().all_doc_ids())
    rng = random.Random(3)
    today = dt.date.today().toordinal()
    for filters in _filter_cases(today):
        for candidates in (live, sorted(rng.sample(live, 20)), []):
            old_allowed, old_counts, old_dist = filter_and_count(rs.records, candidates, filters)
            allowed, counts, dist = index.filter_and_count(frozenset(candidates), filters)
            assert set(old_allowed) == set(allowed)
            assert dict(old_counts.categories) == dict(counts.categories)
            assert dict(old_counts.municipalities) == dict(counts.municipalities)
            assert old_counts.dienstencheques == counts.dienstencheques
            for doc in allowed:
                assert old_dist.get(doc) == dist.get(doc)
        all_allowed, _, _ = index.filter_and_count(None, filters)
        assert set(all_allowed) == set(filter_and_count(rs.records, live, filters)[0])


def test_browsing_orders_by_distance_then_name(big_catalogue):
    rs = _searcher("gent")
    for filters in (
        Filters(),
        Filters(origin=(51.05, 3.72)),
        Filters(categories=frozenset({"babysit"})),
    ):
        result = search.search("gent", SearchRequest(filters=filters, per_page=50))
        allowed, _, dist = filter_and_count(
            rs.records, list(rs.searcher.reader().all_doc_ids()), filters
        )
        inf = float("inf")
        expected = sorted(
            allowed, key=lambda d: (dist.get(d, inf) if filters.origin else 0, rs.records[d][6], d)
        )
        ids = [int(rs.searcher.stored_fields(d)["id"]) for d in expected[:50]]
        assert [h.service_id for h in result.hits] == ids


def test_split_regions_balances_sizes():
    parts = split_regions({"a": 50, "b": 30, "c": 20, "d": 0, "e": 10}, 2)
    assert sorted(slug for part in parts for slug in part) == ["a", "b", "c", "d", "e"]
    assert sorted(parts) == [["a", "e"], ["b", "c", "d"]]


def test_a_rebuild_in_two_processes_writes_the_same_indexes(big_catalogue, tmp_path):
    generations = {}
    for processes in (1, 2):
        with Session(db.engine) as session:
            generations[processes] = rebuild(
                session, IndexStore(tmp_path / f"p{processes}"), processes=processes
            )
    one, two = generations[1], generations[2]
    assert one.region_slugs() == two.region_slugs()
    assert two.read_applied().upto == one.read_applied().upto
    for slug in one.region_slugs():
        with one.open_region(slug).searcher() as a, two.open_region(slug).searcher() as b:
            assert a.doc_count_all() == b.doc_count_all()
            assert [a.stored_fields(i) for i in range(a.doc_count_all())] == [
                b.stored_fields(i) for i in range(b.doc_count_all())
            ]
            assert list(a.reader().all_terms()) == list(b.reader().all_terms())
            for text in QUERIES:
                q = to_whoosh(parse(text, _searcher("gent").synonyms))
                assert [(h.docnum, h.score) for h in a.search(q, limit=None)] == [
                    (h.docnum, h.score) for h in b.search(q, limit=None)
                ]
