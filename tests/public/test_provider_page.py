"""A provider's page for residents: who, contact, all their services and jobs here (item 3)."""

from tests.conftest import service_row
from tests.jobs.conftest import make_vacancy
from tests.public.test_pages import text_of


def _two_services_and_one_elsewhere(add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a", naam="Poetsdienst De Bezem", aanbieder="Vzw Proper Thuis"),
            service_row(
                extern_id="b",
                naam="Strijkatelier Proper",
                aanbieder="Vzw Proper Thuis",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen.",
            ),
            # Same provider, but this service serves only Kortrijk: not shown on Gent's page.
            service_row(
                extern_id="c",
                naam="Klusjes Kortrijk",
                aanbieder="Vzw Proper Thuis",
                categorie="klusjesdienst",
                gemeenten="Kortrijk",
                postcode="8500",
                gemeente="Kortrijk",
                omschrijving="Kleine klussen in huis.",
                dienstencheques="nee",
            ),
            service_row(
                extern_id="d",
                naam="Tuinploeg",
                aanbieder="Vzw Groen",
                categorie="tuinonderhoud",
                omschrijving="Wij maaien uw gras.",
                dienstencheques="nee",
            ),
        ],
    )


def test_the_provider_page_lists_all_their_services_here_and_how_to_reach_them(
    client, add_services
):
    _two_services_and_one_elsewhere(add_services)
    service = client.get("/gent/diensten/1").get_data(as_text=True)
    assert 'href="/gent/aanbieders/1"' in service  # linked from each service page
    page = text_of(client.get("/gent/aanbieders/1"))
    assert "Vzw Proper Thuis" in page and "Deze aanbieder heeft 2 diensten" in page
    assert "Poetsdienst De Bezem" in page and "Strijkatelier Proper" in page
    assert "Klusjes Kortrijk" not in page and "Tuinploeg" not in page
    assert "Kerkstraat 1, 9000 Gent" in page
    kortrijk = text_of(client.get("/kortrijk/aanbieders/1"))
    assert "Klusjes Kortrijk" in kortrijk and "Poetsdienst De Bezem" not in kortrijk


def test_a_provider_without_services_here_is_a_404(client, add_services):
    _two_services_and_one_elsewhere(add_services)
    assert client.get("/zoersel/aanbieders/1").status_code == 404
    assert client.get("/gent/aanbieders/999").status_code == 404


def test_the_provider_page_shows_their_open_vacancies_here(client, add_services):
    add_services("gent", [service_row(extern_id="g1", aanbieder="Invoegbedrijf De Schakel")])
    make_vacancy("gent", "Invoegbedrijf De Schakel", title="Medewerker strijkatelier")
    make_vacancy("gent", "Invoegbedrijf De Schakel", title="Chauffeur", status="closed")
    page = text_of(client.get("/gent/aanbieders/1"))
    assert "Jobs bij Invoegbedrijf De Schakel" in page
    assert "Medewerker strijkatelier" in page and "Chauffeur" not in page
