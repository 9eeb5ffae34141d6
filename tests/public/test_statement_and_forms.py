"""Screen-reader and phone polish that needs no browser (issue 12, item 4)."""

import re

from tests.conftest import service_row
from tests.public.test_pages import text_of


def test_the_consent_error_stands_next_to_its_checkbox_too(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    response = client.post(
        "/gent/diensten/1/melden",
        data={"message": "Het nummer werkt niet.", "contact_email": "a@b.be"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    summary, _, form = html.partition("<form")
    message = "Vink aan dat we u mogen contacteren, of laat uw e-mailadres weg."
    assert message in summary and message in form
    checkbox = re.search(r"<input[^>]*id=\"contact_consent\"[^>]*>", form).group(0)
    assert 'aria-invalid="true"' in checkbox and "contact_consent-error" in checkbox
    assert re.search(r'class="error-summary"[^>]*tabindex="-1"[^>]*autofocus', summary)


def test_the_phone_number_is_a_call_button(client, add_services):
    add_services("gent", [service_row(extern_id="a", telefoon="09 000 11 22")])
    html = client.get("/gent/diensten/1").get_data(as_text=True)
    assert '<a class="call" href="tel:090001122">Bel 09 000 11 22</a>' in html


def test_the_accessibility_statement_follows_the_flemish_model(client):
    page = text_of(client.get("/toegankelijkheid"))
    for part in (
        "Nalevingsstatus",
        "gedeeltelijk conform",
        "WCAG) 2.1, niveau AA",
        "Wat nog niet toegankelijk is",
        "opgesteld op 1 december 2026",
        "Feedback en contact",
        "09 000 10 00",
        "Vlaamse Ombudsdienst",
    ):
        assert part in page, part


def test_every_footer_links_to_the_accessibility_statement(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    for path in (
        "/",
        "/gent/",
        "/gent/zoeken?q=poetsen",
        "/gent/diensten/1",
        "/over",
        "/gent/bestaat-niet/",
        "/aanmelden",
    ):
        footer = client.get(path).get_data(as_text=True).partition("<footer")[2]
        assert 'href="/toegankelijkheid"' in footer, path
