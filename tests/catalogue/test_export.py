"""The CSV export neutralises spreadsheet formulas, also behind leading whitespace."""

import csv
import io

import pytest
from sqlalchemy import select

from dienstenwijzer.catalogue.export import export_csv, protect
from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.db import db
from dienstenwijzer.models import Region, Service
from dienstenwijzer.places import Places
from tests.conftest import service_row


@pytest.mark.parametrize(
    "value, exported",
    [
        ("=1+1", "'=1+1"),
        (" =1+1", "'=1+1"),
        ("\t@SUM(A1)", "'\t@SUM(A1)"),
        ("  \u00a0+32 9 000 00 00", "'+32 9 000 00 00"),
        ("\r\n-2", "'\r\n-2"),
        (" \t=1", "'=1"),
        ("\t", "'\t"),
        ("  gewoon tekst", "  gewoon tekst"),
        ("Poetsdienst = goed", "Poetsdienst = goed"),
    ],
)
def test_a_cell_a_spreadsheet_would_run_gets_an_apostrophe(value, exported):
    assert protect(value) == exported


def test_a_formula_behind_spaces_is_neutral_and_reimports_as_the_same_text(app, add_services):
    add_services("gent", [service_row(extern_id="a1")])
    service = db.session.scalar(select(Service))
    service.name = ' =HYPERLINK("http://evil.example","klik")'
    service.phone = "  +32 9 000 00 00"
    db.session.commit()
    gent = db.session.scalar(select(Region).where(Region.slug == "gent"))
    text = export_csv(db.session, gent)
    [cells] = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert cells["naam"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert cells["telefoon"] == "'+32 9 000 00 00"
    plan = plan_import(db.session, gent, text.lstrip("\ufeff"), Places(db.session))
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.rows == 1
    apply_import(db.session, gent, plan)
    db.session.commit()
    db.session.refresh(service)
    assert service.name == '=HYPERLINK("http://evil.example","klik")'
    assert service.phone == "+32 9 000 00 00"
