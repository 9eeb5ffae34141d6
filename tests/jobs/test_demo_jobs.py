"""Demo vacancies and referrals: on a fresh `init` every demo zorggebied's werkwinkel pages show
something, the same way every time, made up and in the order it happened."""

import datetime as dt
import re

from sqlalchemy import func, select

from dienstenwijzer.catalogue.importer import apply_import, plan_import
from dienstenwijzer.db import db
from dienstenwijzer.jobs.demo_jobs import add_region_demo_jobs
from dienstenwijzer.models import Provider, Referral, ReferralStep, Region, Vacancy, VacancyChange
from dienstenwijzer.models.jobs import FINAL_STATUSES, VACANCY_OPEN
from dienstenwijzer.places import Places
from tests.conftest import FIXTURES, login, make_user, text_of
from tests.jobs.conftest import region

TODAY = dt.date(2026, 3, 4)


def _snapshot() -> tuple[list, list]:
    vacancies = db.session.execute(
        select(
            Region.slug,
            Vacancy.title,
            Provider.name,
            Vacancy.instrument,
            Vacancy.municipality_nis,
            Vacancy.places,
            Vacancy.status,
            Vacancy.created_at,
            Vacancy.filled_at,
        )
        .join(Region, Region.id == Vacancy.region_id)
        .join(Provider, Provider.id == Vacancy.provider_id)
        .order_by(Vacancy.id)
    ).all()
    steps = db.session.execute(
        select(Referral.reference, Referral.rule_id, ReferralStep.status, ReferralStep.set_at)
        .join(ReferralStep, ReferralStep.referral_id == Referral.id)
        .order_by(ReferralStep.id)
    ).all()
    return vacancies, steps


def test_a_fresh_init_gives_every_demo_zorggebied_vacancies_referrals_and_follow_up(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    demo = db.session.scalars(select(Region).where(Region.demo_catalogue.is_(True))).all()
    assert len(demo) == 11
    for place in demo:
        make_user(f"consulent@{place.slug}.example", "consulent", place.slug)
        client = app.test_client()
        login(client, f"consulent@{place.slug}.example")
        base = f"/{place.slug}/werkwinkel"

        jobs = text_of(client.get(f"{base}/vacatures").get_data(as_text=True))
        assert "Er zijn nog geen open vacatures" not in jobs, place.slug
        assert re.search(r"\b[1-9]\d* vacatures? ", jobs) and "(demo)" in jobs, place.slug

        listed = text_of(client.get(f"{base}/doorverwijzingen").get_data(as_text=True))
        assert "Er zijn geen lopende doorverwijzingen" not in listed, place.slug
        assert "Demo-werkzoekende" in listed, place.slug
        # Still running and ended recently, both in the default list.
        assert "Doorverwezen" in listed and "Sollicitatiegesprek" in listed, place.slug
        assert "Aangeworven" in listed or "Niet weerhouden" in listed, place.slug

        followup = text_of(client.get(f"{base}/opvolging").get_data(as_text=True))
        assert "Geen enkele lopende doorverwijzing wacht" not in followup, place.slug
        assert "Demo-werkzoekende" in followup, place.slug
        assert "Uitkomsten van doorverwijzingen per instrument" in followup
    before = _snapshot()

    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    assert _snapshot() == before  # a second init adds nothing


def _gent_demo(today: dt.date) -> tuple[list, list]:
    """The Gent demo catalogue and its demo jobs, as `init` makes them."""
    gent = region("gent")
    text = (FIXTURES / "catalogus" / "gent.csv").read_text(encoding="utf-8")
    plan = plan_import(db.session, gent, text, Places(db.session))
    assert plan.ok
    apply_import(db.session, gent, plan)
    assert add_region_demo_jobs(db.session, gent, today) >= 10
    return _snapshot()


def test_the_same_day_gives_the_same_demo(app, rule_sets):
    first = _gent_demo(TODAY)
    db.session.rollback()
    assert _gent_demo(TODAY) == first
    vacancies, steps = first
    assert len(steps) > len(vacancies)
    assert len({v.title for v in vacancies}) > 3 and len({v.instrument for v in vacancies}) > 3


def test_every_step_is_dated_when_it_happened_and_nothing_after_the_install_day(app, rule_sets):
    _gent_demo(TODAY)
    midnight = dt.datetime.combine(TODAY, dt.time(0))
    year_before = midnight - dt.timedelta(days=366)
    gent = region("gent")
    municipalities = {m.nis_code for m in gent.municipalities}
    vacancies = db.session.scalars(select(Vacancy)).all()
    assert {v.status for v in vacancies} == {"open", "ingevuld", "gesloten"}
    for vacancy in vacancies:
        assert vacancy.title.endswith("(demo)")
        assert vacancy.municipality_nis in municipalities
        assert year_before < vacancy.created_at < midnight
        if vacancy.filled_at:
            assert vacancy.created_at < vacancy.filled_at < midnight
    for referral in db.session.scalars(select(Referral)):
        assert re.fullmatch(r"Demo-werkzoekende \d+", referral.reference)
        times = [s.set_at for s in referral.steps]
        assert times == sorted(times) and len(set(times)) == len(times), referral.reference
        assert times[0] == referral.created_at > referral.vacancy.created_at
        assert times[-1] == referral.status_changed_at < midnight
        assert referral.steps[-1].status == referral.status
        if referral.status in FINAL_STATUSES:
            assert referral.closed_at == times[-1]
        else:
            assert referral.closed_at is None
    changes = db.session.scalars(select(VacancyChange.created_at)).all()
    assert changes and max(changes) < midnight
    recent = db.session.scalar(
        select(func.count(Referral.id)).where(
            Referral.closed_at >= midnight - dt.timedelta(days=30)
        )
    )
    assert recent >= 1
    assert db.session.scalar(select(func.count(Vacancy.id)).where(Vacancy.status == VACANCY_OPEN))
