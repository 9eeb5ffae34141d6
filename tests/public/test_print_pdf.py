"""The print view as a PDF (issue 12, item 2): the same services, to keep or print at the desk.

WeasyPrint needs Debian's Pango: without it these tests skip, except on CI (CI=true), which
must install it (.ci/run), as the browser tests do with Chromium.
"""

import io
import os
import re

import pytest
from pypdf import PdfReader

from dienstenwijzer.public import print_pdf, printing
from tests.conftest import service_row
from tests.public.test_pages import text_of
from tests.public.test_print_list import _catalogue


def _require_pdf() -> None:
    if print_pdf.pdf_renderer() is not None:
        return
    message = (
        "WeasyPrint does not load here (Pango missing: apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0 fonts-dejavu-core)."
    )
    if os.environ.get("CI"):
        pytest.fail(f"{message} CI must install it.", pytrace=False)
    pytest.skip(message)


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    pages = PdfReader(io.BytesIO(response.data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_pdf_has_the_searchs_services_grouped_with_the_date_and_contact(client, add_services):
    _require_pdf()
    _catalogue(add_services)
    view = client.get("/gent/zoeken/afdrukken?q=poetsen").get_data(as_text=True)
    assert 'href="/gent/zoeken/afdrukken.pdf?q=poetsen"' in view
    text = pdf_text(client.get("/gent/zoeken/afdrukken.pdf?q=poetsen"))
    assert "Poetshulp Proper" in text and "Strijkatelier De Plooi" in text
    assert "Tuinploeg Groen" not in text
    assert re.search(r"Huishoudhulp & hulp aan huis Poetshulp Proper", text)
    for fact in (
        "ma–vr 8.30–12.00",
        "1 dienstencheque per uur",
        "09 000 21 47",
        "Kerkstraat 1, 9000 Gent",
        "Afgedrukt op",
        "09 000 10 00",
        "Pagina 1 van 1",
    ):
        assert fact in text, fact


def test_a_wegwijzer_pdf_lists_what_comes_to_the_municipality(client, add_services):
    _require_pdf()
    _catalogue(add_services)
    text = pdf_text(client.get("/gent/zoeken/afdrukken.pdf?gemeente=44088"))
    assert "Diensten in Gent: komen naar Merelbeke-Melle" in text
    assert "Poetshulp Proper" in text and "Tuinploeg Groen" not in text


def test_a_pdf_never_holds_more_than_the_print_limit(client, add_services, monkeypatch):
    _require_pdf()
    add_services("gent", [service_row(extern_id=str(i), naam=f"Poetsploeg {i}") for i in range(3)])
    monkeypatch.setattr(printing, "PRINT_LIMIT", 2)
    text = pdf_text(client.get("/gent/zoeken/afdrukken.pdf?q=poetsen&per_page=50&page=2"))
    assert "3 diensten (de eerste 2)" in text
    assert len(re.findall(r"Poetsploeg \d", text)) == 2


def test_without_pango_the_pdf_link_says_so_in_dutch(client, add_services, monkeypatch):
    _catalogue(add_services)
    monkeypatch.setattr(print_pdf, "pdf_renderer", lambda: None)
    response = client.get("/gent/zoeken/afdrukken.pdf?q=poetsen")
    assert response.status_code == 503
    assert "PDF maken lukt op deze server niet; gebruik Afdrukken" in text_of(response)
    assert 'href="/gent/zoeken/afdrukken?q=poetsen"' in response.get_data(as_text=True)
