"""A search that matched only some of the words says which words no service mentions."""

from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from tests.conftest import service_row

AT_HOME = [
    service_row(
        extern_id="poets",
        naam="Poetshulp aan huis",
        omschrijving="Wij poetsen bij u thuis, aan huis, elke week.",
    ),
    service_row(
        extern_id="boodschap",
        naam="Boodschappen aan huis",
        categorie="boodschappen",
        omschrijving="Wij brengen uw boodschappen aan huis.",
    ),
]


def test_a_thing_no_service_mentions_makes_the_match_weak(add_services):
    add_services("gent", AT_HOME)
    # "boodschappen" is offered, "zwembad" by no service: the page lists what there is and
    # says what is missing.
    result = search.search("gent", SearchRequest(text="boodschappen zwembad"))
    assert result.total == 1 and result.any_word
    assert result.unmatched == ("zwembad",) and result.weak


def test_when_only_the_other_words_match_nothing_is_listed(add_services):
    add_services("gent", AT_HOME)
    # Only the act ("brengen") matches; no service has anything to do with a driving licence.
    result = search.search("gent", SearchRequest(text="rijbewijs brengen"))
    assert result.total == 0 and result.hits == []
    assert result.unmatched == ("rijbewijs",)
    # Nor is "kapper aan huis" answered by what merely comes "aan huis".
    assert search.search("gent", SearchRequest(text="kapper aan huis")).total == 0


def test_a_missing_detail_is_no_weak_match(add_services):
    add_services("gent", AT_HOME)
    # The service brings the shopping; "gebracht" (how it is said) is not another need.
    result = search.search("gent", SearchRequest(text="boodschappen goedkoop gebracht"))
    assert result.total == 1 and not result.weak


def test_a_match_on_every_word_is_not_weak(add_services):
    add_services("gent", AT_HOME)
    result = search.search("gent", SearchRequest(text="poetsen aan huis"))
    assert result.total >= 1 and not result.any_word and not result.weak


def test_the_page_names_the_missing_word_and_offers_the_request_form(client, add_services):
    add_services("gent", AT_HOME)
    page = client.get("/gent/zoeken?q=boodschappen+zwembad").get_data(as_text=True)
    assert "vermeldt" in page and "<strong>zwembad</strong>" in page
    assert "passen maar voor een deel" in page
    assert 'href="/gent/vraag?q=boodschappen+zwembad"' in page


def test_the_page_lists_nothing_when_only_other_words_match(client, add_services):
    add_services("gent", AT_HOME)
    page = client.get("/gent/zoeken?q=rijbewijs+brengen").get_data(as_text=True)
    assert "<strong>rijbewijs</strong>" in page and "Geen diensten gevonden" in page
    assert 'class="result"' not in page and "passen maar voor een deel" not in page
    assert page.count('href="/gent/vraag?q=rijbewijs+brengen"') == 1


def test_a_weak_match_is_recorded_as_unmet_demand(client, add_services):
    from sqlalchemy import select

    from dienstenwijzer.db import db
    from dienstenwijzer.demand import handoff
    from dienstenwijzer.models import DemandSignal

    add_services("gent", AT_HOME)
    client.get("/gent/zoeken?q=poetsen+aan+huis")  # every word matched: no demand
    client.get("/gent/zoeken?q=kapper+aan+huis")
    handoff.drain_now()
    assert db.session.scalars(select(DemandSignal.text)).all() == ["kapper aan huis"]


def test_a_number_that_matches_nothing_does_not_make_a_match_weak(add_services):
    add_services("gent", AT_HOME)
    result = search.search("gent", SearchRequest(text="poetsen 12"))
    assert result.total >= 1 and not result.weak


# Services for sentences: several say "hulp" and "maken" often; one is about a safer bathroom
# in other words (the thesaurus links "badkamer veilig" to its category); others about other things.
OTHERS = [
    service_row(
        extern_id=f"ander{i}",
        naam=f"Dienst {what}",
        categorie="poetsen",
        omschrijving=f"Alles over {what} in uw buurt.",
    )
    for i, what in enumerate(["vervoer", "fietsen", "kinderopvang", "energie", "tuinwerk", "soep"])
]
HOUSEHOLD = [
    service_row(
        extern_id=f"hulp{i}",
        naam=name,
        categorie="poetsen",
        omschrijving=f"{name}: onze hulp komt bij u om het huis proper te maken. Hulp op maat.",
    )
    for i, name in enumerate(["Huishoudhulp", "Poetshulp", "Kookhulp", "Strijkhulp"])
] + [
    service_row(
        extern_id="badkamer",
        naam="Veilig thuis",
        categorie="woningaanpassing",
        dienstencheques="nee",
        omschrijving="Wij plaatsen handgrepen bij het toilet en in de douche en verwijderen "
        "drempels, zodat u langer zelfstandig in uw eigen woning kunt wonen.",
    ),
]


def test_in_a_sentence_the_service_with_the_specific_words_ranks_first(add_services):
    # No service has every word. "badkamer veiliger" is two of the resident's words and names
    # the need; "hulp" and "maken" are in many services and say little.
    add_services("gent", HOUSEHOLD + OTHERS)
    result = search.search(
        "gent", SearchRequest(text="ik heb hulp nodig om mijn badkamer veiliger te maken")
    )
    assert result.any_word
    assert result.hits[0].name == "Veilig thuis"


def test_words_that_frame_a_request_are_not_searched(add_services):
    garden = [
        service_row(
            extern_id="tuin",
            naam="Tuinonderhoud",
            categorie="tuinonderhoud",
            dienstencheques="nee",
            omschrijving="Onze tuiniers komen het gras maaien.",
        ),
        service_row(
            extern_id="wijkwerk",
            naam="Wijk-werkers",
            categorie="tuinonderhoud",
            dienstencheques="nee",
            omschrijving="Werkzoekenden komen bij u het gras maaien en de haag snoeien.",
        ),
    ]
    add_services("gent", garden)
    # "zoek" is part of "werkzoekenden": searched, it would leave only the second service.
    result = search.search("gent", SearchRequest(text="ik zoek iemand om mijn gras te maaien"))
    assert sorted(h.name for h in result.hits) == ["Tuinonderhoud", "Wijk-werkers"]
    assert not result.weak
    # Typed alone, a request word is still searched.
    assert search.search("gent", SearchRequest(text="zoeken")).searched_text == "zoeken"


def test_a_service_that_covers_little_of_the_query_is_not_shown(add_services):
    # Only "huis", which nearly every service has, matches: nothing here does what was asked.
    add_services("gent", HOUSEHOLD + AT_HOME)
    result = search.search("gent", SearchRequest(text="kapper manicure pedicure tatoeage aan huis"))
    assert result.total == 0 and result.hits == []
    # Nor with fewer words the resident did not find: "huis" is still all that matches.
    assert search.search("gent", SearchRequest(text="kapper aan huis")).total == 0


def test_partial_matches_evaluate_as_whoosh_does(add_services):
    from flask import current_app

    from dienstenwijzer.search.query import evaluate, parse, to_whoosh

    add_services("gent", HOUSEHOLD + AT_HOME)
    rs = current_app.extensions["search"].engine.region_searcher("gent")
    for text in (
        "hulp badkamer veiliger maken",
        "kapper aan huis",
        "kapper manicure pedicure tatoeage huis",
    ):
        q = to_whoosh(parse(text, rs.synonyms), match_all=False)
        expected = {h.docnum: h.score for h in rs.searcher.search(q, limit=None)}
        got = evaluate(q, rs.term_scores, rs.doc_frequency, rs.doc_count, rs.doc_count_all)
        assert got.keys() == expected.keys(), text
        for doc, score in expected.items():
            assert abs(got[doc] - score) <= 1e-12 * abs(score), text
