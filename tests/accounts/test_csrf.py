"""Every form is protected against cross-site request forgery."""

import re

import pytest

from tests.conftest import PASSWORD, service_row


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def token(page) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True)).group(1)


def test_login_without_a_token_is_refused(client, staff, csrf_on):
    response = client.post(
        "/aanmelden", data={"email": "regisseur@gent.example", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert client.get("/gent/beheer/").status_code == 302


def test_back_office_posts_need_the_token(client, staff, csrf_on, add_services):
    add_services("gent", [service_row(extern_id="a")])
    page = client.get("/aanmelden")
    assert (
        client.post(
            "/aanmelden",
            data={
                "email": "regisseur@gent.example",
                "password": PASSWORD,
                "csrf_token": token(page),
            },
        ).status_code
        == 302
    )
    forged = client.post("/gent/beheer/diensten/1/archiveren")
    assert forged.status_code == 400
    from dienstenwijzer.db import db
    from dienstenwijzer.models import Service

    assert db.session.get(Service, 1).status == "active"
    confirm = client.get("/gent/beheer/diensten/1/archiveren")
    assert (
        client.post(
            "/gent/beheer/diensten/1/archiveren", data={"csrf_token": token(confirm)}
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert db.session.get(Service, 1).status == "archived"


def test_logout_needs_the_token(client, staff, csrf_on):
    page = client.get("/aanmelden")
    client.post(
        "/aanmelden",
        data={"email": "regisseur@gent.example", "password": PASSWORD, "csrf_token": token(page)},
    )
    assert client.post("/afmelden").status_code == 400
    assert client.get("/gent/beheer/").status_code == 200


def test_the_residents_report_form_needs_the_token(client, csrf_on, add_services):
    add_services("gent", [service_row(extern_id="a")])
    assert (
        client.post("/gent/diensten/1/melden", data={"message": "Telefoon klopt niet"}).status_code
        == 400
    )
