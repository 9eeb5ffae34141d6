"""Sessions can be revoked: logout really ends them; a password change ends the others."""

import datetime as dt

from sqlalchemy import select, update

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.models import LoginSession
from tests.conftest import PASSWORD, login


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, staff):
    login(client, "regisseur@gent.example")
    cookie = client.get_cookie("session", domain="dienstenwijzer.test")
    thief = app.test_client()
    thief.set_cookie("session", cookie.value, domain="dienstenwijzer.test")
    assert thief.get("/gent/beheer/").status_code == 200
    client.post("/afmelden")
    assert client.get("/gent/beheer/").status_code == 302
    assert thief.get("/gent/beheer/").status_code == 302  # the stolen cookie is dead too


def test_changing_the_password_ends_the_other_sessions(app, client, staff):
    login(client, "regisseur@gent.example")
    laptop = app.test_client()
    login(laptop, "regisseur@gent.example")
    response = client.post(
        "/account/wachtwoord",
        data={
            "current": PASSWORD,
            "password": "een nieuw lang wachtwoord",
            "confirm": "een nieuw lang wachtwoord",
        },
    )
    assert response.status_code == 302
    assert client.get("/gent/beheer/").status_code == 200  # this session stays
    assert laptop.get("/gent/beheer/").status_code == 302  # the other one is ended
    assert login(laptop, "regisseur@gent.example", "een nieuw lang wachtwoord").status_code == 302


def test_password_rules(client, staff):
    login(client, "regisseur@gent.example")
    short = client.post(
        "/account/wachtwoord", data={"current": PASSWORD, "password": "kort", "confirm": "kort"}
    )
    assert "Kies een wachtwoord van minstens 12 tekens." in short.get_data(as_text=True)
    long = "x" * 129
    too_long = client.post(
        "/account/wachtwoord", data={"current": PASSWORD, "password": long, "confirm": long}
    )
    assert "hoogstens 128 tekens" in too_long.get_data(as_text=True)
    wrong = client.post(
        "/account/wachtwoord",
        data={
            "current": "verkeerd wachtwoord",
            "password": "een nieuw lang wachtwoord",
            "confirm": "een nieuw lang wachtwoord",
        },
    )
    assert "Uw huidige wachtwoord klopt niet." in wrong.get_data(as_text=True)
    mismatch = client.post(
        "/account/wachtwoord",
        data={
            "current": PASSWORD,
            "password": "een nieuw lang wachtwoord",
            "confirm": "een ander lang wachtwoord",
        },
    )
    assert "De twee wachtwoorden zijn niet gelijk." in mismatch.get_data(as_text=True)


def test_passwords_are_stored_with_scrypt(staff):
    assert staff["regisseur"].password_hash.startswith("scrypt:")
    assert PASSWORD not in staff["regisseur"].password_hash


def test_an_idle_session_expires(client, staff):
    login(client, "regisseur@gent.example")
    old = utcnow() - dt.timedelta(hours=3)
    db.session.execute(update(LoginSession).values(last_seen_at=old))
    db.session.commit()
    assert client.get("/gent/beheer/").status_code == 302
    assert db.session.scalar(select(LoginSession)).revoked_at is not None


def test_deactivating_a_user_ends_their_sessions(app, client, staff):
    login(client, "regisseur@gent.example")
    admin = app.test_client()
    login(admin, "admin@dienstenwijzer.example")
    user = staff["regisseur"]
    response = admin.post(
        f"/beheer/gebruikers/{user.id}",
        data={"email": user.email, "name": "", "role": "regisseur", "region": "gent"},
    )  # "active" unchecked
    assert response.status_code == 302
    assert client.get("/gent/beheer/").status_code == 302
