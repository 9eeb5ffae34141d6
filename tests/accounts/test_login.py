"""Staff log in and out; failed attempts are throttled per account and per client."""

import datetime as dt

from sqlalchemy import func, select, update

from dienstenwijzer.clock import utcnow
from dienstenwijzer.db import db
from dienstenwijzer.models import LoginAttempt
from tests.conftest import PASSWORD, login


def test_a_regisseur_lands_in_their_own_back_office(client, staff):
    response = login(client, "regisseur@gent.example")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/gent/beheer/")
    assert client.get("/gent/beheer/").status_code == 200


def test_an_admin_lands_on_the_overview_of_all_regions(client, staff):
    response = login(client, "admin@dienstenwijzer.example")
    assert response.headers["Location"].endswith("/beheer/")
    assert "Dienstenwijzer Zoersel" in client.get("/beheer/").get_data(as_text=True)


def test_email_is_not_case_sensitive(client, staff):
    assert login(client, "Regisseur@Gent.Example").status_code == 302


def test_wrong_password_gets_one_message_that_does_not_tell_which_part_was_wrong(client, staff):
    wrong = login(client, "regisseur@gent.example", "niet het juiste wachtwoord")
    unknown = login(client, "niemand@gent.example", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "Het e-mailadres of het wachtwoord klopt niet." in response.get_data(as_text=True)


def test_next_parameter_only_to_this_site(client, staff):
    inside = client.post(
        "/aanmelden?next=/gent/beheer/diensten",
        data={"email": "regisseur@gent.example", "password": PASSWORD},
    )
    assert inside.headers["Location"].endswith("/gent/beheer/diensten")
    client.post("/afmelden")
    outside = client.post(
        "/aanmelden?next=https://evil.example/",
        data={"email": "regisseur@gent.example", "password": PASSWORD},
    )
    assert "evil.example" not in outside.headers["Location"]


def test_anonymous_visitors_are_sent_to_the_login_page(client, staff):
    response = client.get("/gent/beheer/diensten")
    assert response.status_code == 302
    assert "/aanmelden?next=" in response.headers["Location"]


def test_five_failures_block_the_account_even_with_the_right_password(client, staff):
    for _ in range(5):
        assert login(client, "regisseur@gent.example", "fout wachtwoord 123").status_code == 400
    blocked = login(client, "regisseur@gent.example")
    assert blocked.status_code == 400
    assert "Te veel mislukte pogingen" in blocked.get_data(as_text=True)


def test_the_block_is_counted_in_the_database_and_ends(client, staff):
    for _ in range(5):
        login(client, "regisseur@gent.example", "fout wachtwoord 123")
    assert db.session.scalar(select(func.count(LoginAttempt.id))) == 5
    # No address is stored: only a keyed hash of it.
    assert all(
        len(a.client_hash) == 64 and "127.0.0.1" not in a.client_hash
        for a in db.session.scalars(select(LoginAttempt))
    )
    assert login(client, "regisseur@gent.example").status_code == 400
    past = utcnow() - dt.timedelta(minutes=16)
    db.session.execute(update(LoginAttempt).values(created_at=past))
    db.session.commit()
    assert login(client, "regisseur@gent.example").status_code == 302


def test_one_client_trying_many_accounts_is_blocked(client, staff):
    for i in range(5):
        login(client, f"gok{i}@gent.example", "fout wachtwoord 123")
    response = login(client, "admin@dienstenwijzer.example")
    assert response.status_code == 400
    assert "Te veel mislukte pogingen" in response.get_data(as_text=True)


def test_a_success_clears_the_accounts_failures(client, staff):
    for _ in range(4):
        login(client, "regisseur@gent.example", "fout wachtwoord 123")
    assert login(client, "regisseur@gent.example").status_code == 302
    assert (
        db.session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == "regisseur@gent.example"
            )
        )
        == 0
    )


def test_a_deactivated_account_cannot_log_in(client, staff):
    staff["regisseur"].active = False
    db.session.commit()
    assert login(client, "regisseur@gent.example").status_code == 400


def test_a_consulent_lands_in_the_werkwinkel(client, staff):
    response = login(client, "consulent@gent.example")
    assert response.headers["Location"].endswith("/gent/werkwinkel/")
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.get("/beheer/").headers["Location"].endswith("/gent/werkwinkel/")
