"""Walk the URL map: ids and page numbers out of range are a 404 (or the last page), never a 500;
everything behind the login, and the private pages outside it, is never stored by a cache."""

import re
from urllib.parse import urlsplit

import pytest
from werkzeug.routing import IntegerConverter

from dienstenwijzer.db import db
from dienstenwijzer.jobs import provider_link
from dienstenwijzer.web import MAX_ID
from tests.conftest import login, service_row
from tests.jobs.conftest import make_vacancy, refer

TOO_BIG = ["99999999999999999999", str(2**63), str(2**63 - 1), str(MAX_ID + 1)]
BAD_PAGES = ["abc", "0", "-1", "1.5", "", "٣", "9" * 5000]
HUGE_PAGES = ["99999999999999999999", str(2**63), str(2**31), "100000"]


def _rules(app):
    rules = (r for r in app.url_map.iter_rules() if r.endpoint != "static")
    return sorted(rules, key=lambda r: r.rule)


def _has_id(rule) -> bool:
    return any(isinstance(c, IntegerConverter) for c in rule._converters.values())


def _path(rule, id_value: str = "1") -> str:
    def value(match):
        name = match.group(1)
        if name == "gebied":
            return "gent"
        return id_value if isinstance(rule._converters[name], IntegerConverter) else "x"

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", value, rule.rule)


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


@pytest.fixture
def as_admin(app, client, staff, add_services):
    # A crash must show as the 500 a user would get, not as an exception in the test.
    app.config["PROPAGATE_EXCEPTIONS"] = False
    add_services("gent", [service_row(extern_id=f"s{i}", naam=f"Dienst {i}") for i in range(3)])
    assert login(client, "admin@dienstenwijzer.example").status_code == 302
    return client


def _open(client, path, method="GET"):
    response = client.open(path, method=method)
    db.session.rollback()  # the tests share one app context: leave no failed transaction behind
    return response


def test_ids_beyond_what_a_column_holds_are_404_on_every_route(app, as_admin):
    id_rules = [r for r in _rules(app) if _has_id(r)]
    assert len(id_rules) >= 25  # the walk really covers the id routes
    answers = {
        (m, _path(r, v)): _open(as_admin, _path(r, v), m).status_code
        for r in id_rules
        for v in TOO_BIG
        for m in _methods(r)
    }
    assert {k: code for k, code in answers.items() if code != 404} == {}
    # The public service page by name, as residents would hit it, also when not logged in.
    assert app.test_client().get("/gent/diensten/99999999999999999999").status_code == 404


def test_ids_in_range_that_do_not_exist_are_404(app, as_admin):
    for rule in (r for r in _rules(app) if _has_id(r) and "GET" in r.methods):
        assert _open(as_admin, _path(rule, str(MAX_ID))).status_code == 404, rule.rule


def test_no_page_number_makes_any_page_fail(app, as_admin):
    pages = [r for r in _rules(app) if not _has_id(r) and "GET" in r.methods]
    failures = {}
    for rule in pages:
        for page in BAD_PAGES + HUGE_PAGES:
            path = f"{_path(rule)}?page={page}"
            response = _open(as_admin, path)
            # A 503 with Retry-After is an answer, not a failure: the open-data zip is made in
            # the background and asks to come back (api/packages.py). Any other 5xx is a crash.
            deliberate = response.status_code == 503 and "Retry-After" in response.headers
            if response.status_code >= 500 and not deliberate:
                failures[path[:80]] = response.status_code
    assert failures == {}


LIST_PAGES = [
    "/gent/jobs",
    "/gent/beheer/diensten",
    "/gent/beheer/te-controleren",
    "/gent/beheer/aanbieders",
    "/gent/beheer/geschiedenis",
    "/gent/beheer/meldingen",
    "/gent/werkwinkel/vacatures",
    "/gent/werkwinkel/doorverwijzingen",
    "/gent/beheer/niches",
]


@pytest.mark.parametrize("path", LIST_PAGES)
def test_a_list_page_sends_no_number_to_the_first_page_and_past_the_end_to_the_last(as_admin, path):
    for page in ["abc", "0", "-1", "99", "99999999999999999999"]:
        response = _open(as_admin, f"{path}?page={page}")
        # One page of data here, so the first page is also the last one.
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).query == "", page
    assert _open(as_admin, path).status_code == 200


def test_the_jobs_list_past_the_end_shows_the_last_vacancies(app, client, staff, add_services):
    add_services("gent", [service_row(extern_id="g1", aanbieder="Invoegbedrijf De Schakel")])
    for i in range(12):  # ten per page: two pages
        make_vacancy("gent", "Invoegbedrijf De Schakel", title=f"Vacature {i:02d}")
    last = client.get("/gent/jobs?page=2").get_data(as_text=True)
    past_the_end = client.get("/gent/jobs?page=99999999999999999999")
    assert past_the_end.status_code == 302 and past_the_end.headers["Location"].endswith("page=2")
    assert client.get("/gent/jobs?page=99", follow_redirects=True).get_data(as_text=True) == last
    assert "Vacature" in last


def test_everything_behind_the_login_is_never_stored(app, client, staff, add_services):
    add_services("gent", [service_row(extern_id="a1")])
    simple = [r for r in _rules(app) if not _has_id(r) and "GET" in r.methods]
    anonymous = {_path(r): client.get(_path(r)) for r in simple}
    behind_login = [
        p for p, r in anonymous.items() if r.status_code == 302 and "/aanmelden" in r.location
    ]
    public = [p for p, r in anonymous.items() if r.status_code == 200 and p != "/aanmelden"]
    assert len(behind_login) >= 15 and "/gent/werkwinkel/" in behind_login
    assert "/gent/zoeken" in public
    # Residents' pages keep their caching.
    assert [p for p in public if "no-store" in anonymous[p].headers.get("Cache-Control", "")] == []
    login(client, "admin@dienstenwijzer.example")
    stored = [p for p in behind_login if client.get(p).headers.get("Cache-Control") != "no-store"]
    assert stored == []
    assert client.get("/gent/beheer/diensten/1").headers["Cache-Control"] == "no-store"
    with client.get("/static/css/site.css") as stylesheet:  # files are not private
        assert "no-store" not in stylesheet.headers.get("Cache-Control", "")


def test_login_set_password_and_provider_link_pages_are_never_stored(
    app, client, staff, add_services
):
    from dienstenwijzer.accounts.tokens import make_token

    assert client.get("/aanmelden").headers["Cache-Control"] == "no-store"
    link = f"/wachtwoord-instellen/{make_token(staff['regisseur'])}"
    assert client.get(link).headers["Cache-Control"] == "no-store"
    add_services("gent", [service_row(extern_id="g1", aanbieder="Invoegbedrijf De Schakel")])
    referral = refer(make_vacancy("gent", "Invoegbedrijf De Schakel"))
    token = provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    db.session.commit()
    assert client.get(f"/gent/uitkomst/{token}").headers["Cache-Control"] == "no-store"


def test_an_id_in_the_query_string_beyond_range_is_ignored_not_a_crash(as_admin):
    for value in TOO_BIG + ["abc", "9" * 5000]:
        path = f"/gent/beheer/geschiedenis?soort=service&id={value}"
        assert _open(as_admin, path).status_code == 200


@pytest.mark.parametrize("page", ["abc", "0", "99", "99999999999999999999", "9" * 5000])
def test_the_search_page_sends_a_bad_page_number_to_a_page_that_exists(client, add_services, page):
    add_services("gent", [service_row(extern_id="a1")])
    response = client.get(f"/gent/zoeken?q=poetsen&page={page}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/gent/zoeken?q=poetsen")  # filters kept
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Poetsdienst De Bezem" in html and "Not a valid" not in html
    # The API says what is wrong instead, in Dutch.
    if page != "99":
        message = "Een paginanummer is een getal van 1 tot 10.000."
        api = client.get(f"/gent/api/v1/services?search=poetsen&page={page}")
        assert api.status_code == 400 and api.json["error"]["fields"]["page"] == [message]


def test_the_search_page_past_the_end_goes_to_the_last_page(client, add_services, app):
    app.config["SEARCH_PER_PAGE"] = 2
    add_services("gent", [service_row(extern_id=str(i), naam=f"Poetsdienst {i}") for i in range(5)])
    response = client.get("/gent/zoeken?q=poetsen&page=99&dienstencheques=y")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/gent/zoeken?q=poetsen&dienstencheques=y&page=3")
    assert "Pagina 3 van 3" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_wtforms_own_messages_are_dutch(client, staff):
    login(client, "consulent@gent.example")
    html = client.post(
        "/gent/werkwinkel/", data={"age": "abc", "diploma": "secundair", "months_job_seeker": "3"}
    ).get_data(as_text=True)
    assert "Ongeldig getal." in html  # WTForms' "Not a valid integer value.", in Dutch
    assert "Not a valid" not in html
