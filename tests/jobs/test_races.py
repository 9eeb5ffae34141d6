"""Concurrency cannot beat the provider's link (one legal path, one final outcome), nor move a
finished referral back."""

from itertools import pairwise

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from dienstenwijzer.db import db
from dienstenwijzer.jobs import provider_link, referrals
from dienstenwijzer.models import Referral, ReferralStep, Vacancy
from dienstenwijzer.models.jobs import FINAL_STATUSES
from tests.concurrency import at_once, served
from tests.jobs.conftest import make_vacancy, refer

OUTCOMES = ["aangeworven", "contact", "niet-weerhouden", "gesprek", "afgehaakt"]


def test_twenty_submits_of_one_provider_link_make_one_legal_path(app, world):
    """The link stays usable until a final outcome, so several submits may each record a step;
    but together they form one legal forward path, with at most one final outcome, last."""
    referral = refer(world.invoeg)
    token = provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    db.session.commit()
    chosen = [OUTCOMES[i % len(OUTCOMES)] for i in range(20)]
    with served(app) as base:
        codes = at_once(
            20,
            lambda i: (
                requests.post(
                    f"{base}/gent/uitkomst/{token}",
                    data={"status": chosen[i]},
                    headers={"Host": "dienstenwijzer.test"},
                    timeout=60,
                ).status_code
            ),
        )
    accepted = codes.count(200)
    assert accepted >= 1 and set(codes) <= {200, 409, 410}, codes
    db.session.expire_all()
    row = db.session.get(Referral, referral.id)
    steps = db.session.scalars(
        select(ReferralStep.status)
        .where(ReferralStep.referral_id == referral.id)
        .order_by(ReferralStep.id)
    ).all()
    assert steps[0] == "doorverwezen" and len(steps) == accepted + 1
    assert sorted(steps[1:]) == sorted(chosen[i] for i, code in enumerate(codes) if code == 200)
    for before, after in pairwise(steps):
        assert referrals.path_to(before, after), f"{before} -> {after} in {steps}"
    finals = [s for s in steps if s in FINAL_STATUSES]
    assert len(finals) <= 1 and (not finals or steps[-1] == finals[0])
    assert row.status == steps[-1]
    assert (row.link_nonce is None) == bool(finals) and row.link_used_at is not None


def test_a_final_outcome_is_not_overwritten_by_a_step_chosen_from_an_older_status(app, world):
    referral_id = refer(world.invoeg).id
    with Session(db.engine) as provider, Session(db.engine) as consulent:
        stale = provider.get(Referral, referral_id)  # the provider's page was opened first
        assert stale.status == "doorverwezen"
        fresh = consulent.get(Referral, referral_id)
        referrals.advance(consulent, fresh, "afgehaakt", (None, "consulent"))
        consulent.commit()
        with pytest.raises(referrals.ReferralError, match="intussen bijgewerkt"):
            referrals.advance_to(provider, stale, "contact", (None, referrals.PROVIDER_ACTOR))
        provider.rollback()
    db.session.expire_all()
    assert db.session.get(Referral, referral_id).status == "afgehaakt"


def test_two_hires_at_once_on_the_last_two_places_fill_the_vacancy(app, world):
    vacancy = make_vacancy("gent", "Invoegbedrijf De Schakel", title="Twee plaatsen", places=2)
    tokens = []
    for reference in ("GENT-25-101", "GENT-25-102"):
        tokens.append(
            provider_link.issue(
                db.session, refer(vacancy, reference=reference), app.config["SECRET_KEY"]
            )
        )
    db.session.commit()
    with served(app) as base:
        codes = at_once(
            2,
            lambda i: (
                requests.post(
                    f"{base}/gent/uitkomst/{tokens[i]}",
                    data={"status": "aangeworven"},
                    headers={"Host": "dienstenwijzer.test"},
                    timeout=60,
                ).status_code
            ),
        )
    assert codes == [200, 200]
    db.session.expire_all()
    assert db.session.get(Vacancy, vacancy.id).status == "ingevuld"
