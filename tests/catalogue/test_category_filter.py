"""The category checklist's filter box, in a real browser (it needs JavaScript to filter)."""

from __future__ import annotations

import pytest

from tests.conftest import service_row
from tests.public.test_accessibility import (  # noqa: F401  (live_server is a fixture)
    chromium_page,
    live_server,
    log_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SERVER_NAME": None}


def test_typing_in_the_filter_box_leaves_the_matching_categories_and_the_checked_ones(
    live_server,  # noqa: F811  (the fixture imported above)
    add_services,
    staff,
):
    add_services("gent", [service_row(extern_id="a")])
    with chromium_page() as page:
        log_in(page, live_server, "regisseur@gent.example")
        page.goto(live_server + "/gent/beheer/diensten/nieuw")
        assert page.is_visible("#cat-filter")  # shown once JavaScript runs
        page.check("#cat-poetsen")
        page.fill("#cat-filter", "strijk")
        visible = page.eval_on_selector_all(
            "#cat-list .check:not([hidden]) input", "inputs => inputs.map(i => i.value)"
        )
        assert "poetsen" in visible  # checked: stays in sight
        assert any("strijk" in value for value in visible)
        assert "tuinonderhoud" not in visible
        assert page.inner_text("#cat-filter-status") == f"{len(visible)} soorten passen"
        page.fill("#cat-filter", "")
        assert page.is_visible("#cat-tuinonderhoud")
