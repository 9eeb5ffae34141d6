"""Each rule of the shipped rule set at its boundaries, and how rule sets are chosen and validated."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from dienstenwijzer.db import db
from dienstenwijzer.jobs import eligibility_rules
from dienstenwijzer.jobs.eligibility import Profile, check
from dienstenwijzer.models import RuleSet
from tests.jobs.conftest import DATA, RULES_DIR

TODAY = dt.date(2025, 6, 1)


def judge(**profile) -> dict[str, eligibility_rules.Judgement]:
    values = {"age": 35, "diploma": "hoger", "months_job_seeker": 0}
    values.update(profile)
    return {j.instrument: j for j in check(db.session, Profile(**values), on=TODAY)}


def eligible(instrument: str, **profile):
    j = judge(**profile)[instrument]
    return j.rule.rule_id if j.eligible else None


# -- invoegeconomie ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("age", "months", "diploma", "expected"),
    [
        # under 50: at least 12 months
        (49, 11, "secundair", None),
        (49, 12, "secundair", "invoeg-laaggeschoold-jonger-dan-50"),
        # from 50: at least 6 months
        (50, 5, "secundair", None),
        (50, 6, "secundair", "invoeg-laaggeschoold-50-plus"),
        (49, 6, "secundair", None),  # 49 needs 12 months, not 6
        (50, 12, "secundair", "invoeg-laaggeschoold-50-plus"),
        # diploma: at most secondary
        (49, 12, "geen", "invoeg-laaggeschoold-jonger-dan-50"),
        (49, 12, "tweede-graad", "invoeg-laaggeschoold-jonger-dan-50"),
        (49, 12, "hoger", None),
        (50, 6, "hoger", None),
    ],
)
def test_invoegeconomie_low_skilled_by_age_and_months(rule_sets, age, months, diploma, expected):
    assert (
        eligible("invoegeconomie", age=age, months_job_seeker=months, diploma=diploma) == expected
    )


@pytest.mark.parametrize(("months", "expected"), [(5, None), (6, "invoeg-arbeidshandicap")])
def test_invoegeconomie_work_disability_needs_6_months_whatever_the_diploma(
    rule_sets, months, expected
):
    assert (
        eligible("invoegeconomie", work_disability=True, months_job_seeker=months, diploma="hoger")
        == expected
    )


def test_invoegeconomie_part_time_learner(rule_sets):
    assert (
        eligible("invoegeconomie", part_time_learner=True, age=17, diploma="geen")
        == "invoeg-deeltijds-lerend"
    )
    assert eligible("invoegeconomie", part_time_learner=False, age=17, diploma="geen") is None


# -- sociale werkplaats: more than 5 years, no secondary diploma ------------------------------------


@pytest.mark.parametrize(
    ("months", "diploma", "expected"),
    [
        (60, "tweede-graad", None),
        (61, "tweede-graad", "sw-langdurig-zonder-diploma-secundair"),
        (61, "geen", "sw-langdurig-zonder-diploma-secundair"),
        (61, "secundair", None),
        (200, "hoger", None),
    ],
)
def test_sociale_werkplaats_more_than_five_years_without_secondary_diploma(
    rule_sets, months, diploma, expected
):
    assert eligible("sociale-werkplaats", months_job_seeker=months, diploma=diploma) == expected


# -- lokale diensteneconomie ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "diploma", "assistance", "expected"),
    [
        (11, "tweede-graad", False, None),
        (12, "tweede-graad", False, "lde-laaggeschoold-langdurig-werkzoekend"),
        (12, "secundair", False, None),
        (0, "hoger", True, "lde-leefloon"),
        (11, "geen", True, "lde-leefloon"),
    ],
)
def test_lokale_diensteneconomie(rule_sets, months, diploma, assistance, expected):
    assert (
        eligible(
            "lokale-diensteneconomie",
            months_job_seeker=months,
            diploma=diploma,
            social_assistance=assistance,
        )
        == expected
    )


def test_beschutte_werkplaats_needs_a_recognised_work_disability(rule_sets):
    assert eligible("beschutte-werkplaats", work_disability=True) == "bw-erkende-arbeidshandicap"
    assert (
        eligible(
            "beschutte-werkplaats", work_disability=False, months_job_seeker=100, diploma="geen"
        )
        is None
    )


def test_regular_jobs_and_dienstencheques_are_open_to_everyone(rule_sets):
    found = judge(age=60, diploma="hoger")
    assert found["regulier"].eligible and found["regulier"].open_to_all
    assert found["dienstencheques"].eligible


def test_no_rules_for_wijk_werken_in_2006_set_means_unknown_not_no(rule_sets):
    j = judge()["wijk-werken"]
    assert j.eligible is None and "geen regels" in j.reason


def test_reasons_are_plain_dutch_with_source_and_what_is_missing(rule_sets):
    j = judge(age=49, months_job_seeker=11, diploma="secundair")["invoegeconomie"]
    assert j.eligible is False
    assert j.reason.startswith("Geen doelgroepwerknemer")
    assert "minstens 12 maanden werkzoekend" in j.missing[0]
    assert "Beleidsbrief Sociale Economie 2006-2007" in j.source
    ok = judge(age=49, months_job_seeker=12, diploma="secundair")["invoegeconomie"]
    assert ok.reason.startswith("Hoogstens een diploma secundair onderwijs, jonger dan 50 jaar")
    assert ok.rule == eligibility_rules.RuleRef(
        "sociale-economie-vlaanderen", 1, "invoeg-laaggeschoold-jonger-dan-50"
    )


def test_every_shipped_rule_is_covered_above():
    """Adding a rule to the shipped set means adding its boundary test here."""
    tested = {
        "invoeg-laaggeschoold-jonger-dan-50",
        "invoeg-laaggeschoold-50-plus",
        "invoeg-arbeidshandicap",
        "invoeg-deeltijds-lerend",
        "sw-langdurig-zonder-diploma-secundair",
        "lde-laaggeschoold-langdurig-werkzoekend",
        "lde-leefloon",
        "bw-erkende-arbeidshandicap",
        "dc-iedereen",
        "regulier-iedereen",
    }
    shipped = set()
    for path in RULES_DIR.glob("*.yaml"):
        for inst in eligibility_rules.parse_document(path.read_text()).instruments.values():
            shipped |= {r.id for r in inst.rules}
    assert shipped == tested


# -- versions in force ---------------------------------------------------------------------------


def test_a_newer_rule_set_applies_from_its_effective_date_for_its_instruments_only(rule_sets):
    eligibility_rules.store(db.session, (DATA / "wijk-werken-2018.yaml").read_text(), actor="admin")
    db.session.commit()

    def wijk(on, **p):
        values = {"age": 35, "diploma": "hoger", "months_job_seeker": 0, **p}
        return {j.instrument: j for j in check(db.session, Profile(**values), on=on)}

    assert wijk(dt.date(2017, 12, 31))["wijk-werken"].eligible is None
    on = dt.date(2018, 1, 1)
    assert (
        wijk(on, registered_job_seeker=True)["wijk-werken"].rule.rule_id == "ww-ingeschreven-vdab"
    )
    assert wijk(on, months_job_seeker=3)["wijk-werken"].eligible  # months registered: registered
    assert wijk(on, social_assistance=True)["wijk-werken"].rule.rule_id == "ww-leefloon"
    assert wijk(on)["wijk-werken"].eligible is False
    # The other instruments keep the 2006 rules.
    assert (
        wijk(on, work_disability=True)["beschutte-werkplaats"].rule.rule_set_key
        == "sociale-economie-vlaanderen"
    )


def test_a_higher_version_replaces_the_rules_from_its_date(rule_sets):
    text = (RULES_DIR / "sociale-economie-2006.yaml").read_text()
    v2 = (
        text.replace("version: 1", "version: 2")
        .replace("effective_from: 2006-01-01", "effective_from: 2030-01-01")
        .replace("{fact: months_job_seeker, above: 60}", "{fact: months_job_seeker, above: 24}")
    )
    eligibility_rules.store(db.session, v2)
    db.session.commit()
    profile = Profile(age=40, diploma="geen", months_job_seeker=30)
    before = {j.instrument: j for j in check(db.session, profile, on=dt.date(2029, 12, 31))}
    after = {j.instrument: j for j in check(db.session, profile, on=dt.date(2030, 1, 1))}
    assert before["sociale-werkplaats"].eligible is False
    assert (
        after["sociale-werkplaats"].eligible
        and after["sociale-werkplaats"].rule.rule_set_version == 2
    )


def test_nothing_is_in_force_before_the_first_set(rule_sets):
    found = {
        j.instrument: j
        for j in check(db.session, Profile(35, "geen", 100), on=dt.date(2005, 12, 31))
    }
    assert all(j.eligible is None for j in found.values())


def test_loading_the_shipped_sets_twice_adds_nothing(rule_sets):
    assert eligibility_rules.load_directory(db.session, RULES_DIR) == 0
    assert db.session.scalar(select(func.count()).select_from(RuleSet)) == 1


def test_same_id_and_version_is_refused(rule_sets):
    with pytest.raises(eligibility_rules.RuleSetError, match="bestaat al"):
        eligibility_rules.store(db.session, (RULES_DIR / "sociale-economie-2006.yaml").read_text())


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("a: [", "geen geldige YAML"),
        ("- 1", "YAML-document met de sleutels"),
        (
            "id: X\nversion: 0\ntitle: t\neffective_from: morgen\nsource: kort\ninstruments: {}",
            "id:",
        ),
        (
            (
                "id: x-1\nversion: 1\ntitle: t\neffective_from: 2020-01-01\nsource: Decreet van 1 januari 2020\n"
                "instruments:\n  toverdienst:\n    rules: []"
            ),
            "onbekend instrument",
        ),
        (
            (
                "id: x-1\nversion: 1\ntitle: t\neffective_from: 2020-01-01\nsource: Decreet van 1 januari 2020\n"
                "instruments:\n  regulier:\n    not_eligible: nee\n    rules:\n      - id: r1\n        reason: ok\n"
                "        all:\n          - {fact: shoe_size, at_least: 40}"
            ),
            "onbekend gegeven",
        ),
        (
            (
                "id: x-1\nversion: 1\ntitle: t\neffective_from: 2020-01-01\nsource: Decreet van 1 januari 2020\n"
                "instruments:\n  regulier:\n    not_eligible: nee\n    rules:\n      - id: r1\n        reason: ok\n"
                "        all:\n          - {fact: diploma, at_most: doctoraat}"
            ),
            "onbekend diploma",
        ),
        (
            (
                "id: x-1\nversion: 1\ntitle: t\neffective_from: 2020-01-01\nsource: Decreet van 1 januari 2020\n"
                "instruments:\n  regulier:\n    not_eligible: nee\n    rules:\n      - id: r1\n        reason: ok\n"
                "        all:\n          - {fact: age, is: true}"
            ),
            "kan niet bij age",
        ),
    ],
)
def test_invalid_rule_sets_are_refused_with_a_dutch_message(rule_sets, document, message):
    with pytest.raises(eligibility_rules.RuleSetError) as caught:
        eligibility_rules.store(db.session, document)
    assert any(message in p for p in caught.value.problems), caught.value.problems
