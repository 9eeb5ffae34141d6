"""Accessibility of the jobs pages: each one in headless Chromium, checked with axe-core.

Reuses the live server and browser recipe of tests/public/test_accessibility.py. Staff pages
are reached the way a consulent does: log in, fill in the check, click through to a referral.
Fails on ANY WCAG 2.0/2.1 A or AA violation, at desktop and phone width.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.jobs import provider_link
from dienstenwijzer.models import Service
from tests.conftest import PASSWORD
from tests.jobs.conftest import refer
from tests.public.test_accessibility import (  # noqa: F401  (live_server is a fixture)
    AXE_TAGS,
    DESKTOP,
    MOBILE,
    _axe_source,
    _describe,
    chromium_page,
    live_server,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SERVER_NAME": None}


@pytest.fixture
def pages(app, world):
    referral = refer(world.invoeg, reference="GENT-25-014")
    used = refer(world.invoeg_far, reference="GENT-25-015")
    token = provider_link.issue(db.session, referral, app.config["SECRET_KEY"])
    used_token = provider_link.issue(db.session, used, app.config["SECRET_KEY"])
    provider_link.record_outcome(db.session, used, "afgehaakt")  # a final outcome spends the link
    db.session.commit()
    service = db.session.scalar(select(Service).where(Service.external_id == "g1"))
    return {
        "referral": referral.id,
        "vacancy": world.invoeg.id,
        "service": service.id,
        "token": token,
        "used_token": used_token,
        "rule_set": 1,
    }


class Checker:
    def __init__(self, page, base):
        self.page, self.base, self.axe, self.problems, self.checked = (
            page,
            base,
            _axe_source(),
            [],
            [],
        )

    def goto(self, path, status=200):
        response = self.page.goto(self.base + path, wait_until="load")
        assert response is not None and response.status == status, (
            path,
            response and response.status,
        )

    def click(self, selector):
        """Click something that submits a form or follows a link, and wait for the new page."""
        with self.page.expect_navigation(wait_until="load"):
            self.page.click(selector)

    def check(self, name, selector="h1"):
        assert self.page.locator(selector).count(), f"{name}: expected {selector!r}"
        for viewport in (DESKTOP, MOBILE):
            self.page.set_viewport_size(viewport)
            self.page.add_script_tag(content=self.axe)
            result = self.page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                AXE_TAGS,
            )
            self.problems.extend(
                _describe(name, viewport, self.page.url, v) for v in result["violations"]
            )
            reflow = self.page.evaluate(
                "() => document.documentElement.scrollWidth <= innerWidth + 1"
            )
            if viewport is MOBILE and not reflow:
                self.problems.append(f"[{name}] wider than the phone screen")
        self.page.set_viewport_size(DESKTOP)
        self.checked.append(name)


def test_jobs_pages_have_no_axe_violations(live_server, pages):  # noqa: F811 (the imported fixture)
    with chromium_page() as page:
        c = Checker(page, live_server)
        # Residents.
        c.goto("/gent/jobs")
        c.check("jobs", ".result")
        c.goto("/gent/jobs?q=astronaut&uren=tot-20")
        c.check("jobs, geen resultaten", ".no-results")
        c.goto(f"/gent/jobs/{pages['vacancy']}")
        c.check("job", ".facts")
        c.goto(f"/gent/diensten/{pages['service']}")
        c.check("dienst met jobs", ".provider-jobs")
        c.goto(f"/gent/uitkomst/{pages['token']}")
        c.check("uitkomst", "input[type=radio]")
        c.click("button[type=submit]")
        c.check("uitkomst, fout", ".error-summary")
        page.check("input[value=gesprek]")
        c.click("button[type=submit]")
        c.check("uitkomst, bedankt")
        c.goto(f"/gent/uitkomst/{pages['used_token']}", 410)
        c.check("uitkomst, gebruikt")
        c.goto("/gent/uitkomst/ongeldig", 400)
        c.check("uitkomst, ongeldig")

        # A consulent.
        c.goto("/aanmelden")
        page.fill("#email", "consulent@gent.example")
        page.fill("#password", PASSWORD)
        c.click("main button[type=submit]")
        c.goto("/gent/werkwinkel/")
        c.check("controle", "#age")
        c.click("main form.profile-form button[type=submit]")
        c.check("controle, fouten", ".error-summary a")
        page.fill("#age", "30")
        page.select_option("#diploma", "tweede-graad")
        page.fill("#months_job_seeker", "14")
        page.fill("#postcode", "9000")
        c.click("main form.profile-form button[type=submit]")
        c.check("controle, uitslag", ".matches .result")
        c.click(".matches .result button")
        c.check("doorverwijzen", "#reference")
        page.fill("#reference", "Jan Peeters")
        c.click("main form button[type=submit]")
        c.check("doorverwijzen, fout", ".error-summary a")
        page.fill("#reference", "GENT-25-020")
        c.click("main form button[type=submit]")
        c.check("doorverwijzing", "#stap-keuze")
        c.click("#stap-keuze ~ button")
        c.check("doorverwijzing, fout", ".error-summary")
        c.click("text=Link voor de aanbieder maken")
        c.check("doorverwijzing met link", "#aanbieder-link")
        c.goto(f"/gent/werkwinkel/doorverwijzingen/{pages['referral']}/brief")
        c.check("brief", ".letter")
        c.goto("/gent/werkwinkel/instellingen")
        c.check("contact werkwinkel", "#contact")
        c.goto("/gent/werkwinkel/doorverwijzingen")
        c.check("doorverwijzingen", "table.data")
        c.goto("/gent/werkwinkel/doorverwijzingen?q=niemand")
        c.check("doorverwijzingen, leeg")
        c.goto("/gent/werkwinkel/vacatures")
        c.check("vacatures", "table.data")
        c.goto("/gent/werkwinkel/vacatures/nieuw")
        c.click("main form button[type=submit]")
        c.check("vacature, fouten", ".error-summary a")
        c.goto(f"/gent/werkwinkel/vacatures/{pages['vacancy']}")
        c.check("vacature", "#title")
        c.goto("/gent/werkwinkel/opvolging")
        c.check("opvolging", "svg.chart")
        c.goto("/werkwinkel/regels")
        c.check("regels", "table.data")
        c.goto(f"/werkwinkel/regels/{pages['rule_set']}")
        c.check("regelset", ".facts")

        # An admin adds a rule set.
        c.click("button.link-button")  # afmelden
        c.goto("/aanmelden")
        page.fill("#email", "admin@dienstenwijzer.example")
        page.fill("#password", PASSWORD)
        c.click("main button[type=submit]")
        c.goto("/werkwinkel/regels/nieuw?instrument=lokale-diensteneconomie")
        c.check("regelset-editor", "#instrument")
        page.fill(
            "#legal_title", "Decreet van 14 januari 2022 over maatwerk bij individuele inschakeling"
        )
        page.fill("#effective_from", "2023-01-01")
        c.click("main form button[name=voorbeeld]")
        c.check("regelset-editor, voorbeeld", "#voorbeeld ~ table .status")
        c.goto("/werkwinkel/regels/nieuw")
        c.click("main form.rule-editor button[type=submit]")
        c.check("regelset-editor, fouten", ".error-summary a")
        c.goto("/werkwinkel/regels/importeren")
        c.check("regelset importeren", "#document")
        page.fill("#document", "id: X")
        c.click("main form button[type=submit]")
        c.check("nieuwe regelset, fouten", ".error-summary a")
        c.goto(f"/gent/werkwinkel/vacatures/{pages['vacancy'] + 4}/verwijderen")
        c.check("verwijderen bevestigen")
    assert len(c.checked) == 33, c.checked
    assert not c.problems, f"{len(c.problems)} axe-core violation(s):\n\n" + "\n\n".join(c.problems)
