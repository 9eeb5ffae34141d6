"""Admins manage accounts in the web UI; the first admin comes from the command line."""

import re

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import User
from tests.conftest import login


def test_admin_creates_a_regisseur_who_sets_a_password_through_the_link(app, client, staff):
    login(client, "admin@dienstenwijzer.example")
    response = client.post(
        "/beheer/gebruikers/nieuw",
        data={
            "email": "Nieuw@Leuven.example",
            "name": "An",
            "role": "regisseur",
            "region": "leuven",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Gebruiker aangemaakt" in page
    link = re.search(r'value="(http[^"]+/wachtwoord-instellen/[^"]+)"', page).group(1)
    user = db.session.scalar(select(User).where(User.email == "nieuw@leuven.example"))
    assert user.region.slug == "leuven" and user.password_hash is None

    newcomer = app.test_client()
    path = link.split("dienstenwijzer.test", 1)[1]
    assert newcomer.get(path).status_code == 200
    done = newcomer.post(
        path,
        data={"password": "mijn eigen lang wachtwoord", "confirm": "mijn eigen lang wachtwoord"},
    )
    assert done.status_code == 302
    assert (
        login(newcomer, "nieuw@leuven.example", "mijn eigen lang wachtwoord")
        .headers["Location"]
        .endswith("/leuven/beheer/")
    )
    # The link works once.
    again = newcomer.get(path)
    assert again.status_code == 400 and "al gebruikt" in again.get_data(as_text=True)


def test_a_tampered_link_is_refused(client, staff):
    response = client.get("/wachtwoord-instellen/eyJ1IjoxfQ.bad.signature")
    assert response.status_code == 400
    assert "ongeldig" in response.get_data(as_text=True)


def test_duplicate_email_and_missing_region_are_explained(client, staff):
    login(client, "admin@dienstenwijzer.example")
    page = client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "regisseur@gent.example", "role": "regisseur", "region": "gent"},
    ).get_data(as_text=True)
    assert "Er bestaat al een account met dit e-mailadres." in page
    page = client.post(
        "/beheer/gebruikers/nieuw",
        data={"email": "x@gent.example", "role": "consulent", "region": ""},
    ).get_data(as_text=True)
    assert "Kies het zorggebied van deze regisseur of consulent." in page
    assert 'value="x@gent.example"' in page  # what was typed is kept


def test_admin_cannot_remove_their_own_admin_rights(client, staff):
    login(client, "admin@dienstenwijzer.example")
    admin = staff["admin"]
    page = client.post(
        f"/beheer/gebruikers/{admin.id}",
        data={"email": admin.email, "role": "regisseur", "region": "gent", "active": "y"},
    ).get_data(as_text=True)
    assert "U kunt uw eigen beheerdersrechten niet intrekken." in page


def test_only_admins_manage_users(client, staff):
    login(client, "regisseur@gent.example")
    assert client.get("/beheer/gebruikers").status_code == 403
    assert (
        client.post(
            "/beheer/gebruikers/nieuw", data={"email": "a@b.example", "role": "admin"}
        ).status_code
        == 403
    )


def test_create_user_command_asks_for_a_password(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["create-user", "eerste@dienstenwijzer.example", "--role", "admin"],
        input="te kort\nte kort\neen lang genoeg wachtwoord\neen lang genoeg wachtwoord\n",
    )
    assert result.exit_code == 0, result.output
    assert "Kies een wachtwoord van minstens 12 tekens." in result.output
    user = db.session.scalar(select(User).where(User.email == "eerste@dienstenwijzer.example"))
    assert user.is_admin and user.password_hash.startswith("scrypt:")


def test_create_user_command_can_print_a_one_time_link(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "r@gent.example", "--role", "regisseur", "--region", "gent", "--link"]
    )
    assert result.exit_code == 0, result.output
    assert "/wachtwoord-instellen/" in result.output


def test_create_user_command_needs_a_region_for_staff(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "r@gent.example", "--role", "regisseur", "--link"]
    )
    assert result.exit_code != 0
    assert "Geef met --region het zorggebied op" in result.output
