"""CSV import in the web UI (dry run, then confirm) and export."""
import io
import re

import pytest
from sqlalchemy import func, select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import csv_text, login, service_row


@pytest.fixture
def regisseur(client, staff):
    login(client, "regisseur@gent.example")
    return client


def upload(client, text: str, name="aanbod.csv"):
    return client.post("/gent/beheer/import", data={"file": (io.BytesIO(text.encode("utf-8")), name)},
                       content_type="multipart/form-data")


def token(page: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', page).group(1)


def count() -> int:
    return db.session.scalar(select(func.count(Service.id)))


def test_dry_run_shows_what_would_change_and_changes_nothing(regisseur, add_services):
    add_services("gent", [service_row(extern_id="a")])
    text = csv_text([service_row(extern_id="a", naam="Poetsdienst Nieuwe Naam"), service_row(extern_id="b", naam="Strijkhulp")])
    page = upload(regisseur, text).get_data(as_text=True)
    assert re.search(r"<strong>1</strong> nieuwe dienst", page)
    assert re.search(r"<strong>1</strong> bijgewerkte dienst", page)
    assert "Strijkhulp" in page and "Poetsdienst Nieuwe Naam" in page
    assert count() == 1
    assert db.session.get(Service, 1).name == "Poetsdienst De Bezem"

    done = regisseur.post("/gent/beheer/import/bevestigen", data={"token": token(page)})
    assert "1 nieuw, 1 bijgewerkt, 0 ongewijzigd" in done.get_data(as_text=True)
    assert count() == 2
    assert [h.name for h in search.search("gent", SearchRequest(text="strijkhulp")).hits] == ["Strijkhulp"]


def test_errors_are_listed_per_line_and_nothing_is_imported(regisseur):
    text = csv_text([service_row(extern_id="a"), service_row(extern_id="b", categorie="ruimtevaart")])
    response = upload(regisseur, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "regel 3, kolom categorie: onbekende categorie &#39;ruimtevaart&#39;" in page
    assert "er is niets ingelezen" in page
    assert 'name="token"' not in page
    assert count() == 0


def test_a_tampered_or_foreign_confirmation_is_refused(regisseur, app):
    page = upload(regisseur, csv_text([service_row(extern_id="a")])).get_data(as_text=True)
    good = token(page)
    assert regisseur.post("/gent/beheer/import/bevestigen", data={"token": good[:-3] + "abc"}).status_code == 400
    assert count() == 0
    from dienstenwijzer.catalogue.transfer_views import _signer
    with app.test_request_context():
        foreign = _signer().dumps({"region": "kortrijk", "csv": csv_text([service_row()]), "name": "x.csv"})
    assert regisseur.post("/gent/beheer/import/bevestigen", data={"token": foreign}).status_code == 400
    assert count() == 0


def test_not_utf8_and_wrong_extension_are_explained(regisseur):
    latin = regisseur.post("/gent/beheer/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO("naam;aanbieder\nCaf\u00e9;X\n".encode("latin-1")), "a.csv")})
    assert "het bestand is geen UTF-8" in latin.get_data(as_text=True)
    pdf = regisseur.post("/gent/beheer/import", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(b"%PDF"), "aanbod.pdf")})
    assert "Kies een bestand dat eindigt op .csv." in pdf.get_data(as_text=True)


def test_uploads_are_limited_in_size(regisseur, app):
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(regisseur, "x" * 20_000)
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_export_reimports_without_changes(regisseur, add_services):
    add_services("gent", [service_row(extern_id="a", telefoon="+32 9 000 11 22", prijs="=1+1 per uur"),
                          service_row(extern_id=None, naam="Zonder id", gemeenten="Gent;Kortrijk")])
    export = regisseur.get("/gent/beheer/export.csv")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    body = export.get_data(as_text=True)
    page = upload(regisseur, body).get_data(as_text=True)
    assert re.search(r"<strong>0</strong> nieuwe", page)
    assert re.search(r"<strong>0</strong> bijgewerkte", page)
    assert re.search(r"<strong>2</strong> ongewijzigd", page)


def test_export_is_safe_to_open_in_a_spreadsheet(regisseur, add_services):
    add_services("gent", [service_row(extern_id="a", prijs="=HYPERLINK(\"http://evil.example\")",
                                      doelgroep="@alle inwoners", openingsuren="-")])
    body = regisseur.get("/gent/beheer/export.csv").get_data(as_text=True)
    cells = [c for line in body.splitlines()[1:] for c in re.split(r";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK" in body and "'@alle inwoners" in body
