"""The verdict table in a real browser: no word is broken over two lines, at any width."""

from __future__ import annotations

import pytest

from tests.public.test_accessibility import (  # noqa: F401  (live_server is a fixture)
    chromium_page,
    live_server,
    log_in,
)

pytestmark = pytest.mark.browser

# Every word of the table's cells whose boxes lie on more than one line (a mid-word break).
BROKEN_WORDS = """() => {
  const broken = [];
  const walker = document.createTreeWalker(document.querySelector('table.judgements'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def app_config(app_config):
    return {**app_config, "SERVER_NAME": None}


@pytest.mark.parametrize("width", [1366, 1024, 768, 375])
def test_no_word_of_the_verdict_breaks_mid_word(live_server, world, width):  # noqa: F811
    with chromium_page() as page:
        page.set_viewport_size({"width": width, "height": 900})
        log_in(page, live_server, "consulent@gent.example")
        page.goto(live_server + "/gent/werkwinkel/")
        page.fill("#age", "35")
        page.select_option("#diploma", "secundair")
        page.fill("#months_job_seeker", "5")
        with page.expect_navigation():
            page.click("main form.profile-form button[type=submit]")
        assert page.locator("table.judgements").count() == 1
        assert page.evaluate(BROKEN_WORDS) == []
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth + 1")
