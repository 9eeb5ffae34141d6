"""Concurrency cannot beat the one-time things of accounts: 20 submits of one set-password link
set one password; 40 wrong passwords at once get at most five guesses checked."""

import requests
from sqlalchemy import func, select

from dienstenwijzer.accounts.throttle import MAX_FAILURES
from dienstenwijzer.accounts.tokens import make_token
from dienstenwijzer.db import db
from dienstenwijzer.models import LoginAttempt, User
from tests.concurrency import at_once, served
from tests.conftest import login, make_user

HOST = {"Host": "dienstenwijzer.test"}


def test_twenty_submits_of_one_set_password_link_set_one_password(app, client):
    user = User(email="nieuw@gent.example", role="admin", active=True)
    db.session.add(user)
    db.session.commit()
    path = f"/wachtwoord-instellen/{make_token(user)}"
    passwords = [f"paarse olifant danst {i} keer rond" for i in range(20)]
    with served(app) as base:
        codes = at_once(
            20,
            lambda i: (
                requests.post(
                    base + path,
                    data={"password": passwords[i], "confirm": passwords[i]},
                    headers=HOST,
                    allow_redirects=False,
                    timeout=60,
                ).status_code
            ),
        )
    assert sorted(codes) == [302] + [400] * 19, f"{codes.count(302)} of 20 accepted: {codes}"
    winner = passwords[codes.index(302)]
    assert login(client, "nieuw@gent.example", winner).status_code == 302
    losers = [p for p, code in zip(passwords, codes, strict=True) if code != 302]
    other = client.application.test_client()
    assert login(other, "nieuw@gent.example", losers[0]).status_code == 400
    assert client.get(path).status_code == 400  # and the link is spent


def test_forty_wrong_passwords_at_once_get_at_most_five_guesses(app, client):
    make_user("doelwit@gent.example", "regisseur", "gent")
    with served(app) as base:
        pages = at_once(
            40,
            lambda i: (
                requests.post(
                    base + "/aanmelden",
                    data={"email": "doelwit@gent.example", "password": f"gok nummer {i:02d} fout"},
                    headers=HOST,
                    allow_redirects=False,
                    timeout=120,
                ).text
            ),
        )
    checked = sum("Het e-mailadres of het wachtwoord klopt niet." in page for page in pages)
    refused = sum("Te veel mislukte pogingen" in page for page in pages)
    assert (checked, refused) == (MAX_FAILURES, 40 - MAX_FAILURES)
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == MAX_FAILURES
