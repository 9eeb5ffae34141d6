""" "kapper aan huis": a resident who asks for a service at home is not sent somewhere else."""

from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.reach import comes_home
from tests.conftest import service_row

CENTRE = service_row(
    extern_id="ldc",
    naam="Lokaal dienstencentrum De Kaai",
    categorie="lokaal-dienstencentrum",
    dienstencheques="nee",
    omschrijving="Senioren komen hier kaarten en turnen. U kunt ook een afspraak maken bij de "
    "pedicure en de kapper. Kom gerust langs in het ontmoetingshuis.",
)
CLEANING = service_row(
    extern_id="poets",
    naam="Poetshulp",
    categorie="poetsen",
    omschrijving="Onze huishoudhulpen poetsen bij u thuis, elke week of om de twee weken.",
)
MEALS = service_row(
    extern_id="maaltijd",
    naam="Warme maaltijden",
    categorie="maaltijden-aan-huis",
    dienstencheques="nee",
    omschrijving="Elke middag brengt onze chauffeur een warme maaltijd aan huis.",
)


def test_a_need_met_only_where_the_resident_must_go_is_offered_as_a_search_of_its_own(
    add_services,
):
    add_services("gent", [CENTRE, CLEANING, MEALS])
    result = search.search("gent", SearchRequest(text="kapper aan huis"))
    # No service brings a hairdresser home: nothing is listed as the answer, not the cleaning
    # and meals that merely come "aan huis". The centre's hairdresser is one link away.
    assert result.hits == [] and result.total == 0
    assert result.weak and result.unmatched == ("kapper aan huis",)
    assert result.elsewhere == 1 and result.need_text == "kapper"
    other_words = search.search("gent", SearchRequest(text="kapper bij mij thuis"))
    assert other_words.unmatched == ("kapper bij mij thuis",)
    centre = search.search("gent", SearchRequest(text=result.need_text))
    assert [h.name for h in centre.hits] == ["Lokaal dienstencentrum De Kaai"]


def test_a_need_met_at_home_is_a_plain_match(add_services):
    add_services("gent", [CENTRE, CLEANING, MEALS])
    result = search.search("gent", SearchRequest(text="warme maaltijd aan huis"))
    assert [h.name for h in result.hits] == ["Warme maaltijden"] and not result.weak
    result = search.search("gent", SearchRequest(text="poetsen bij mij thuis"))
    assert [h.name for h in result.hits] == ["Poetshulp"] and not result.weak


def test_at_home_alone_or_as_a_situation_is_searched_as_words(add_services):
    add_services("gent", [CENTRE, CLEANING, MEALS])
    alone = search.search("gent", SearchRequest(text="aan huis"))
    assert {h.name for h in alone.hits} >= {"Warme maaltijden"} and not alone.weak
    # "thuis" alone may say where the resident is ("als ik alleen thuis ben"), not that the
    # service must come: no at-home phrase, so no weak match.
    situation = search.search("gent", SearchRequest(text="kaarten thuis"))
    assert situation.hits[0].name == "Lokaal dienstencentrum De Kaai" and not situation.weak


def test_the_page_says_no_service_comes_home_for_it_and_records_demand(client, add_services):
    from sqlalchemy import select

    from dienstenwijzer.db import db
    from dienstenwijzer.demand import handoff
    from dienstenwijzer.models import DemandSignal

    add_services("gent", [CENTRE, CLEANING])
    page = client.get("/gent/zoeken?q=kapper+aan+huis").get_data(as_text=True)
    assert "komt bij u thuis voor “<strong>kapper</strong>”" in page
    # The centre's hairdresser matches "kapper", just not at home: offered as its own search.
    assert 'href="/gent/zoeken?q=kapper"' in page and "waar u zelf naartoe gaat" in page
    assert 'class="result"' not in page
    assert 'href="/gent/vraag?q=kapper+aan+huis"' in page
    handoff.drain_now()
    assert db.session.scalars(select(DemandSignal.text)).all() == ["kapper aan huis"]


def test_a_service_comes_home_when_its_own_words_say_so():
    assert comes_home("Onze huishoudhulpen poetsen bij u thuis.")
    assert comes_home("Maaltijden aan huis")
    assert comes_home("Na een telefoontje komt een ploegbaas langs.")
    assert comes_home("Schoonmaak van de woning door een huishoudhulp")
    assert not comes_home("Kom gerust langs in het ontmoetingshuis.")
    assert not comes_home("Het menu hangt aan de deur.")
    assert not comes_home("Wij helpen kinderen met hun huiswerk in het buurthuis.")
