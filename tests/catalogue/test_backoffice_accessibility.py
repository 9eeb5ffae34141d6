"""Accessibility of the staff pages (back office, niches, monitoring) and the residents' forms.

Same recipe as tests/public/test_accessibility.py: a live server, Debian's headless Chromium,
axe-core with the WCAG 2.0/2.1 A and AA rules, zero violations allowed.
"""

from __future__ import annotations

import pytest

from dienstenwijzer import search
from dienstenwijzer.catalogue.reports import file_report
from dienstenwijzer.db import db
from dienstenwijzer.demand.signals import record_search_miss
from dienstenwijzer.models import Region, Service
from tests.conftest import service_row
from tests.public.test_accessibility import (  # noqa: F401  (fixtures)
    AXE_TAGS,
    DESKTOP,
    MOBILE,
    _axe_source,
    _describe,
    _open,
    app_config,
    chromium_page,
    live_server,
    log_in,
)

pytestmark = pytest.mark.browser

# (name, path, selector that proves the page is in the intended state)
STAFF_PAGES = [
    ("overzicht", "/gent/beheer/", ".figures"),
    ("diensten", "/gent/beheer/diensten", "table.data"),
    ("dienst bewerken", "/gent/beheer/diensten/{service_id}", "form textarea"),
    ("nieuwe dienst", "/gent/beheer/diensten/nieuw", "form"),
    ("voorbeeld", "/gent/beheer/diensten/{service_id}/voorbeeld", ".preview"),
    ("archiveren bevestigen", "/gent/beheer/diensten/{service_id}/archiveren", ".button-warning"),
    ("aanbieders", "/gent/beheer/aanbieders", "table.data"),
    ("aanbieder", "/gent/beheer/aanbieders/{provider_id}", "form"),
    ("te controleren", "/gent/beheer/te-controleren", "h1"),
    ("importeren", "/gent/beheer/import", "input[type=file]"),
    ("geschiedenis", "/gent/beheer/geschiedenis", "table.data"),
    ("meldingen", "/gent/beheer/meldingen", ".report"),
    ("niches", "/gent/beheer/niches", "table.data"),
    ("niche", "/gent/beheer/niches/{niche_id}", "form"),
    ("monitoring", "/gent/beheer/monitoring", "svg.chart"),
    ("vraag noteren", "/gent/beheer/vragen/nieuw", "form textarea"),
    ("wachtwoord wijzigen", "/account/wachtwoord", "form"),
    ("beheer alle gebieden", "/beheer/", ".region-list"),
    ("gebruikers", "/beheer/gebruikers", "table.data"),
    ("nieuwe gebruiker", "/beheer/gebruikers/nieuw", "form"),
    ("monitoring alle gebieden", "/beheer/monitoring", "table.data"),
]
PUBLIC_FORMS = [
    ("aanmelden", "/aanmelden", "form"),
    ("ik vind niet wat ik zoek", "/gent/vraag", "form textarea"),
    ("fout melden", "/gent/diensten/{service_id}/melden", "form textarea"),
]
MOBILE_PAGES = {"diensten", "dienst bewerken", "niches", "monitoring", "ik vind niet wat ik zoek"}


@pytest.fixture
def data(app, add_services, staff) -> dict:
    add_services(
        "gent",
        [
            service_row(extern_id="b1"),
            service_row(extern_id="b2", naam="Strijkhulp Glad", categorie="wassen-strijken"),
        ],
    )
    service = db.session.scalar(db.select(Service).where(Service.external_id == "b1"))
    file_report(db.session, service, "Het telefoonnummer klopt niet.", None, False)
    gent = db.session.scalar(db.select(Region).where(Region.slug == "gent"))
    signal = record_search_miss(db.session, gent, search.synonyms(), "hond uitlaten", {}, "44021")
    db.session.commit()
    return {
        "service_id": service.id,
        "provider_id": service.provider_id,
        "niche_id": signal.niche_id,
    }


def _axe(page, name, viewport, url, axe) -> list[str]:
    page.add_script_tag(content=axe)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [_describe(name, viewport, url, v) for v in result["violations"]]


def test_staff_pages_and_resident_forms_have_no_axe_violations(live_server, data):  # noqa: F811 (the imported fixture)
    axe = _axe_source()
    problems: list[str] = []
    checked = 0
    with chromium_page() as page:
        # Forms in their error state first (before logging in), then every staff page.
        for viewport in (DESKTOP, MOBILE):
            page.set_viewport_size(viewport)
            for name, path, selector in PUBLIC_FORMS:
                if viewport is MOBILE and name not in MOBILE_PAGES:
                    continue
                url = live_server + path.format(**data)
                _open(page, url, 200, selector)
                problems += _axe(page, name, viewport, url, axe)
                page.click("form button[type=submit]")  # empty: the error summary shows
                page.wait_for_load_state("load")
                problems += _axe(page, f"{name} (fouten)", viewport, url, axe)
                checked += 2
        page.set_viewport_size(DESKTOP)
        log_in(page, live_server, "admin@dienstenwijzer.example")
        for viewport in (DESKTOP, MOBILE):
            page.set_viewport_size(viewport)
            for name, path, selector in STAFF_PAGES:
                if viewport is MOBILE and name not in MOBILE_PAGES:
                    continue
                url = live_server + path.format(**data)
                _open(page, url, 200, selector)
                problems += _axe(page, name, viewport, url, axe)
                checked += 1
        # A service form with errors.
        url = live_server + f"/gent/beheer/diensten/{data['service_id']}"
        _open(page, url, 200, "form textarea")
        page.fill("#name", "")
        page.fill("#postcode", "12")
        page.click("form[novalidate] button[type=submit]")
        page.wait_for_load_state("load")
        assert page.locator(".error-summary").count()
        problems += _axe(page, "dienst met fouten", DESKTOP, url, axe)
        checked += 1
    assert checked > len(STAFF_PAGES)
    assert not problems, f"{len(problems)} axe-core violation(s):\n\n" + "\n\n".join(problems)
