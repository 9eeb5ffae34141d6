"""A printable list of any search, for people without internet (issue 12, item 2: print view)."""

import re

from tests.conftest import service_row
from tests.public.test_pages import text_of


def _catalogue(add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="a",
                naam="Poetshulp Proper",
                gemeenten="Gent;Merelbeke-Melle",
                telefoon="09 000 21 47",
                openingsuren="ma–vr 8.30–12.00",
                prijs="1 dienstencheque per uur",
            ),
            service_row(
                extern_id="b",
                naam="Strijkatelier De Plooi",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen, terwijl wij bij u poetsen.",
            ),
            service_row(
                extern_id="c",
                naam="Tuinploeg Groen",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                omschrijving="Wij maaien uw gras.",
            ),
        ],
    )


def test_the_print_view_has_the_searchs_services_grouped_by_category(client, add_services):
    _catalogue(add_services)
    search = client.get("/gent/zoeken?q=poetsen").get_data(as_text=True)
    assert 'href="/gent/zoeken/afdrukken?q=poetsen"' in search
    page = text_of(client.get("/gent/zoeken/afdrukken?q=poetsen"))
    assert "Poetshulp Proper" in page and "Strijkatelier De Plooi" in page
    assert "Tuinploeg Groen" not in page
    # Grouped by top category, each with what is needed on paper.
    assert re.search(r"Huishoudhulp & hulp aan huis Poetshulp Proper", page)
    for fact in (
        "ma–vr 8.30–12.00",
        "1 dienstencheque per uur",
        "09 000 21 47",
        "Kerkstraat 1, 9000 Gent",
        "Afgedrukt op",
        "09 000 10 00",
    ):
        assert fact in page, fact


def test_a_wegwijzer_for_a_municipality_lists_what_comes_there(client, add_services):
    _catalogue(add_services)
    page = text_of(client.get("/gent/zoeken/afdrukken?gemeente=44088"))
    assert "Diensten in Gent: komen naar Merelbeke-Melle" in page
    assert "Poetshulp Proper" in page and "Tuinploeg Groen" not in page


def test_the_print_view_says_what_comes_home_and_how_far_the_rest_is(client, add_services):
    _catalogue(add_services)
    page = text_of(client.get("/gent/zoeken/afdrukken?q=poetsen&postcode=9820&km=20"))
    assert "Poetshulp Proper Vzw Proper Thuis · Komt naar Merelbeke-Melle" in page
    assert re.search(r"Strijkatelier De Plooi Vzw Proper Thuis · Op \d+(,\d)? km", page), page
