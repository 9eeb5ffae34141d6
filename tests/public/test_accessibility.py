"""Accessibility: every public page type, in a real headless Chromium, checked with axe-core.

The app is served from a background thread on 127.0.0.1; Debian's chromium is driven through
Playwright (never `playwright install`: see /work/shared/TESTING.md) and axe-core is injected
from the copy shipped in the axe-playwright-python wheel. The test fails on ANY violation of
the WCAG 2.0/2.1 A and AA rules, and lists each one with the offending elements.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import json
import os
import tempfile
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from dienstenwijzer.db import db
from dienstenwijzer.models import Region, Service
from tests.conftest import PASSWORD, service_row

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}
PER_PAGE = 2  # small, so that a handful of services gives several result pages

# (name, path, status, a selector that proves the page shows the state it is meant to check).
# The service page's path is filled in once its id is known.
PAGES = [
    ("home", "/", 200, ".region-list"),
    ("home, gemeente zonder dienstenwijzer", "/?plaats=Aalst", 200, ".notice a"),
    ("home, onbekende plaats met suggestie", "/?plaats=Gnet", 200, ".error-summary a"),
    ("home, onbekende plaats", "/?plaats=Xyzzy", 200, ".error-summary"),
    ("over", "/over", 200, "h1"),
    ("gebied", "/gent/", 200, ".tiles .tile"),
    ("zoekresultaten", "/gent/zoeken?q=poetsen", 200, ".filters input[type=checkbox]"),
    (
        "zoekresultaten met filters aan",
        (
            "/gent/zoeken?q=poetsen&categorie=poetsen&gemeente=44021&dienstencheques=y"
            "&postcode=9000&km=10"
        ),
        200,
        ".result",
    ),
    ("geen resultaten", "/gent/zoeken?q=xyzzyq", 200, ".no-results"),
    ("formulierfouten", "/gent/zoeken?q=poetsen&postcode=12&km=500", 200, ".error-summary li a"),
    (
        "formulierfouten in groepen",
        "/gent/zoeken?q=poetsen&categorie=bestaat-niet&gemeente=99999",
        200,
        ".error-summary li a",
    ),
    ("paginering", "/gent/zoeken?categorie=huishoudhulp", 200, ".pagination a[rel=next]"),
    (
        "paginering, pagina 2",
        "/gent/zoeken?categorie=huishoudhulp&page=2",
        200,
        ".pagination a[rel=prev]",
    ),
    ("dienst", "/gent/diensten/{service_id}", 200, ".facts"),
    ("zoeken, komt naar u", "/gent/zoeken?postcode=9030&km=2", 200, ".reach-home"),
    ("fout melden", "/gent/diensten/{service_id}/melden", 200, "details summary"),
    ("toegankelijkheid", "/toegankelijkheid", 200, "h1"),
    ("open data", "/open-data", 200, "pre.example-url"),
    ("open data, gebied", "/gent/open-data", 200, "pre.example-url"),
    ("afdrukken", "/gent/zoeken/afdrukken?q=poetsen", 200, ".print-service"),
    ("aanbieder", "/gent/aanbieders/{provider_id}", 200, ".facts .call"),
    ("404", "/gent/bestaat-niet/", 404, "h1"),
]
# Pages also checked at a phone's width: the layout changes there (one column).
MOBILE_PAGES = {
    "home",
    "gebied",
    "zoekresultaten",
    "formulierfouten",
    "paginering",
    "dienst",
    "fout melden",
    "aanbieder",
    "open data, gebied",
}
# WCAG 1.4.10 (reflow), which axe-core cannot check: no sideways scrolling at 320 CSS pixels.
REFLOW = {"width": 320, "height": 800}


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    message = (
        f"{CHROMIUM} not found: the accessibility test needs Debian's chromium "
        "(apt-get install chromium)."
    )
    if os.environ.get("CI"):
        pytest.fail(f"{message} CI must install chromium.", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def app_config(app_config):
    """The shared config, served for real: no fixed SERVER_NAME, few results per page."""
    return {**app_config, "SERVER_NAME": None, "SEARCH_PER_PAGE": PER_PAGE}


@pytest.fixture
def live_server(app):
    """The app on 127.0.0.1:<free port>, served from a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=False)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture
def catalogue(app, add_services) -> dict:
    """A few services in Gent: enough for facets, snippets and several result pages."""
    add_services(
        "gent",
        [
            service_row(extern_id="a11y-1"),
            service_row(
                extern_id="a11y-2",
                naam="Poetshulp Zonneschijn",
                aanbieder="Dienstenbedrijf Zon",
                straat="Veldstraat 10",
                telefoon="09 000 00 01",
                email="info@zon.example",
                website="https://www.zon.example",
                prijs="1 dienstencheque per uur",
                doelgroep="Alle inwoners",
                openingsuren="ma–vr 8.00–16.00",
            ),
            service_row(
                extern_id="a11y-3",
                naam="Strijkatelier De Plooi",
                aanbieder="Vzw De Plooi",
                categorie="strijkatelier",
                omschrijving="Breng uw strijk binnen en haal hem twee dagen later op.",
            ),
            service_row(
                extern_id="a11y-4",
                naam="Ramen wassen Helder",
                aanbieder="Helder bv",
                categorie="ramen-wassen",
                dienstencheques="nee",
                omschrijving="Wij wassen uw ramen binnen en buiten, ook hoog.",
            ),
            service_row(
                extern_id="a11y-5",
                naam="Poetsen en koken",
                aanbieder="Vzw Proper Thuis",
                categorie="poetsen;maaltijden-bereiden",
                gemeenten="Gent;Evergem",
                postcode="9030",
                straat="Brugsesteenweg 1",
            ),
        ],
    )
    region = db.session.scalar(db.select(Region).where(Region.slug == "gent"))
    region.demo_catalogue = True  # so that the demo banner is checked too
    service = db.session.scalar(db.select(Service).where(Service.external_id == "a11y-2"))
    db.session.commit()
    return {"service_id": service.id, "provider_id": service.provider_id}


@contextlib.contextmanager
def chromium_page():
    """A page in Debian's headless chromium with a fresh profile.

    Called from the test body (not a fixture) so that a missing browser FAILS the test on CI
    instead of erroring in setup.
    """
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="a11y-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            # The app's strict CSP would block the injected axe script.
            bypass_csp=True,
            viewport=DESKTOP,
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def log_in(page, base: str, email: str) -> None:
    """Sign in through the login form, as a member of staff does, and wait for the next page."""
    page.goto(base + "/aanmelden")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")


def _axe_source() -> str:
    shipped = importlib.resources.files("axe_playwright_python") / "axe.min.js"
    return shipped.read_text(encoding="utf-8")


def _describe(page_name: str, viewport: dict, url: str, violation: dict) -> str:
    lines = [
        f"[{page_name} @ {viewport['width']}px] {url}",
        f"  {violation['id']} ({violation.get('impact')}): {violation['help']}",
        f"  {violation.get('helpUrl', '')}",
    ]
    for node in violation["nodes"]:
        lines.append(f"    target: {json.dumps(node['target'], ensure_ascii=False)}")
        lines.append(f"    html:   {node['html'][:300]}")
        summary = (node.get("failureSummary") or "").strip().replace("\n", "\n            ")
        if summary:
            lines.append(f"    why:    {summary}")
    return "\n".join(lines)


def _open(page, url: str, status: int, selector: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == status, (url, response and response.status)
    assert page.locator(selector).count(), f"{url}: expected {selector!r} on the page"


def test_public_pages_have_no_axe_violations(live_server, catalogue):
    with chromium_page() as page:
        problems, checked = _axe_all_pages(page, live_server, catalogue)
    assert checked == len(PAGES) + len(MOBILE_PAGES)
    assert not problems, f"{len(problems)} axe-core violation(s):\n\n" + "\n\n".join(problems)


def _axe_all_pages(page, live_server: str, catalogue: dict) -> tuple[list[str], int]:
    axe = _axe_source()
    problems: list[str] = []
    checked = 0
    for viewport in (DESKTOP, MOBILE):
        page.set_viewport_size(viewport)
        for name, path, status, selector in PAGES:
            if viewport is MOBILE and name not in MOBILE_PAGES:
                continue
            url = live_server + path.format(**catalogue)
            _open(page, url, status, selector)
            page.add_script_tag(content=axe)
            result = page.evaluate(
                "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
                " resultTypes: ['violations']})",
                AXE_TAGS,
            )
            checked += 1
            problems.extend(_describe(name, viewport, url, v) for v in result["violations"])
    return problems, checked


def test_public_pages_reflow_at_320_pixels(live_server, catalogue):
    """WCAG 1.4.10: at 320 CSS pixels wide nothing may stick out sideways."""
    too_wide: list[str] = []
    with chromium_page() as page:
        page.set_viewport_size(REFLOW)
        for name, path, status, selector in PAGES:
            url = live_server + path.format(**catalogue)
            _open(page, url, status, selector)
            culprits = page.evaluate(
                """() => document.documentElement.scrollWidth <= innerWidth ? [] :
                     Array.from(document.querySelectorAll('body *'))
                       .filter(e => e.getBoundingClientRect().right > innerWidth + 1)
                       .slice(0, 5).map(e => e.outerHTML.slice(0, 200))"""
            )
            if culprits:
                too_wide.append(f"[{name}] {url}\n    " + "\n    ".join(culprits))
    assert not too_wide, "Pages wider than 320px (WCAG 1.4.10):\n" + "\n".join(too_wide)


# What every focused element must show (site.css): a 3px solid yellow outline.
FOCUS_OUTLINE = ("solid", "3px", "rgb(255, 191, 71)")


def test_every_focusable_element_shows_a_strong_focus_and_errors_get_the_focus(
    live_server, catalogue
):
    """Tab through the report form (links, summary, textarea, text box, checkbox, button) and
    read the computed outline of each element that takes the focus; then submit it wrong."""
    url = f"{live_server}/gent/diensten/{catalogue['service_id']}/melden"
    seen: dict[str, tuple] = {}
    with chromium_page() as page:
        _open(page, url, 200, "details summary")
        for _ in range(60):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => { const e = document.activeElement, s = getComputedStyle(e);
                   return [e.tagName.toLowerCase() + (e.type ? ':' + e.type : ''),
                           s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
            )
            kind, *outline = focused
            if kind == "body":
                break
            seen.setdefault(kind, tuple(outline))
        wanted = {
            "a",
            "summary",
            "textarea:textarea",
            "input:text",
            "input:checkbox",
            "button:submit",
        }
        assert wanted <= set(seen), seen
        weak = {kind: outline for kind, outline in seen.items() if outline != FOCUS_OUTLINE}
        assert weak == {}, f"weak focus on {weak}"

        # A failed submit puts the focus on the error summary, and each error by its field.
        page.fill("#contact_email", "iemand@voorbeeld.be")
        page.click("button[type=submit]")
        page.wait_for_load_state("load")
        assert page.evaluate("document.activeElement.className") == "error-summary"
        consent_error = page.locator("#contact_consent-error")
        assert "Vink aan" in consent_error.inner_text()
        assert page.get_attribute("#contact_consent", "aria-describedby").endswith(
            "contact_consent-error"
        )
