"""The eligibility profile is never stored: not in the database, the session, a URL or a log."""

import logging
import re

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import inspect, text

from dienstenwijzer.db import db
from tests.conftest import login

PROFILE = {
    "age": "47",
    "diploma": "secundair",
    "months_job_seeker": "13",
    "work_disability": "y",
    "social_assistance": "y",
    "postcode": "9030",
}


def _row_counts() -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
            for t in inspect(db.engine).get_table_names()
        }


def test_checking_eligibility_writes_nothing_and_keeps_nothing(app, client, world, caplog):
    login(client, "consulent@gent.example")
    client.get("/gent/werkwinkel/")
    with client.session_transaction() as session:
        session_before = dict(session)
    before = _row_counts()
    with caplog.at_level(logging.DEBUG):
        page = client.post("/gent/werkwinkel/", data=PROFILE)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert _row_counts() == before  # not one row anywhere (no signals, no audit, no referral)
    # The session is exactly what it was before: the login and the CSRF token, nothing else.
    with client.session_transaction() as session:
        assert dict(session) == session_before
    for record in caplog.records:
        message = record.getMessage()
        assert "9030" not in message and "secundair" not in message, message


def test_the_profile_form_is_posted_never_put_in_a_url(client, world):
    login(client, "consulent@gent.example")
    html = client.get("/gent/werkwinkel/").get_data(as_text=True)
    form = re.search(r"<form[^>]*class=\"profile-form\"[^>]*>", html).group(0)
    assert 'method="post"' in form
    # A GET with profile values does not evaluate anything.
    page = client.get("/gent/werkwinkel/?age=47&diploma=geen&months_job_seeker=80")
    assert "Uitslag per instrument" not in page.get_data(as_text=True)


def test_the_referral_token_carries_no_profile(app, client, world):
    from dienstenwijzer.jobs.eligibility import read_token

    login(client, "consulent@gent.example")
    html = client.post("/gent/werkwinkel/", data=PROFILE).get_data(as_text=True)
    for token in re.findall(r'name="token" value="([^"]+)"', html):
        vacancy_id, instrument, rule = read_token(app.config["SECRET_KEY"], token)
        assert isinstance(vacancy_id, int) and instrument and rule.rule_id
    data = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="jobs-eligibility").loads(
        re.findall(r'name="token" value="([^"]+)"', html)[0]
    )
    assert set(data) == {"v", "i", "k", "n", "r"}


def test_results_rank_by_fit_then_distance(client, world):
    login(client, "consulent@gent.example")
    # Eligible for invoegeconomie (target group) and regulier (open to all): invoeg jobs first,
    # the one in Gent (postcode 9000) before the one in Evergem; the regular job last.
    html = client.post(
        "/gent/werkwinkel/",
        data={
            "age": "30",
            "diploma": "tweede-graad",
            "months_job_seeker": "14",
            "postcode": "9000",
        },
    ).get_data(as_text=True)
    order = [t for t in re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", html)]
    assert order == ["Medewerker strijkatelier", "Chauffeur", "Boekhouder"]
    # More than 5 years without a secondary diploma: the sociale werkplaats job appears too.
    html = client.post(
        "/gent/werkwinkel/", data={"age": "30", "diploma": "geen", "months_job_seeker": "61"}
    ).get_data(as_text=True)
    assert "Groenarbeider" in html


def test_wrong_input_is_explained_and_kept(client, world):
    login(client, "consulent@gent.example")
    page = client.post(
        "/gent/werkwinkel/",
        data={"age": "abc", "diploma": "", "months_job_seeker": "-1", "postcode": "0000"},
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert (
        "Er is een probleem" in html
        and 'href="#age"' in html
        and "Kies het hoogste diploma." in html
    )
    assert "Uitslag per instrument" not in html
