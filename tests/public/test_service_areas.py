"""Service areas as residents mean them: "comes to me, or is near me" (issue 12, item 1)."""

import re

from tests.conftest import service_row
from tests.public.test_pages import text_of

MERELBEKE_MELLE = "44088"


def _gent_and_around(add_services):
    add_services(
        "gent",
        [
            # An office in Gent (about 6 km from Merelbeke), cleaning in Merelbeke-Melle too.
            service_row(
                extern_id="a",
                naam="Poetshulp Proper",
                gemeenten="Gent;Merelbeke-Melle",
                straat="Brugsesteenweg 600",
                postcode="9030",
                gemeente="Gent",
            ),
            # An office next door to Merelbeke, serving only Gent: near, but it does not come.
            service_row(
                extern_id="b",
                naam="Poetsdienst Ledeberg",
                gemeenten="Gent",
                straat="Hundelgemsesteenweg 85",
                postcode="9050",
                gemeente="Gent",
            ),
            # Serving Gent and Destelbergen from far in the north of Gent.
            service_row(
                extern_id="c",
                naam="Poetsploeg Noord",
                gemeenten="Gent;Destelbergen",
                straat="Haven 1",
                postcode="9042",
                gemeente="Gent",
            ),
        ],
    )


def test_a_merelbeke_postcode_finds_what_comes_to_merelbeke_and_says_so(client, add_services):
    _gent_and_around(add_services)
    page = text_of(client.get("/gent/zoeken?q=poetsen&postcode=9820&km=2"))
    # The office of Poetshulp Proper is further than 2 km, but it comes to Merelbeke-Melle.
    assert "1 dienst gevonden" in page
    assert "Poetshulp Proper" in page and "Komt naar Merelbeke-Melle" in page
    assert "Poetsdienst Ledeberg" not in page


def test_a_municipality_name_works_like_its_postcode(client, add_services):
    _gent_and_around(add_services)
    page = text_of(client.get("/gent/zoeken?q=poetsen&postcode=Merelbeke-Melle&km=2"))
    assert "Poetshulp Proper" in page and "Komt naar Merelbeke-Melle" in page
    unknown = text_of(client.get("/gent/zoeken?q=poetsen&postcode=Merelbekke"))
    assert "We kennen de gemeente “Merelbekke” niet" in unknown


def test_services_that_come_to_you_are_listed_before_those_near_you(client, add_services):
    _gent_and_around(add_services)
    for query in ("q=poetsen&", ""):
        page = text_of(client.get(f"/gent/zoeken?{query}postcode=9820&km=20"))
        assert page.index("Poetshulp Proper") < page.index("Poetsdienst Ledeberg")
        assert page.index("Poetshulp Proper") < page.index("Poetsploeg Noord")
        # Near, not coming: the distance, with a Dutch decimal comma.
        assert re.search(r"Poetsdienst Ledeberg .*?Op \d+,\d km", page)
    # Browsing (no words) lists the rest nearest first; a text search ranks them by relevance.
    page = text_of(client.get("/gent/zoeken?postcode=9820&km=20"))
    assert page.index("Poetsdienst Ledeberg") < page.index("Poetsploeg Noord")


def test_the_municipality_filter_lists_every_served_municipality_with_counts(client, add_services):
    _gent_and_around(add_services)
    response = client.get("/gent/zoeken")
    html = response.get_data(as_text=True)
    page = text_of(response)
    assert "Gent (3)" in page
    assert "Merelbeke-Melle (1)" in page and "Destelbergen (1)" in page
    assert f'id="gem-{MERELBEKE_MELLE}"' in html
    chosen = text_of(client.get(f"/gent/zoeken?gemeente={MERELBEKE_MELLE}"))
    assert "1 dienst gevonden" in chosen and "Poetshulp Proper" in chosen


def test_the_api_finds_what_comes_to_you_too(client, add_services):
    _gent_and_around(add_services)
    body = client.get("/gent/api/v1/services?postcode=9820&km=2").get_json()
    assert [s["name"] for s in body["contents"]] == ["Poetshulp Proper"]


def test_home_links_to_the_services_that_come_to_a_place_without_dienstenwijzer(
    client, add_services
):
    _gent_and_around(add_services)
    response = client.get("/?plaats=9820")
    html = response.get_data(as_text=True)
    assert "1 dienst van Dienstenwijzer Gent komt naar Merelbeke-Melle" in text_of(response)
    assert f"/gent/zoeken?gemeente={MERELBEKE_MELLE}" in html
