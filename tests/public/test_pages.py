"""What residents see: finding their dienstenwijzer, searching, a service page."""

import html
import re

import pytest

from tests.conftest import service_row


def text_of(response) -> str:
    return re.sub(
        r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))
    )


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("9000", "gent"),
        ("Gent", "gent"),
        ("gent ", "gent"),
        ("2390", "zoersel"),
        ("Westmalle", "zoersel"),
        ("Kessel-Lo", "leuven"),
    ],
)
def test_home_finds_the_dienstenwijzer_from_postcode_or_name(client, typed, region):
    response = client.get("/", query_string={"plaats": typed})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/{region}/")


def test_home_says_when_no_dienstenwijzer_serves_a_place_and_points_to_the_nearest(client):
    page = text_of(client.get("/?plaats=Aalst"))
    assert "Nog geen dienstenwijzer voor Aalst" in page
    assert "De dichtstbijzijnde is Dienstenwijzer Lennik" in page  # about 17 km; Gent is 25


def test_home_explains_an_unknown_place_and_suggests_one(client):
    page = text_of(client.get("/?plaats=Gnet"))
    assert "We vinden “Gnet” niet" in page
    assert "Bedoelde u Gent?" in page
    assert "We vinden “0000” niet" in text_of(client.get("/?plaats=0000"))


def test_home_lists_all_eleven_dienstenwijzers(client):
    page = client.get("/").get_data(as_text=True)
    assert len(re.findall(r'href="[^"]*/(\w+)/"', page)) >= 11


def test_region_home_has_search_box_and_category_tiles_with_counts(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = client.get("/gent/").get_data(as_text=True)
    assert 'name="q"' in page
    assert "Huishoudhulp &amp; hulp aan huis" in page
    assert "1 dienst" in page


def test_unknown_region_is_a_dutch_404(client):
    response = client.get("/nergens/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in text_of(response)


def test_search_page_shows_results_facets_and_highlights(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    response = client.get("/gent/zoeken?q=poetsen")
    page = response.get_data(as_text=True)
    assert "1 dienst gevonden" in text_of(response)
    assert "<mark>poetsen</mark>" in page
    assert 'id="cat-huishoudhulp"' in page and "(1)" in page


def test_search_page_offers_the_correction_of_a_typo(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = text_of(client.get("/gent/zoeken?q=poetsn"))
    assert "We vonden niets voor “poetsn”. We tonen resultaten voor “poetsen”" in page
    assert "Poetsdienst De Bezem" in page


def test_no_results_page_helps_further(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = text_of(client.get("/gent/zoeken?q=zwembad"))
    assert "Geen diensten gevonden" in page
    assert "Gebruik andere of minder woorden" in page
    assert "Huishoudhulp & hulp aan huis" in page  # other categories to look at
    assert "regisseur" in page and "09 000 10 00" in page


def test_no_results_page_suggests_neighbouring_categories(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = text_of(client.get("/gent/zoeken?q=strijken"))
    assert "Geen diensten gevonden" in page
    assert "Strijkatelier (strijk binnenbrengen)" in page  # a sibling of wassen-strijken


def test_bad_filters_are_explained_and_the_input_is_kept(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    response = client.get("/gent/zoeken?q=poetsen&postcode=12&km=5")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Een postcode heeft 4 cijfers, bv. 9000." in page
    assert 'value="12"' in page  # what the resident typed stays in the field
    assert "1 dienst gevonden" in text_of(response)  # the search itself still works


def test_pagination_links(client, add_services, app):
    app.config["SEARCH_PER_PAGE"] = 2
    add_services("gent", [service_row(extern_id=str(i), naam=f"Poetsdienst {i}") for i in range(5)])
    page = client.get("/gent/zoeken?q=poetsen&page=2").get_data(as_text=True)
    assert 'aria-current="page">2<' in page
    assert "page=3" in page and "page=1" in page
    assert "Pagina 2 van 3" in page


def test_service_page_shows_what_who_where_when_price_contact(client, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="a",
                telefoon="09 000 11 22",
                email="info@bezem.example",
                openingsuren="ma–vr 9–12 u",
                prijs="1 dienstencheque per uur",
                doelgroep="Alle inwoners",
                gemeenten="Gent;Kortrijk",
            )
        ],
    )
    page = text_of(client.get("/gent/diensten/1"))
    for expected in [
        "Poetsdienst De Bezem",
        "Door Vzw Proper Thuis",
        "Alle inwoners",
        "Kerkstraat 1, 9000 Gent",
        "Gent, Kortrijk",
        "ma–vr 9–12 u",
        "1 dienstencheque per uur",
        "09 000 11 22",
        "info@bezem.example",
        "Laatst gecontroleerd",
    ]:
        assert expected in page


def test_a_service_is_not_shown_on_a_region_it_does_not_serve(client, add_services):
    add_services(
        "kortrijk",
        [service_row(extern_id="k", gemeenten="Kortrijk", postcode="8500", gemeente="Kortrijk")],
    )
    assert client.get("/kortrijk/diensten/1").status_code == 200
    assert client.get("/gent/diensten/1").status_code == 404


def test_about_page_carries_the_data_attribution(client):
    page = text_of(client.get("/over"))
    assert "GeoNames (geonames.org), CC BY 4.0" in page
    assert "Statbel (Algemene Directie Statistiek), CC BY 4.0" in page
    # The monitoring's figures per 1 000 inhabitants rest on Statbel's population figures.
    assert "Inwoners per gemeente (1 januari 2024, afgerond op 500)" in page


def test_demo_banner_when_the_catalogue_is_fictional(client, app):
    from dienstenwijzer.db import db
    from dienstenwijzer.models import Region

    db.session.scalar(db.select(Region).where(Region.slug == "gent")).demo_catalogue = True
    db.session.commit()
    assert "alle aanbieders, adressen en telefoonnummers op deze site zijn verzonnen" in text_of(
        client.get("/gent/")
    )
    assert "verzonnen" not in text_of(client.get("/kortrijk/"))


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
