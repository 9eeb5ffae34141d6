"""Services are checked every 6 months; after 18 months unchecked residents no longer see them."""

import datetime as dt

import pytest
from sqlalchemy import update

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import Service
from tests.conftest import login, service_row


def age(service_id: int, days: int):
    db.session.execute(
        update(Service)
        .where(Service.id == service_id)
        .values(last_checked=dt.date.today() - dt.timedelta(days=days))
    )
    db.session.commit()
    search.rebuild_index()  # a bulk UPDATE bypasses the ORM hooks, so no outbox row: rebuild


@pytest.fixture
def regisseur(client, staff, add_services):
    add_services(
        "gent",
        [
            service_row(extern_id="a"),
            service_row(extern_id="b", naam="Strijkdienst Glad", categorie="wassen-strijken"),
        ],
    )
    login(client, "regisseur@gent.example")
    return client


def test_residents_see_the_last_checked_date(regisseur):
    assert "Laatst gecontroleerd" in regisseur.get("/gent/diensten/1").get_data(as_text=True)


def test_stale_services_are_listed_oldest_first(regisseur):
    age(1, 200)
    age(2, 400)
    page = regisseur.get("/gent/beheer/te-controleren").get_data(as_text=True)
    assert "2 diensten te controleren" in page
    assert page.index("Strijkdienst Glad") < page.index("Poetsdienst De Bezem")


def test_one_click_marks_a_service_checked(regisseur):
    age(1, 200)
    response = regisseur.post("/gent/beheer/diensten/1/gecontroleerd", data={"next": "stale"})
    assert response.headers["Location"].endswith("/gent/beheer/te-controleren")
    assert db.session.get(Service, 1).last_checked == dt.date.today()
    assert "Alles is gecontroleerd" in regisseur.get("/gent/beheer/te-controleren").get_data(
        as_text=True
    )


def test_after_18_months_a_service_is_hidden_until_checked(regisseur):
    age(1, 560)
    assert regisseur.get("/gent/diensten/1").status_code == 404
    api = regisseur.get("/gent/api/v1/services?search=poetsen").get_json()
    assert [c["name"] for c in api["contents"]] == ["Strijkdienst Glad"]
    assert "verborgen voor inwoners" in regisseur.get("/gent/beheer/te-controleren").get_data(
        as_text=True
    )
    regisseur.post("/gent/beheer/diensten/1/gecontroleerd")
    assert regisseur.get("/gent/diensten/1").status_code == 200
    assert regisseur.get("/gent/api/v1/services?search=poetsen").get_json()["total_items"] == 2


def test_the_periods_are_configurable(app, regisseur):
    app.config["STALE_AFTER_DAYS"] = 30
    age(1, 40)
    assert "1 dienst te controleren" in regisseur.get("/gent/beheer/te-controleren").get_data(
        as_text=True
    )
