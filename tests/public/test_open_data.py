"""/open-data and /<gebied>/open-data: what a web developer reads before reusing the catalogue."""

import html
import re
from urllib.parse import urlsplit

import pytest

from dienstenwijzer.api import packages
from tests.conftest import service_row, text_of

LICENCE = "Modellicentie Gratis Hergebruik – Vlaanderen v1.0"


@pytest.fixture
def catalogue(add_services):
    add_services("gent", [service_row(extern_id="a")])


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _examples(page: str) -> list[str]:
    return [html.unescape(url) for url in re.findall(r"<pre[^>]*><code>([^<]+)</code></pre>", page)]


@pytest.mark.parametrize("path", ["/open-data", "/gent/open-data"])
def test_every_example_on_the_page_works_when_copied(client, catalogue, path):
    page = client.get(path).get_data(as_text=True)
    examples = _examples(page)
    assert len(examples) == 5
    assert any("search=poetsen" in e for e in examples)
    assert any("modified_after=" in e for e in examples)
    assert any(e.endswith("/download.zip") for e in examples)
    for url in examples:
        response = client.get(_path(url))
        if url.endswith("/download.zip") and response.status_code == 503:
            # As the page says: the file is made beforehand; the first time, try again later.
            assert "Retry-After" in response.headers
            packages.wait_for_builds()
            response = client.get(_path(url))
        assert response.status_code == 200, url
    one = next(e for e in examples if "/services/" in e)
    assert client.get(_path(one)).get_json()["name"] == ("Poetsdienst De Bezem")


def test_the_page_says_what_happens_when_the_zip_is_not_made_yet(client):
    page = text_of(client.get("/gent/open-data").get_data(as_text=True))
    assert "antwoordt de server 503 met Retry-After" in page


def test_the_zorggebied_page_gives_its_own_and_the_flemish_base_url(client, catalogue):
    page = text_of(client.get("/gent/open-data").get_data(as_text=True))
    assert (
        "http://dienstenwijzer.test/gent/api/v1/" in page
        and "http://dienstenwijzer.test/api/v1/" in page
    )
    assert "Bron: Dienstenwijzer Gent" in page
    flanders = text_of(client.get("/open-data").get_data(as_text=True))
    assert "http://dienstenwijzer.test/kortrijk/api/v1/" in flanders  # every zorggebied's address


def test_the_page_names_the_licence_in_plain_words(client):
    response = client.get("/open-data")
    page = text_of(response.get_data(as_text=True))
    assert "ook als u er geld mee verdient" in page and LICENCE in page
    assert "https://data.vlaanderen.be/doc/licentie/modellicentie-gratis-hergebruik/v1.0" in (
        response.get_data(as_text=True)
    )
    assert client.get("/api/v1/").get_json()["license"]["name"] == LICENCE
    assert client.get("/gent/api/v1/").get_json()["x-documentation"] == (
        "http://dienstenwijzer.test/gent/open-data"
    )


def test_the_about_page_names_the_licence_and_links_the_page(client):
    page = client.get("/over").get_data(as_text=True)
    assert LICENCE in text_of(page) and 'href="/open-data"' in page


@pytest.mark.parametrize(
    ("path", "link"), [("/", "/open-data"), ("/over", "/open-data"), ("/gent/", "/gent/open-data")]
)
def test_the_footer_links_the_open_data_page(client, path, link):
    footer = client.get(path).get_data(as_text=True).split('class="site-footer"')[1]
    assert f'href="{link}">Open data</a>' in footer


def test_an_unknown_zorggebied_has_no_open_data_page(client):
    assert client.get("/atlantis/open-data").status_code == 404
