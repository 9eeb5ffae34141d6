"""Follow-up figures: waiting referrals, candidates per vacancy, time to fill, outcomes; CSV."""

import datetime as dt

from sqlalchemy import update

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.jobs import followup, referrals
from dienstenwijzer.models import Referral, Vacancy
from tests.conftest import login
from tests.jobs.conftest import refer


def test_figures_and_csv(client, world):
    waiting = refer(world.invoeg, reference="GENT-WACHT-1")
    hired = refer(world.invoeg_far, reference="GENT-AW-1")
    for s in ("contact", "gesprek", "aangeworven"):
        referrals.advance(db.session, hired, s, (None, "x"))
    db.session.commit()
    long_ago = utcnow() - dt.timedelta(days=30)
    db.session.execute(
        update(Referral).where(Referral.id == waiting.id).values(status_changed_at=long_ago)
    )
    db.session.execute(
        update(Vacancy)
        .where(Vacancy.id == world.invoeg_far.id)
        .values(created_at=long_ago, filled_at=long_ago + dt.timedelta(days=10))
    )
    db.session.commit()
    region = world.invoeg.region

    assert [r.id for r in followup.waiting_referrals(db.session, region, 14)] == [waiting.id]
    candidates = {row[0]: row[1] for row in followup.candidates_series(db.session, region).rows}
    assert candidates["Medewerker strijkatelier (Invoegbedrijf De Schakel)"] == 1
    assert candidates["Boekhouder (Invoegbedrijf De Schakel)"] == 0
    assert followup.time_to_fill_series(db.session, region).rows == [("Invoegeconomie", 10.0, 1)]
    assert followup.outcomes_series(db.session, region).rows == [("Invoegeconomie", 1, 0, 0, 0, 1)]

    login(client, "consulent@gent.example")
    page = client.get("/gent/werkwinkel/opvolging")
    html = page.get_data(as_text=True)
    assert (
        page.status_code == 200
        and "GENT-WACHT-1" in html
        and "<svg" in html
        and "Download als CSV" in html
    )
    csv = client.get("/gent/werkwinkel/opvolging/uitkomsten.csv")
    assert csv.mimetype == "text/csv"
    assert (
        "Instrument;Aangeworven;Niet weerhouden;Afgehaakt;Geen reactie;Nog lopend"
        in csv.get_data(as_text=True)
    )
    assert "Invoegeconomie;1;0;0;0;1" in csv.get_data(as_text=True)
    assert client.get("/gent/werkwinkel/opvolging/bestaat-niet.csv").status_code == 404


def test_followup_empty_state(client, world):
    login(client, "consulent@gent.example")
    html = client.get("/gent/werkwinkel/opvolging").get_data(as_text=True)
    assert "Geen enkele lopende doorverwijzing wacht" in html and "Nog geen gegevens." in html
