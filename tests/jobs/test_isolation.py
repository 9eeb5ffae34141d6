"""Region isolation for every werkwinkel endpoint (DESIGN.md invariant 3).

The endpoints come from the app's URL map, so a new werkwinkel page is covered (or fails
here until it is) without anyone remembering to add it.
"""

import pytest
from sqlalchemy import func, select

from dienstenwijzer.db import db
from dienstenwijzer.models import Referral, ReferralAccess, ReferralStep, Vacancy
from tests.conftest import login, make_user
from tests.jobs.conftest import refer


def _endpoints(app):
    found = {}
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("jobs.") and "gebied" in rule.arguments:
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            found[rule.endpoint] = (rule, methods)
    return found


def _url(app, endpoint, slug, ids):
    from flask import url_for

    rule = _endpoints(app)[endpoint][0]
    values = {"gebied": slug}
    for arg in rule.arguments - {"gebied"}:
        values[arg] = ids[arg]
    with app.test_request_context():
        return url_for(endpoint, **values).replace("http://dienstenwijzer.test", "")


@pytest.fixture
def setup(app, world):
    make_user("consulent@kortrijk.example", "consulent", "kortrijk")
    gent = {
        "vacancy_id": world.invoeg.id,
        "referral_id": refer(world.invoeg).id,
        "name": "uitkomsten",
    }
    kortrijk = {
        "vacancy_id": world.kortrijk.id,
        "referral_id": refer(world.kortrijk, reference="KORTRIJK-1").id,
        "name": "uitkomsten",
    }
    return gent, kortrijk


def _state():
    return (
        db.session.scalar(select(func.count()).select_from(ReferralStep)),
        db.session.scalar(select(func.count()).select_from(Vacancy)),
        db.session.scalar(select(func.count()).select_from(Referral)),
        db.session.scalar(select(func.count()).select_from(ReferralAccess)),
    )


def test_every_werkwinkel_endpoint_is_isolated(app, setup):
    gent, kortrijk = setup
    endpoints = _endpoints(app)
    assert len(endpoints) >= 14, sorted(endpoints)
    checked = 0
    for endpoint, (rule, methods) in sorted(endpoints.items()):
        for method in methods:
            url = _url(app, endpoint, "gent", gent)
            # Anonymous: to the login page. Staff of another zorggebied: 403. Nothing changes.
            before = _state()
            anonymous = app.test_client().open(url, method=method)
            assert anonymous.status_code == 302 and "/aanmelden" in anonymous.headers["Location"], (
                endpoint,
                method,
            )
            for email in ("regisseur@kortrijk.example", "consulent@kortrijk.example"):
                client = app.test_client()
                login(client, email)
                assert client.open(url, method=method).status_code == 403, (endpoint, method, email)
            assert _state() == before, (endpoint, method)
            # Gent's consulent, regisseur and an admin may work here.
            for email in (
                "consulent@gent.example",
                "regisseur@gent.example",
                "admin@dienstenwijzer.example",
            ):
                client = app.test_client()
                login(client, email)
                code = client.open(url, method=method).status_code
                assert code in (200, 302, 400), (endpoint, method, email, code)
            # Kortrijk's objects through Gent's URL: not found, and nothing recorded or changed.
            if rule.arguments & {"vacancy_id", "referral_id"}:
                client = app.test_client()
                login(client, "consulent@gent.example")
                before = _state()
                foreign = _url(app, endpoint, "gent", kortrijk)
                assert client.open(foreign, method=method).status_code == 404, (endpoint, method)
                assert _state() == before, (endpoint, method)
            checked += 1
    assert checked >= 16


def test_lists_show_only_the_own_zorggebied(client, setup):
    login(client, "consulent@gent.example")
    for path in (
        "/gent/werkwinkel/vacatures?status=alle",
        "/gent/werkwinkel/doorverwijzingen?toestand=alle",
        "/gent/werkwinkel/opvolging",
        "/gent/jobs",
    ):
        html = client.get(path).get_data(as_text=True)
        assert "Leiejob" not in html and "KORTRIJK-1" not in html and "Leie Werkt" not in html, path
    html = client.get("/gent/werkwinkel/doorverwijzingen").get_data(as_text=True)
    assert "GENT-25-001" in html


def test_a_referral_to_another_zorggebied_s_vacancy_is_refused(app, client, setup, world):
    from dienstenwijzer.jobs.eligibility import make_token
    from tests.jobs.conftest import INVOEG_RULE

    login(client, "consulent@gent.example")
    token = make_token(app.config["SECRET_KEY"], world.kortrijk, INVOEG_RULE)
    page = client.post(
        "/gent/werkwinkel/doorverwijzingen/nieuw", data={"token": token, "reference": "GENT-9"}
    )
    assert page.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 2


def test_rule_pages_need_a_login_and_only_admins_add_rules(app, world):
    anonymous = app.test_client()
    assert "/aanmelden" in anonymous.get("/werkwinkel/regels").headers["Location"]
    consulent = app.test_client()
    login(consulent, "consulent@gent.example")
    assert consulent.get("/werkwinkel/regels").status_code == 200
    assert consulent.get("/werkwinkel/regels/nieuw").status_code == 403
    assert consulent.post("/werkwinkel/regels/nieuw", data={"title": "x"}).status_code == 403
    assert consulent.get("/werkwinkel/regels/importeren").status_code == 403
    assert (
        consulent.post("/werkwinkel/regels/importeren", data={"document": "x"}).status_code == 403
    )
    admin = app.test_client()
    login(admin, "admin@dienstenwijzer.example")
    assert admin.get("/werkwinkel/regels/nieuw").status_code == 200
    assert admin.get("/werkwinkel/regels/importeren").status_code == 200
