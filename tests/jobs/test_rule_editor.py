"""Rule sets with their legal source, made with a form in Dutch instead of YAML."""

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import RuleSet
from tests.conftest import login, text_of

WIJK_WERKEN = {
    "instrument": "wijk-werken",
    "title": "Wijk-werken",
    "legal_title": "Decreet van 7 juli 2017 betreffende wijk-werken",
    "legal_date": "7-7-2017",
    "legal_reference": "https://wetwijzer.be/laws/2017020491",
    "effective_from": "1-1-2018",
    "not_eligible": "Wijk-werken is er voor wie ingeschreven is bij VDAB of een leefloon krijgt.",
    "rules-0-reason": "Ingeschreven als werkzoekende bij VDAB.",
    "rules-0-registered_job_seeker": "ja",
    "rules-1-reason": "Krijgt een leefloon.",
    "rules-1-social_assistance": "ja",
}


def test_an_admin_makes_a_rule_set_with_the_form_and_the_verdict_names_its_decree(
    app, client, world
):
    login(client, "admin@dienstenwijzer.example")
    page = client.get("/werkwinkel/regels/nieuw").get_data(as_text=True)
    assert "Regelgeving: titel" in page and "Ingeschreven als werkzoekende bij VDAB" in page
    words = text_of(page)
    assert (
        "fact" not in words and "at_least" not in words and "YAML met" not in words
    )  # no schema words
    response = client.post("/werkwinkel/regels/nieuw", data=WIJK_WERKEN)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    row = db.session.scalar(select(RuleSet).where(RuleSet.key == "wijk-werken-2018-01-01"))
    assert row.version == 1 and row.source_title == WIJK_WERKEN["legal_title"]
    assert str(row.source_date) == "2017-07-07" and row.valid_until is None
    assert "legal_source:" in row.document  # the YAML is kept, for export

    consulent = app.test_client()
    login(consulent, "consulent@gent.example")
    html = consulent.post(
        "/gent/werkwinkel/",
        data={"age": "40", "diploma": "hoger", "months_job_seeker": "0", "social_assistance": "y"},
    ).get_data(as_text=True)
    verdict = text_of(html[html.index('<h2 id="uitslag">') : html.index('<h2 id="vacatures">')])
    assert (
        "Wijk-werken , geldt vanaf 1 januari 2018. Regelgeving: Decreet van 7 juli 2017 betreffende "
        "wijk-werken (7 juli 2017), tekst van de regelgeving ."
    ) in verdict
    assert '<a href="https://wetwijzer.be/laws/2017020491">tekst van de regelgeving</a>' in html
    assert verdict.count("Decreet van 7 juli 2017") == 1
    assert "Krijgt een leefloon." in verdict


def test_the_same_instrument_and_date_again_is_a_new_version(client, world):
    login(client, "admin@dienstenwijzer.example")
    assert client.post("/werkwinkel/regels/nieuw", data=WIJK_WERKEN).status_code == 302
    again = client.post(
        "/werkwinkel/regels/nieuw",
        data={**WIJK_WERKEN, "rules-1-reason": "Leefloon of OCMW-steun."},
    )
    assert again.status_code == 302, text_of(again.get_data(as_text=True))
    versions = db.session.scalars(
        select(RuleSet.version).where(RuleSet.key == "wijk-werken-2018-01-01")
    ).all()
    assert sorted(versions) == [1, 2]


def test_the_form_starts_from_the_rules_in_force(client, world):
    login(client, "admin@dienstenwijzer.example")
    page = client.get("/werkwinkel/regels/nieuw?instrument=lokale-diensteneconomie").get_data(
        as_text=True
    )
    assert (
        "Laaggeschoold (geen diploma secundair onderwijs) en minstens 12 maanden werkzoekend."
        in page
    )
    assert (
        '<option selected value="tweede-graad">' in page or 'value="tweede-graad" selected' in page
    )


def test_mistakes_are_explained_in_dutch_and_the_input_is_kept(client, world):
    login(client, "admin@dienstenwijzer.example")
    response = client.post(
        "/werkwinkel/regels/nieuw",
        data={
            **WIJK_WERKEN,
            "legal_title": "",
            "effective_from": "31-2-2018",
            "valid_until": "1-1-2017",
            "not_eligible": "",
            "rules-2-months_at_least": "12",
        },
    )
    assert response.status_code == 400
    page = text_of(response.get_data(as_text=True))
    for message in (
        "Vul de titel van de regelgeving in",
        "Dit is geen datum. Schrijf dag-maand-jaar",
        "Schrijf waarom iemand met deze voorwaarden in aanmerking komt.",
        "Schrijf in gewone taal wanneer iemand niet in aanmerking komt.",
    ):
        assert message in page
    assert "Ingeschreven als werkzoekende bij VDAB." in page
    assert db.session.scalar(select(RuleSet).where(RuleSet.key.like("wijk-werken-%"))) is None


def test_an_old_rule_set_without_a_legal_source_stays_readable(client, world):
    login(client, "consulent@gent.example")
    row = db.session.scalar(select(RuleSet).where(RuleSet.key == "sociale-economie-vlaanderen"))
    page = text_of(client.get(f"/werkwinkel/regels/{row.id}").get_data(as_text=True))
    assert "Bron Vlaamse Regering, Beleidsbrief Sociale Economie 2006-2007" in page
    overview = text_of(client.get("/werkwinkel/regels").get_data(as_text=True))
    assert "Lokale diensteneconomie Doelgroepen sociale economie (beleidsbrief 2006)" in overview


def test_the_demo_ships_todays_rule_sets_with_their_regulations(app):
    result = app.test_cli_runner().invoke(args=["init", "--no-demo"])
    assert result.exit_code == 0, result.output
    assert [r.key for r in db.session.scalars(select(RuleSet))] == ["sociale-economie-vlaanderen"]
    from dienstenwijzer.config import PROJECT_ROOT
    from dienstenwijzer.jobs.eligibility_rules import in_force, load_directory

    load_directory(
        db.session, PROJECT_ROOT / "fixtures" / "regels" / "actueel"
    )  # what init loads with the demo
    db.session.commit()
    today = {
        instrument: rule_set
        for instrument, (rule_set, _) in in_force(db.session).by_instrument.items()
    }
    assert today["wijk-werken"].legal.title.startswith(
        "Decreet van 7 juli 2017 betreffende wijk-werken"
    )
    assert (
        today["sociale-werkplaats"].legal.title
        == "Decreet van 12 juli 2013 betreffende maatwerk bij collectieve inschakeling"
    )
    assert (
        today["lokale-diensteneconomie"].legal.title
        == "Decreet van 14 januari 2022 over maatwerk bij individuele inschakeling"
    )
    assert today["dienstencheques"].effective_from.isoformat() == "2016-01-01"
    assert today["regulier"].key == "sociale-economie-vlaanderen"  # no newer set names it
    for rule_set in {r.ref: r for r in today.values()}.values():
        assert rule_set.legal is not None or rule_set.key == "sociale-economie-vlaanderen"


def test_an_age_at_most_condition_goes_through_save_export_and_back_into_the_form(client, world):
    login(client, "admin@dienstenwijzer.example")
    page = client.get("/werkwinkel/regels/nieuw").get_data(as_text=True)
    assert "Leeftijd: hoogstens … jaar" in page
    young = {
        **WIJK_WERKEN,
        "instrument": "lokale-diensteneconomie",
        "title": "Jongeren in de lokale diensteneconomie",
        "rules-0-reason": "Jonger dan 26: hoogstens 25 jaar en ingeschreven bij VDAB.",
        "rules-0-age_at_most": "25",
    }
    response = client.post("/werkwinkel/regels/nieuw", data=young)
    assert response.status_code == 302, text_of(response.get_data(as_text=True))
    row = db.session.scalar(select(RuleSet).where(RuleSet.title == young["title"]))
    rule = row.rules["instruments"]["lokale-diensteneconomie"]["rules"][0]
    assert {"fact": "age", "at_most": 25} in rule["all"]
    # The YAML shown for export says it, and imported again it is the same rule set.
    shown = client.get(f"/werkwinkel/regels/{row.id}").get_data(as_text=True)
    assert "- fact: age\n" in shown and "at_most: 25" in shown
    again = client.post(
        "/werkwinkel/regels/importeren",
        data={"document": row.document.replace("version: 1", "version: 2")},
    )
    assert again.status_code == 302, text_of(again.get_data(as_text=True))
    imported = db.session.scalar(
        select(RuleSet).where(RuleSet.key == row.key, RuleSet.version == 2)
    )
    assert imported.rules["instruments"] == row.rules["instruments"]
    # A new version starts from the rules in force: the age limit is filled in.
    form = client.get("/werkwinkel/regels/nieuw?instrument=lokale-diensteneconomie").get_data(
        as_text=True
    )
    assert 'name="rules-0-age_at_most"' in form
    field = form[
        form.index('name="rules-0-age_at_most"') - 200 : form.index('name="rules-0-age_at_most"')
        + 200
    ]
    assert 'value="25"' in field
