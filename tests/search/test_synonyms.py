"""Synonyms and compound heads: a compound's head stands for its category only where the
zorggebied knows the rest of the word."""

from flask import current_app

from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.query import evaluate, parse, to_whoosh
from tests.conftest import service_row

# "salon" is Flemish for a three-piece suite: the thesaurus links it to the second-hand shop.
KRINGWINKEL = service_row(
    extern_id="kring",
    naam="Kringwinkel Tweede Leven",
    aanbieder="Vzw Tweede Leven",
    categorie="kringwinkel",
    dienstencheques="nee",
    omschrijving="Zetels, kasten en borden aan een kleine prijs, nagekeken en proper.",
)
DOG_WALKING = service_row(
    extern_id="hond",
    naam="Uitlaatdienst",
    aanbieder="Vzw Wandel",
    categorie="burenhulp",
    dienstencheques="nee",
    omschrijving="Een vrijwilliger laat uw hond uit als u slecht te been bent.",
)


def names(text: str) -> list[str]:
    return [h.name for h in search.search("gent", SearchRequest(text=text, per_page=50)).hits]


def test_a_compound_s_head_alone_finds_nothing_where_no_service_knows_the_rest(add_services):
    add_services("gent", [KRINGWINKEL])
    assert names("salon") == ["Kringwinkel Tweede Leven"]
    # A dog grooming salon: nothing here mentions dogs or trimming, so it is unmet demand.
    assert names("hondentrimsalon") == []


def test_the_head_counts_where_the_zorggebied_knows_a_modifier(add_services):
    add_services("gent", [KRINGWINKEL, DOG_WALKING])
    assert "Kringwinkel Tweede Leven" in names("hondentrimsalon")


def test_the_spans_name_a_compound_s_modifiers(app):
    synonyms = search.synonyms()
    [(start, end, categories, modifiers)] = synonyms.spans([_forms("hondentrimsalon")[0]])
    assert (start, end) == (0, 1) and "kringwinkel" in categories
    assert {"hond", "trim"} <= set(modifiers)
    # An exact synonym has no modifiers; `match` keeps its three-part spans for other areas.
    assert synonyms.spans([_forms("salon")[0]])[0][3] == ()
    assert synonyms.match([_forms("salon")[0]])[0][:2] == (0, 1)


def test_the_guarded_head_evaluates_as_whoosh_does(add_services):
    add_services("gent", [KRINGWINKEL, DOG_WALKING])
    rs = current_app.extensions["search"].engine.region_searcher("gent")
    for text in ("hondentrimsalon", "kattentrimsalon", "salon hond"):
        q = to_whoosh(parse(text, rs.synonyms))
        expected = {h.docnum: h.score for h in rs.searcher.search(q, limit=None)}
        got = evaluate(q, rs.term_scores, rs.doc_frequency, rs.doc_count, rs.doc_count_all)
        assert got.keys() == expected.keys(), text
        for doc, score in expected.items():
            assert abs(got[doc] - score) <= 1e-12 * abs(score), text


def _forms(word: str) -> tuple[str, ...]:
    from dienstenwijzer.search.analysis import index_forms

    return index_forms(word)
