"""The import pages (the list, a running job, a dry run, a refused file) pass axe-core."""

from __future__ import annotations

import io

import pytest

from dienstenwijzer.catalogue.import_jobs import create_job, run_pending_jobs
from dienstenwijzer.db import db
from dienstenwijzer.models import Region
from tests.catalogue.test_backoffice_accessibility import _axe
from tests.conftest import csv_text, service_row
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


def _job(region: Region, rows: list[dict], name: str) -> int:
    upload = io.BytesIO(csv_text(rows).encode())
    return create_job(db.session, region, None, name, upload).id


@pytest.fixture
def jobs(app, staff) -> dict:
    gent = db.session.scalar(db.select(Region).where(Region.slug == "gent"))
    checked = _job(
        gent, [service_row(extern_id=f"a{i}", naam=f"Dienst {i}") for i in range(60)], "ok.csv"
    )
    refused = _job(
        gent, [service_row(extern_id=f"b{i}", categorie="x") for i in range(120)], "fout.csv"
    )
    db.session.commit()
    run_pending_jobs()
    waiting = _job(gent, [service_row()], "wacht.csv")
    db.session.commit()
    return {"checked": checked, "refused": refused, "waiting": waiting}


def test_import_pages_have_no_axe_violations(live_server, jobs):  # noqa: F811  (fixture)
    axe = _axe_source()
    pages = [
        ("importeren met lijst", "/gent/beheer/import", "table"),
        ("import gecontroleerd", f"/gent/beheer/import/{jobs['checked']}", "form button"),
        ("import met fouten", f"/gent/beheer/import/{jobs['refused']}", ".pagination"),
        ("import wacht", f"/gent/beheer/import/{jobs['waiting']}?verversen=nee", "[role=status]"),
    ]
    problems = []
    with chromium_page() as page:
        page.set_viewport_size(DESKTOP)
        log_in(page, live_server, "admin@dienstenwijzer.example")
        for viewport in (DESKTOP, MOBILE):
            page.set_viewport_size(viewport)
            for name, path, selector in pages:
                _open(page, live_server + path, 200, selector)
                problems += _axe(page, name, viewport, live_server + path, axe)
        # Refreshing by itself, the page breaks axe's meta-refresh rule, which cannot see that
        # the page offers to stop it (WCAG 2.2.1 "turn off"): every other rule still applies.
        url = live_server + f"/gent/beheer/import/{jobs['waiting']}"
        _open(page, url, 200, "a[href$='verversen=nee']")
        page.add_script_tag(content=axe)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
            " rules: {'meta-refresh': {enabled: false}}, resultTypes: ['violations']})",
            AXE_TAGS,
        )
        problems += [
            _describe("import wacht (ververst)", DESKTOP, url, v) for v in result["violations"]
        ]
    assert not problems, f"{len(problems)} axe-core violation(s):\n\n" + "\n\n".join(problems)
