"""A search that matched only some of the words says which words no service mentions."""
from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from tests.conftest import service_row

AT_HOME = [
    service_row(extern_id="poets", naam="Poetshulp aan huis",
                omschrijving="Wij poetsen bij u thuis, aan huis, elke week."),
    service_row(extern_id="boodschap", naam="Boodschappen aan huis", categorie="boodschappen",
                omschrijving="Wij brengen uw boodschappen aan huis."),
]


def test_a_word_no_service_mentions_makes_the_match_weak(add_services):
    add_services("gent", AT_HOME)
    result = search.search("gent", SearchRequest(text="kapper aan huis"))
    assert result.total == 2 and result.any_word
    assert result.unmatched == ("kapper",) and result.weak


def test_a_match_on_every_word_is_not_weak(add_services):
    add_services("gent", AT_HOME)
    result = search.search("gent", SearchRequest(text="poetsen aan huis"))
    assert result.total >= 1 and not result.any_word and not result.weak


def test_the_page_names_the_missing_word_and_offers_the_request_form(client, add_services):
    add_services("gent", AT_HOME)
    page = client.get("/gent/zoeken?q=kapper+aan+huis").get_data(as_text=True)
    assert "vermeldt" in page and "<strong>kapper</strong>" in page
    assert 'href="/gent/vraag?q=kapper+aan+huis"' in page


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
