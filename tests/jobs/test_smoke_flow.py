"""The whole story: check, match, refer, print, follow to an outcome recorded by the provider."""

import re

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Referral, ReferralStep
from tests.conftest import login

PROFILE = {"age": "35", "diploma": "tweede-graad", "months_job_seeker": "14", "postcode": "9000"}


def test_consulent_checks_refers_prints_and_follows_to_outcome(client, world):
    login(client, "consulent@gent.example")
    page = client.post("/gent/werkwinkel/", data=PROFILE)
    assert page.status_code == 200, page.get_data(as_text=True)
    html = page.get_data(as_text=True)
    assert (
        "Medewerker strijkatelier" in html and "Leiejob" not in html and "Gesloten job" not in html
    )
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)

    form = client.post("/gent/werkwinkel/doorverwijzingen/nieuw", data={"token": token})
    assert form.status_code == 200
    assert 'name="reference"' in form.get_data(as_text=True)
    done = client.post(
        "/gent/werkwinkel/doorverwijzingen/nieuw", data={"token": token, "reference": "GENT-25-007"}
    )
    assert done.status_code == 302
    referral = db.session.scalar(select(Referral))
    assert referral.reference == "GENT-25-007"
    assert referral.rule_id == "invoeg-laaggeschoold-jonger-dan-50"

    letter = client.get(f"/gent/werkwinkel/doorverwijzingen/{referral.id}/brief")
    assert letter.status_code == 200 and "Naam:" in letter.get_data(as_text=True)

    assert (
        client.post(
            f"/gent/werkwinkel/doorverwijzingen/{referral.id}/status", data={"status": "contact"}
        ).status_code
        == 302
    )
    linked = client.post(f"/gent/werkwinkel/doorverwijzingen/{referral.id}/link")
    link = re.search(
        r'id="aanbieder-link" readonly value="([^"]+)"', linked.get_data(as_text=True)
    ).group(1)
    path = link.split("dienstenwijzer.test", 1)[1]

    anonymous = client.application.test_client()
    assert anonymous.get(path).status_code == 200
    assert anonymous.post(path, data={"status": "aangeworven"}).status_code == 200
    db.session.expire_all()
    referral = db.session.get(Referral, referral.id)
    assert referral.status == "aangeworven"
    steps = db.session.scalars(
        select(ReferralStep.status).where(ReferralStep.referral_id == referral.id)
    ).all()
    assert steps == [
        "doorverwezen",
        "contact",
        "aangeworven",
    ]  # what was reported, nothing back-filled
