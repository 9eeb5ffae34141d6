"""The search benchmark's catalogue generator, query writer and baseline on a tiny size.

No load phase and no timing: these pin what makes the bench's figures mean something. Its
catalogue must pass the project's own import, its requests must be answered (not refused
with a 400) by the search page and the API, every request must be distinct, and the plain
Whoosh baseline must answer the same URLs.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from baseline_app import app as baseline_wsgi
from baseline_app import build as build_baseline
from baseline_app import close_all as close_baseline
from bench_catalogue import read_catalogue, region_counts, write_catalogue
from bench_queries import KIND_SHARES, QueryWriter, read_query_file, write_query_file
from bench_reference import load_reference

from dienstenwijzer.config import PROJECT_ROOT

SMALL = 120  # services: enough for every zorggebied to get some


def a_word(row: dict) -> str:
    """The longest word of a service's name: certain to be indexed."""
    return max(row["naam"].replace("(", " ").replace(")", " ").split(), key=len)


@pytest.fixture(scope="module")
def ref():
    return load_reference(PROJECT_ROOT)


def test_services_are_spread_over_zorggebieden_by_inhabitants(ref):
    counts = region_counts(ref, 10_000)
    assert sum(counts.values()) == 10_000
    assert counts["antwerpen"] > counts["gent"] > counts["leuven"] > counts["lennik"] > 0
    # Antwerpen has about 40 % of the inhabitants of the 11 zorggebieden.
    assert 0.3 < counts["antwerpen"] / 10_000 < 0.5


def test_generated_texts_vary_and_come_from_the_demo(ref, tmp_path):
    write_catalogue(ref, 400, tmp_path, seed=3)
    rows = [r for rows in read_catalogue(tmp_path).values() for r in rows]
    descriptions = [r["omschrijving"] for r in rows]
    assert len(rows) == 400
    assert len(set(descriptions)) == len(descriptions)
    # Recombined from the demo's sentences: most descriptions share a sentence with a demo text.
    demo_sentences = {s.strip() for r in ref.demo_rows for s in r["omschrijving"].split(". ")}
    shared = sum(any(s.strip() in demo_sentences for s in d.split(". ")) for d in descriptions)
    assert shared > len(descriptions) / 2


def test_the_import_accepts_the_catalogue_and_the_site_answers_every_request(
    ref, tmp_path, app, client, add_services
):
    counts = write_catalogue(ref, SMALL, tmp_path, seed=1)
    catalogue = read_catalogue(tmp_path)
    for slug, rows in catalogue.items():
        if rows:
            add_services(slug, rows)  # asserts that every row passes the import's checks
    assert sum(counts.values()) == SMALL

    writer = QueryWriter(ref, seed=2)
    for query in writer.distinct(60, set()):
        # A page past the last one redirects to the last page (no dead ends): that page answers.
        html = client.get(query.html_path())
        if html.status_code == 302 and "page=" in query.html_path():
            html = client.get(html.headers["Location"])
        assert html.status_code == 200, query.html_path()
        assert client.get(query.api_path()).status_code == 200, query.api_path()
    found = client.get(f"/gent/api/v1/services?search={a_word(catalogue['gent'][0])}").get_json()
    assert found["total_items"] > 0


def test_query_file_holds_distinct_requests_of_every_kind(ref, tmp_path):
    queries = QueryWriter(ref, seed=5).distinct(1500, set())
    path = tmp_path / "queries.tsv"
    write_query_file(path, queries)
    rows = read_query_file(path)
    assert len(rows) == 1500
    assert len({r[2] for r in rows}) == 1500 and len({r[3] for r in rows}) == 1500
    kinds = Counter(r[0] for r in rows)
    assert set(kinds) == set(KIND_SHARES)
    assert len({r[1] for r in rows}) == len(ref.regions)
    own = {r.slug: {m.nis_code for m in r.municipalities} for r in ref.regions}
    for q in queries:
        params = dict(q.params)
        assert params.get("gemeente", next(iter(own[q.region]))) in own[q.region]
        assert params.get("postcode", "9000") in ref.postcode_coords


def test_baseline_answers_the_projects_urls(ref, tmp_path, monkeypatch):
    write_catalogue(ref, SMALL, tmp_path / "catalogue", seed=1)
    assert build_baseline(tmp_path / "catalogue", tmp_path / "index", PROJECT_ROOT) >= SMALL
    monkeypatch.setenv("BASELINE_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("BASELINE_PAD_BYTES", "500")

    def get(path, query):
        status = []
        body = b"".join(
            baseline_wsgi(
                {"PATH_INFO": path, "QUERY_STRING": query}, lambda s, headers: status.append(s)
            )
        )
        return status[0], body

    try:
        status, page = get("/gent/zoeken", "q=poetsen&dienstencheques=y")
        assert status == "200 OK" and b"diensten gevonden" in page and b"<footer>" in page
        word = a_word(read_catalogue(tmp_path / "catalogue")["antwerpen"][0])
        status, body = get("/antwerpen/api/v1/services", f"search={word}&page=1")
        assert status == "200 OK" and json.loads(body)["total_items"] > 0
        assert get("/nergens/zoeken", "q=poetsen")[0].startswith("404")
    finally:
        close_baseline()


def test_rounds_merge_into_one_latency_distribution():
    from search_bench import merge_rounds

    def round_(hist, seconds):
        n = sum(hist.values())
        return {
            "hist": hist,
            "duration_us": seconds * 1e6,
            "requests": n,
            "responses": n,
            "non2xx": 1,
            "socket_errors": 0,
            "timeouts": 0,
            "repeats": 0,
            "body_bytes": n * 1024,
            "load_before": 2.0,
            "load_after": 4.0,
        }

    # A fast round and a slow one: the percentiles are those of all 100 requests together
    # (averaging the rounds' own p95, 10 and 500 ms, would report 255 ms).
    merged = merge_rounds([round_({10_000: 90}, 10), round_({20_000: 5, 500_000: 5}, 10)])
    assert (merged["p50"], merged["p95"], merged["p99"]) == (10.0, 20.0, 500.0)
    assert merged["rps"] == 5.0 and merged["non2xx"] == 2 and merged["page_kb"] == 1.0
    assert merged["load"] == 3.0


def test_bulk_loaded_catalogue_is_searchable_after_a_rebuild(ref, tmp_path, app, client):
    from bench_bulk_load import bulk_load

    from dienstenwijzer import search

    write_catalogue(ref, SMALL, tmp_path, seed=4)
    assert bulk_load(app.config["DATABASE_URL"], tmp_path, ref) == SMALL
    search.rebuild_index()
    # Every service that serves Gent, from any zorggebied, is in Gent's index.
    serving_gent = [
        r
        for rows in read_catalogue(tmp_path).values()
        for r in rows
        if "Gent" in r["gemeenten"].split(";")
    ]
    assert client.get("/gent/api/v1/services").get_json()["total_items"] == len(serving_gent) > 0
