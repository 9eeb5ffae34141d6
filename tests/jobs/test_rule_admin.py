"""An admin adds a newer rule set without a deploy; `init` loads the shipped ones."""

import pytest
from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import RuleSet
from tests.conftest import login
from tests.jobs.conftest import DATA


def test_an_admin_adds_wijk_werken_and_the_check_uses_it(app, client, world):
    login(client, "admin@dienstenwijzer.example")
    form = client.get("/werkwinkel/regels/importeren").get_data(as_text=True)
    assert "sociale-economie-vlaanderen" in form  # the newest set as a starting point
    response = client.post(
        "/werkwinkel/regels/importeren",
        data={"document": (DATA / "wijk-werken-2018.yaml").read_text()},
    )
    assert response.status_code == 302
    row = db.session.scalar(select(RuleSet).where(RuleSet.key == "wijk-werken"))
    assert (
        row.created_by == "admin@dienstenwijzer.example" and str(row.effective_from) == "2018-01-01"
    )
    assert "Decreet van 7 juli 2017" in client.get(f"/werkwinkel/regels/{row.id}").get_data(
        as_text=True
    )
    overview = client.get("/werkwinkel/regels").get_data(as_text=True)
    assert "Wijk-werken (wijk-werken versie 1)" in overview

    consulent = app.test_client()
    login(consulent, "consulent@gent.example")
    html = consulent.post(
        "/gent/werkwinkel/",
        data={"age": "40", "diploma": "hoger", "months_job_seeker": "0", "social_assistance": "y"},
    ).get_data(as_text=True)
    assert (
        "Krijgt een leefloon of financiële maatschappelijke hulp." in html
    )  # the wijk-werken rule's reason


def test_an_invalid_rule_set_is_shown_back_with_every_problem(client, world):
    login(client, "admin@dienstenwijzer.example")
    page = client.post(
        "/werkwinkel/regels/importeren", data={"document": "id: X\nversion: nul\ninstruments: {}\n"}
    )
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert "De regelset is niet bewaard" in html and "version: geef een geheel getal" in html
    assert "id: X" in html  # the input is kept
    assert db.session.scalar(select(RuleSet).where(RuleSet.key == "X")) is None


@pytest.mark.parametrize("runs", [2])
def test_init_loads_the_shipped_rule_sets_once(app, runs):
    for _ in range(runs):
        result = app.test_cli_runner().invoke(args=["init", "--no-demo"])
        assert result.exit_code == 0, result.output
    assert [r.key for r in db.session.scalars(select(RuleSet))] == ["sociale-economie-vlaanderen"]
