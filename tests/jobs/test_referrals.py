"""Referrals: the pseudonymous reference, the status workflow, audited reads, the letter."""

import datetime as dt
import re

import pytest
from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.jobs import referrals
from dienstenwijzer.models import Referral, ReferralAccess, ReferralStep, Vacancy
from tests.conftest import login
from tests.jobs.conftest import refer

GOOD = ["GENT-25-014", "ww 2025/17", "K12", "dossier-7a", "JS_2025_0142"]
BAD = [
    ("Jan Peeters", "voornaam en achternaam"),
    ("jan peeters 1", "voornaam en achternaam"),
    ("Marie-Claire Van den Broeck", "voornaam en achternaam"),
    ("85.07.30-033.28", "rijksregisternummer"),
    ("85073003328", "rijksregisternummer"),
    ("jan.peeters@voorbeeld.be", "e-mailadres"),
    ("0470 12 34 56", "telefoonnummer"),
    ("+32 9 123 45 67", "telefoonnummer"),
    ("09/123.45.67", "telefoonnummer"),
    ("Peeters", "zonder cijfers"),
    ("ab", "3 tot 40"),
]


@pytest.mark.parametrize("reference", GOOD)
def test_pseudonymous_references_are_accepted(reference):
    assert referrals.check_reference(reference) == reference


@pytest.mark.parametrize(("reference", "why"), BAD)
def test_identifying_references_are_refused_in_dutch(reference, why):
    with pytest.raises(referrals.ReferralError, match=why):
        referrals.check_reference(reference)


def test_the_referral_form_refuses_a_name_and_keeps_nothing(client, world):
    login(client, "consulent@gent.example")
    html = client.post(
        "/gent/werkwinkel/", data={"age": "30", "diploma": "geen", "months_job_seeker": "20"}
    ).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    page = client.post(
        "/gent/werkwinkel/doorverwijzingen/nieuw", data={"token": token, "reference": "Jan Peeters"}
    )
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Er is een probleem" in text and "voornaam en achternaam" in text
    assert db.session.scalar(select(Referral)) is None


def test_a_forged_or_foreign_token_is_refused(client, world):
    login(client, "consulent@gent.example")
    page = client.post(
        "/gent/werkwinkel/doorverwijzingen/nieuw", data={"token": "x.y.z", "reference": "GENT-1"}
    )
    assert page.status_code == 400 and "controle" in page.get_data(as_text=True)
    assert db.session.scalar(select(Referral)) is None


# -- workflow -------------------------------------------------------------------------------------

LEGAL = [
    ["contact", "gesprek", "aangeworven"],
    ["contact", "gesprek", "niet-weerhouden"],
    ["contact", "niet-weerhouden"],
    ["contact", "gesprek", "afgehaakt"],
    ["afgehaakt"],
    ["geen-reactie"],
    ["contact", "geen-reactie"],
]
ILLEGAL = [
    ([], "gesprek"),  # skips contact
    ([], "aangeworven"),
    ([], "niet-weerhouden"),
    (["contact"], "aangeworven"),  # skips the interview
    (["contact"], "doorverwezen"),  # back
    (["contact", "gesprek"], "contact"),
    (["afgehaakt"], "contact"),  # after an outcome nothing changes
    (["contact", "gesprek", "aangeworven"], "niet-weerhouden"),
    ([], "bestaat-niet"),
]


@pytest.mark.parametrize("path", LEGAL)
def test_legal_paths_are_recorded_step_by_step_with_who_and_when(world, path):
    referral = refer(world.invoeg)
    for status in path:
        referrals.advance(
            db.session, referral, status, (world.staff["consulent"].id, "consulent@gent.example")
        )
    db.session.commit()
    steps = db.session.scalars(
        select(ReferralStep)
        .where(ReferralStep.referral_id == referral.id)
        .order_by(ReferralStep.id)
    ).all()
    assert [s.status for s in steps] == ["doorverwezen", *path]
    assert all(s.set_at and s.set_by for s in steps)
    assert steps[-1].set_by == "consulent@gent.example"
    assert referral.status == path[-1]
    assert (referral.closed_at is not None) == (
        path[-1] in ("aangeworven", "niet-weerhouden", "afgehaakt", "geen-reactie")
    )


@pytest.mark.parametrize(("before", "status"), ILLEGAL)
def test_illegal_transitions_are_refused(world, before, status):
    referral = refer(world.invoeg)
    for s in before:
        referrals.advance(db.session, referral, s, (None, "x"))
    with pytest.raises(referrals.ReferralError):
        referrals.advance(db.session, referral, status, (None, "x"))


def test_an_illegal_step_through_the_page_is_refused_with_a_message(client, world):
    referral = refer(world.invoeg)
    login(client, "consulent@gent.example")
    page = client.post(
        f"/gent/werkwinkel/doorverwijzingen/{referral.id}/status", data={"status": "aangeworven"}
    )
    assert page.status_code == 400
    assert "Na “doorverwezen” kan alleen" in page.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Referral, referral.id).status == "doorverwezen"


def test_hiring_for_every_place_fills_the_vacancy(world):
    referral = refer(world.invoeg)
    for s in ("contact", "gesprek", "aangeworven"):
        referrals.advance(db.session, referral, s, (None, "x"))
    db.session.commit()
    vacancy = db.session.get(Vacancy, world.invoeg.id)
    assert vacancy.status == "ingevuld" and vacancy.filled_at is not None


def test_no_referral_to_a_closed_vacancy(world):
    with pytest.raises(referrals.ReferralError, match="niet meer open"):
        refer(world.closed)


# -- reads are audited, the letter carries no name ---------------------------------------------------


def test_every_read_of_a_referral_is_recorded(client, world):
    referral = refer(world.invoeg)
    login(client, "consulent@gent.example")
    client.get(f"/gent/werkwinkel/doorverwijzingen/{referral.id}")
    client.get(f"/gent/werkwinkel/doorverwijzingen/{referral.id}/brief")
    client.get("/gent/werkwinkel/doorverwijzingen")
    client.get(f"/gent/werkwinkel/vacatures/{world.invoeg.id}")
    rows = db.session.scalars(select(ReferralAccess).order_by(ReferralAccess.id)).all()
    assert [(r.action, r.actor, r.referral_id) for r in rows] == [
        ("bekeken", "consulent@gent.example", referral.id),
        ("brief", "consulent@gent.example", referral.id),
        ("lijst", "consulent@gent.example", referral.id),
        ("lijst", "consulent@gent.example", referral.id),
    ]


def test_the_letter_has_a_blank_for_the_name_and_no_way_to_send_it(client, world):
    referral = refer(world.invoeg)
    referrals.set_appointment(db.session, referral, dt.datetime(2030, 3, 4, 10, 30), "Mevrouw Smet")
    db.session.commit()
    login(client, "consulent@gent.example")
    page = client.get(f"/gent/werkwinkel/doorverwijzingen/{referral.id}/brief")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert "Naam:" in html and 'class="blank"' in html
    assert (
        "<form" not in html.split('<article class="letter">')[1]
    )  # nothing in the letter is sent anywhere
    for expected in (
        "Medewerker strijkatelier",
        "Invoegbedrijf De Schakel",
        "Kerkstraat 1",
        "09 000 00 02",
        "jobs@schakel.example",
        "4 maart 2030 om 10.30 uur",
        "Mevrouw Smet",
        "GENT-25-001",
    ):
        assert expected in html, expected
    assert "css/jobs.css" in html  # print styles
