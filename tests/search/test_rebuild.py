"""A rebuild, in one process or split over several, gives the index the database describes."""

import importlib

import pytest

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.search import SearchRequest, selfcheck
from tests.conftest import service_row

rebuild = importlib.import_module("dienstenwijzer.search.rebuild")

ROWS = [
    service_row(extern_id="gent", naam="Poetsdienst Gent", gemeenten="Gent"),
    service_row(
        extern_id="both",
        naam="Strijkdienst Overal",
        gemeenten="Gent;Kortrijk",
        categorie="strijkatelier",
        dienstencheques="nee",
    ),
    service_row(
        extern_id="kortrijk",
        naam="Klusjesdienst Kortrijk",
        gemeenten="Kortrijk",
        categorie="klusjesdienst",
        dienstencheques="nee",
        postcode="8500",
        gemeente="Kortrijk",
    ),
]


def found(slug: str, text: str) -> list[str]:
    return sorted(h.name for h in search.search(slug, SearchRequest(text=text)).hits)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_rebuild_holds_every_region_s_services_and_says_how_far_it_is(
    app, add_services, processes
):
    add_services("gent", ROWS)
    ext = app.extensions["search"]
    steps: list[int] = []
    with db.session() as session:
        rebuild.rebuild(session, ext.store, progress=steps.append, processes=processes)
    # "Strijkdienst Overal" is written into two regions but counted once.
    assert sum(steps) == 3
    assert all(d.ok for d in selfcheck.compare(db.session, ext.store.current()))
    assert found("gent", "dienst") == ["Poetsdienst Gent", "Strijkdienst Overal"]
    assert found("kortrijk", "dienst") == ["Klusjesdienst Kortrijk", "Strijkdienst Overal"]


def test_regions_are_split_over_processes_by_size():
    parts = rebuild.split_regions({"gent": 50, "kortrijk": 30, "genk": 20, "lennik": 5}, 2)
    assert parts == [["gent", "lennik"], ["genk", "kortrijk"]]


def test_word_counts_written_out_along_the_way_add_up_to_the_same_vocabulary(
    app, add_services, monkeypatch
):
    """The typo speller's vocabulary is the same whether a region's words are counted in one
    go or written out every few words to keep a large rebuild's memory flat."""
    add_services("gent", ROWS)
    store = app.extensions["search"].store

    def vocabulary(flush_every: int):
        monkeypatch.setattr(rebuild, "VOCABULARY_FLUSH_WORDS", flush_every)
        with db.session() as session:
            generation = rebuild.rebuild(session, store, processes=1)
        return generation.read_vocabulary("gent")

    whole, flushed = vocabulary(10**9), vocabulary(1)
    assert whole["poetsdienst"] == 1 and whole["strijkdienst"] == 1
    assert flushed == whole
