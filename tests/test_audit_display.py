"""The audit trail in plain Dutch: what a regisseur reads on the history page."""

import datetime as dt
import re

from sqlalchemy import select

from dienstenwijzer.audit_display import date_text, describe, moment_text
from dienstenwijzer.db import db
from dienstenwijzer.models import AuditEntry
from tests.catalogue.test_editing import form_data
from tests.conftest import text_of


def last_change(entries=1):
    """The newest entry, with the changes of the newest `entries` entries (one save can flush twice)."""
    newest = db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(entries)
    ).all()
    views = describe(db.session, newest)
    return views[0], {c.label: c for v in views for c in v.changes}


def test_values_read_as_words_not_codes(regisseur):
    regisseur.post(
        "/gent/beheer/diensten/1",
        data=form_data(
            dienstencheques=None,
            categories=["poetsen", "ramen-wassen"],
            served_other="Destelbergen",
        ),
    )
    view, changes = last_change(entries=2)
    assert view.action == "gewijzigd" and view.name == "Poetsdienst De Bezem"
    assert (changes["Dienstencheques"].old_text, changes["Dienstencheques"].new_text) == (
        "ja",
        "nee",
    )
    municipalities = changes["Voor inwoners van"]
    assert municipalities.old_text == "Gent"
    assert [(i.text, i.mark) for i in municipalities.new] == [
        ("Destelbergen", "toegevoegd"),
        ("Gent", ""),
    ]
    categories = changes["Soort dienst"]
    assert ("Ramen wassen", "toegevoegd") in [(i.text, i.mark) for i in categories.new]
    assert "ramen-wassen" not in categories.new_text


def test_status_and_dates_in_dutch(regisseur):
    regisseur.post("/gent/beheer/diensten/1/archiveren")
    view, changes = last_change()
    assert view.action == "gearchiveerd"
    assert (changes["Status"].old_text, changes["Status"].new_text) == ("actief", "gearchiveerd")
    assert date_text("2026-03-04") == "4 maart 2026"
    # Stored in UTC, shown in Belgian time (winter: +1 hour).
    assert moment_text(dt.datetime(2026, 1, 5, 9, 30)) == "5 januari 2026 om 10:30"


def test_history_page_shows_each_change_old_and_new_side_by_side(regisseur):
    regisseur.post(
        "/gent/beheer/diensten/1",
        data=form_data(name="Poetsdienst Zonnestraal", dienstencheques=None),
    )
    html = regisseur.get("/gent/beheer/geschiedenis?soort=service&id=1").get_data(as_text=True)
    assert '<th scope="col">Was</th><th scope="col">Wordt</th>' in html
    row = re.search(r"<th scope=\"row\">Naam</th>(.*?)</tr>", html, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) == [
        "Poetsdienst De Bezem",
        "Poetsdienst Zonnestraal",
    ]
    row = re.search(r"<th scope=\"row\">Dienstencheques</th>(.*?)</tr>", html, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) == ["ja", "nee"]
    page = text_of(html)
    assert "True" not in page and "False" not in page and "44021" not in page
    assert "Dienst Poetsdienst Zonnestraal gewijzigd" in page
    assert re.search(
        r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
        r"november|december) 20\d\d om \d\d:\d\d door regisseur@gent.example",
        page,
    )


def test_a_new_service_lists_what_was_filled_in(regisseur):
    html = regisseur.get("/gent/beheer/geschiedenis").get_data(as_text=True)
    assert "Dienst Poetsdienst De Bezem aangemaakt" in text_of(html)
    assert '<th scope="col">Ingevuld</th>' in html
    row = re.search(r"<th scope=\"row\">Gemeente \(adres\)</th>(.*?)</tr>", html, re.DOTALL).group(
        1
    )
    assert "Gent" in row and "44021" not in row
