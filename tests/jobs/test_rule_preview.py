"""The rule-set editor's "Voorbeeld": the rules as edited, judged for made-up job seekers on the
same page, and nothing stored."""

from sqlalchemy import func, select

from dienstenwijzer.db import db
from dienstenwijzer.jobs.rule_preview import SAMPLE_PROFILES
from dienstenwijzer.models import RuleSet
from tests.conftest import login, text_of
from tests.jobs.test_rule_editor import WIJK_WERKEN


def _rows(html: str) -> dict[str, str]:
    """Per sample job seeker, the words of its row in the preview table."""
    table = html[html.index('<h2 id="voorbeeld"') : html.index("</table>")]
    rows = [text_of(r) for r in table.split("<tr>")[2:]]
    return {s.name: next(r for r in rows if r.startswith(s.name)) for s in SAMPLE_PROFILES}


def test_the_preview_judges_the_rules_as_edited_and_saves_nothing(client, world):
    login(client, "admin@dienstenwijzer.example")
    form = client.get("/werkwinkel/regels/nieuw").get_data(as_text=True)
    assert '<button type="submit" name="voorbeeld" value="ja"' in form and ">Voorbeeld<" in form
    stored = db.session.scalar(select(func.count(RuleSet.id)))
    response = client.post("/werkwinkel/regels/nieuw", data={**WIJK_WERKEN, "voorbeeld": "ja"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Er is nog niets bewaard" in text_of(html)
    rows = _rows(html)
    assert rows["Leefloner"].startswith(
        "Leefloner 34 jaar, diploma secundair onderwijs, 6 maanden werkzoekend, krijgt een "
        "leefloon. Ja Ingeschreven als werkzoekende bij VDAB."
    )
    assert rows["Deeltijds lerende jongere"].endswith(
        "Nee Wijk-werken is er voor wie ingeschreven is bij VDAB of een leefloon krijgt. "
        "Ontbreekt, één van: ingeschreven als werkzoekende bij VDAB leefloon of financiële "
        "maatschappelijke hulp"
    )
    # The form keeps what was typed, to go on editing or to save.
    assert 'value="Decreet van 7 juli 2017 betreffende wijk-werken"' in html
    assert db.session.scalar(select(func.count(RuleSet.id))) == stored

    # Edited: now only leefloners qualify, and the preview says so before anything is saved.
    edited = {**WIJK_WERKEN, "rules-0-reason": "", "rules-0-registered_job_seeker": ""}
    rows = _rows(
        client.post("/werkwinkel/regels/nieuw", data={**edited, "voorbeeld": "ja"}).get_data(
            as_text=True
        )
    )
    verdicts = {name: " Ja " in row for name, row in rows.items()}
    assert verdicts == {s.name: s.name == "Leefloner" for s in SAMPLE_PROFILES}
    assert db.session.scalar(select(func.count(RuleSet.id))) == stored


def test_a_preview_of_rules_with_mistakes_shows_the_mistakes(client, world):
    login(client, "admin@dienstenwijzer.example")
    response = client.post(
        "/werkwinkel/regels/nieuw",
        data={**WIJK_WERKEN, "not_eligible": "", "voorbeeld": "ja"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Schrijf in gewone taal wanneer iemand niet in aanmerking komt." in text_of(html)
    assert 'id="voorbeeld"' not in html
