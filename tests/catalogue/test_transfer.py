"""CSV import in the web UI (upload, dry run by the worker, confirm, import) and export."""

import io
import re

import pytest
from sqlalchemy import func, select

from dienstenwijzer import search
from dienstenwijzer.catalogue.import_jobs import run_pending_jobs
from dienstenwijzer.db import db
from dienstenwijzer.models import AuditEntry, ImportJobChunk, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import csv_text, login, service_row


@pytest.fixture
def regisseur(client, staff):
    login(client, "regisseur@gent.example")
    return client


def upload(client, text: str | bytes, name="aanbod.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        "/gent/beheer/import",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def checked(client, text: str | bytes, name="aanbod.csv") -> tuple[str, str]:
    """Upload, let the worker check it; (job page URL, the page)."""
    response = upload(client, text, name)
    assert response.status_code == 302, response.get_data(as_text=True)
    job_url = response.headers["Location"]
    run_pending_jobs()
    return job_url, client.get(job_url).get_data(as_text=True)


def confirmed(client, job_url: str) -> str:
    response = client.post(f"{job_url}/bevestigen")
    assert response.status_code == 302 and response.headers["Location"] == job_url
    run_pending_jobs()
    return client.get(job_url).get_data(as_text=True)


def count() -> int:
    return db.session.scalar(select(func.count(Service.id)))


def test_dry_run_shows_what_would_change_and_changes_nothing(regisseur, add_services):
    add_services("gent", [service_row(extern_id="a")])
    text = csv_text(
        [
            service_row(extern_id="a", naam="Poetsdienst Nieuwe Naam"),
            service_row(extern_id="b", naam="Strijkhulp"),
        ]
    )
    job_url, page = checked(regisseur, text)
    assert re.search(r"<strong>1</strong> nieuwe dienst", page)
    assert re.search(r"<strong>1</strong> bijgewerkte dienst", page)
    assert "Strijkhulp" in page and "Poetsdienst Nieuwe Naam" in page
    assert count() == 1
    assert db.session.get(Service, 1).name == "Poetsdienst De Bezem"

    done = confirmed(regisseur, job_url)
    assert "1 nieuw, 1 bijgewerkt, 0 ongewijzigd" in done
    db.session.expire_all()
    assert count() == 2
    assert [h.name for h in search.search("gent", SearchRequest(text="strijkhulp")).hits] == [
        "Strijkhulp"
    ]
    # Audited as the regisseur who confirmed, as an edit in the back office would be.
    actors = set(db.session.scalars(select(AuditEntry.actor).where(AuditEntry.entity == "service")))
    assert any(a.startswith("regisseur@gent.example") for a in actors), actors


def test_a_running_job_page_refreshes_itself_and_says_how_far_it_is(regisseur):
    response = upload(regisseur, csv_text([service_row(extern_id="a")]))
    page = regisseur.get(response.headers["Location"]).get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="5">' in page
    assert 'role="status"' in page and "klaar om gecontroleerd te worden" in page
    # Whoever is disturbed by the reloading can switch it off (WCAG 2.2.1).
    assert "Stop het automatisch verversen" in page
    calm = regisseur.get(response.headers["Location"], query_string={"verversen": "nee"})
    assert 'http-equiv="refresh"' not in calm.get_data(as_text=True)
    assert "klaar om gecontroleerd te worden" in calm.get_data(as_text=True)
    run_pending_jobs()
    page = regisseur.get(response.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "Ja, importeren" in page


def test_errors_are_listed_per_line_and_nothing_is_imported(regisseur):
    text = csv_text(
        [service_row(extern_id="a"), service_row(extern_id="b", categorie="ruimtevaart")]
    )
    _, page = checked(regisseur, text)
    assert "regel 3, kolom categorie: onbekende categorie &#39;ruimtevaart&#39;" in page
    assert "er is niets ingelezen" in page
    assert "Ja, importeren" not in page
    assert count() == 0


def test_many_errors_are_shown_a_page_at_a_time(regisseur):
    rows = [service_row(extern_id=f"x{i}", categorie="ruimtevaart") for i in range(150)]
    job_url, page = checked(regisseur, csv_text(rows))
    assert "150 fouten" in page
    assert "regel 2, kolom categorie" in page and "regel 101, kolom categorie" in page
    assert "regel 102, kolom categorie" not in page
    second = regisseur.get(job_url, query_string={"page": 2}).get_data(as_text=True)
    assert "regel 102, kolom categorie" in second and "regel 151, kolom categorie" in second
    # Past the end: the last page, not an empty one; no number: the first (paging.py).
    past_the_end = regisseur.get(job_url, query_string={"page": "99999999999999999999"})
    assert past_the_end.status_code == 302
    assert past_the_end.headers["Location"].endswith(f"{job_url}?page=2")
    no_number = regisseur.get(job_url, query_string={"page": "abc", "verversen": "nee"})
    assert no_number.status_code == 302
    assert no_number.headers["Location"].endswith(f"{job_url}?verversen=nee")


def test_a_job_is_confirmed_once_and_the_file_is_deleted_when_it_ends(regisseur):
    job_url, _ = checked(regisseur, csv_text([service_row(extern_id="a")]))
    assert db.session.scalar(select(func.count()).select_from(ImportJobChunk)) == 1
    confirmed(regisseur, job_url)
    again = regisseur.post(f"{job_url}/bevestigen", follow_redirects=True).get_data(as_text=True)
    assert "kan niet (meer) bevestigd worden" in again
    assert run_pending_jobs() == 0
    assert count() == 1
    assert db.session.scalar(select(func.count()).select_from(ImportJobChunk)) == 0


def test_a_cancelled_import_writes_nothing_and_keeps_no_file(regisseur):
    job_url, _ = checked(regisseur, csv_text([service_row(extern_id="a")]))
    page = regisseur.post(f"{job_url}/annuleren", follow_redirects=True).get_data(as_text=True)
    assert "De import is geannuleerd" in page
    assert regisseur.post(f"{job_url}/bevestigen").status_code == 302
    assert run_pending_jobs() == 0
    assert count() == 0
    assert db.session.scalar(select(func.count()).select_from(ImportJobChunk)) == 0


def test_the_catalogue_is_checked_again_when_the_import_runs(regisseur, add_services):
    job_url, _ = checked(
        regisseur, csv_text([service_row(extern_id="a"), service_row(extern_id="b", naam="Strijk")])
    )
    add_services("gent", [service_row(extern_id="a", naam="Intussen aangepast")])
    done = confirmed(regisseur, job_url)
    assert "0 nieuw" not in done and "1 nieuw, 1 bijgewerkt" in done
    db.session.expire_all()
    assert sorted(db.session.scalars(select(Service.name))) == ["Poetsdienst De Bezem", "Strijk"]


def test_not_utf8_and_wrong_extension_are_explained(regisseur):
    _, page = checked(regisseur, "naam;aanbieder\nCaf\u00e9;X\n".encode("latin-1"), "a.csv")
    assert "regel 2: het bestand is geen UTF-8" in page
    pdf = regisseur.post(
        "/gent/beheer/import",
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(b"%PDF"), "aanbod.pdf")},
    )
    assert pdf.status_code == 400
    assert "Kies een bestand dat eindigt op .csv." in pdf.get_data(as_text=True)


def test_uploads_are_limited_in_size(regisseur, app):
    assert app.config["MAX_CONTENT_LENGTH"] == 20 * 1024 * 1024
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    response = upload(regisseur, "x" * 20_000)
    assert response.status_code == 413
    assert "te groot" in response.get_data(as_text=True)


def test_uploads_are_limited_in_rows(regisseur, app):
    app.config["IMPORT_MAX_ROWS"] = 3
    _, page = checked(regisseur, csv_text([service_row(extern_id=f"r{i}") for i in range(4)]))
    assert "regel 5: het bestand heeft meer dan 3 diensten" in page
    assert count() == 0


def test_export_reimports_without_changes(regisseur, add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a", telefoon="+32 9 000 11 22", prijs="=1+1 per uur"),
            service_row(extern_id=None, naam="Zonder id", gemeenten="Gent;Kortrijk"),
        ],
    )
    export = regisseur.get("/gent/beheer/export.csv")
    assert export.mimetype == "text/csv"
    assert "attachment" in export.headers["Content-Disposition"]
    body = export.get_data(as_text=True)
    _, page = checked(regisseur, body)
    assert re.search(r"<strong>0</strong> nieuwe", page)
    assert re.search(r"<strong>0</strong> bijgewerkte", page)
    assert re.search(r"<strong>2</strong> ongewijzigd", page)


def test_export_is_safe_to_open_in_a_spreadsheet(regisseur, add_services):
    add_services(
        "gent",
        [
            service_row(
                extern_id="a",
                prijs='=HYPERLINK("http://evil.example")',
                doelgroep="@alle inwoners",
                openingsuren="-",
            )
        ],
    )
    body = regisseur.get("/gent/beheer/export.csv").get_data(as_text=True)
    cells = [
        c
        for line in body.splitlines()[1:]
        for c in re.split(r";(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)
    ]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@")) for c in cells)
    assert "'=HYPERLINK" in body and "'@alle inwoners" in body
