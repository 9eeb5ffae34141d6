"""Guessable passwords are refused wherever a password is set, with a reason in plain Dutch."""

import re

import pytest
from sqlalchemy import select

from dienstenwijzer.accounts.passwords import password_problem, personal_words
from dienstenwijzer.accounts.tokens import make_token
from dienstenwijzer.db import db
from dienstenwijzer.models import User
from tests.conftest import PASSWORD, login

GOOD = "paarse olifant danst op zolder"


@pytest.mark.parametrize(
    "password, reason",
    [
        ("aaaaaaaaaaaa", "Hetzelfde teken herhalen"),
        ("azertyuiop123", "Dit lijkt op een veelgebruikt wachtwoord."),
        ("wachtwoord1234", "“wachtwoord” proberen raders als eerste"),
        ("123456789012", "veelgebruikt wachtwoord"),
        ("Welkom123456", "“welkom” proberen raders als eerste"),
        ("peetersjan123", "uw naam of een deel van uw e-mailadres"),
    ],
)
def test_a_guessable_password_is_refused_with_its_reason(password, reason):
    problem = password_problem(password, personal_words("jan.peeters@gent.example", "Jan Peeters"))
    assert problem is not None and problem.startswith("Dit wachtwoord is te makkelijk te raden.")
    assert reason in problem
    assert "paarse olifant danst op zolder" in problem  # and what to do instead


@pytest.mark.parametrize("password", [GOOD, "mijn eigen lang wachtwoord", "Kx7#Lm2qPz9w"])
def test_a_strong_password_is_accepted(password):
    assert password_problem(password) is None


def test_the_set_password_link_refuses_a_guessable_password_and_keeps_the_link(app, client):
    user = User(email="nieuw@gent.example", role="admin", active=True)
    db.session.add(user)
    db.session.commit()
    path = f"/wachtwoord-instellen/{make_token(user)}"
    weak = client.post(path, data={"password": "aaaaaaaaaaaa", "confirm": "aaaaaaaaaaaa"})
    assert weak.status_code == 200
    assert "Dit wachtwoord is te makkelijk te raden." in weak.get_data(as_text=True)
    assert client.post(path, data={"password": GOOD, "confirm": GOOD}).status_code == 302
    assert login(client, "nieuw@gent.example", GOOD).status_code == 302


def test_changing_the_password_refuses_one_built_on_the_e_mail_address(client, staff):
    login(client, "regisseur@gent.example")
    weak = {"current": PASSWORD, "password": "regisseurgent1", "confirm": "regisseurgent1"}
    page = client.post("/account/wachtwoord", data=weak).get_data(as_text=True)
    assert "uw naam of een deel van uw e-mailadres" in page
    db.session.expire_all()
    unchanged = login(client.application.test_client(), "regisseur@gent.example")
    assert unchanged.status_code == 302


def test_create_user_refuses_a_guessable_password(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "eerste@dienstenwijzer.example", "--role", "admin"],
        input=f"azertyuiop123\nazertyuiop123\n{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Dit lijkt op een veelgebruikt wachtwoord." in result.output
    user = db.session.scalar(select(User).where(User.email == "eerste@dienstenwijzer.example"))
    assert user is not None and re.match(r"scrypt:", user.password_hash)
