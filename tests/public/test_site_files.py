"""favicon.ico, robots.txt and sitemap.xml answer, and say the right things (issue 12, item 5)."""

import re
import xml.etree.ElementTree as ET

from tests.conftest import service_row

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PUBLIC_ENDPOINTS = {
    "public.home",
    "public.about",
    "public.accessibility",
    "public.region_home",
    "public.search_page",
    "public.service_page",
    "public.provider_page",
    "jobs_public.job_list",
    "jobs_public.job_page",
    "demand.resident_need",
}
STAFF_BLUEPRINTS = ("catalogue.", "jobs.", "jobs_rules.", "accounts.", "accounts_admin.", "api.")


def test_the_favicon_is_an_icon(client):
    with client.get("/favicon.ico") as response:  # a file response: closed after reading
        assert response.status_code == 200
        assert response.mimetype == "image/vnd.microsoft.icon"
        assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO header


def _disallowed(rules: list[str], path: str) -> bool:
    """RFC 9309: the longest matching rule wins; `*` matches any run of characters."""
    best = ("", "Allow")
    for line in rules:
        kind, _, pattern = line.partition(": ")
        regex = "^" + re.escape(pattern).replace(r"\*", ".*")
        if kind in ("Allow", "Disallow") and re.match(regex, path) and len(pattern) > len(best[0]):
            best = (pattern, kind)
    return best[1] == "Disallow"


def _example_path(rule) -> str:
    path = rule.rule.replace("<gebied>", "gent")
    return re.sub(r"<[^>]+>", "1", path)


def test_robots_allows_public_pages_and_keeps_crawlers_out_of_staff_pages(app, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    rules = response.get_data(as_text=True).splitlines()
    assert "Sitemap: http://dienstenwijzer.test/sitemap.xml" in rules
    checked = 0
    for rule in app.url_map.iter_rules():
        path = _example_path(rule)
        if rule.endpoint in PUBLIC_ENDPOINTS:
            assert not _disallowed(rules, path), path
        elif rule.endpoint.startswith(STAFF_BLUEPRINTS) or rule.endpoint in {
            "jobs_public.provider_outcome",
            "demand.board",
            "demand.region_monitoring",
            "demand.all_monitoring",
            "public.report_service",
        }:
            assert _disallowed(rules, path), path
            checked += 1
    assert checked > 40
    for path in ("/gent/beheer/", "/beheer/", "/gent/werkwinkel/", "/gent/uitkomst/abc"):
        assert _disallowed(rules, path)


def test_the_sitemap_lists_the_public_pages_of_every_dienstenwijzer(client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and index.mimetype == "application/xml"
    parts = [e.text for e in ET.fromstring(index.data).findall("s:sitemap/s:loc", NS)]
    assert "http://dienstenwijzer.test/sitemap-paginas.xml" in parts
    assert (
        "http://dienstenwijzer.test/gent/sitemap.xml" in parts
        and "http://dienstenwijzer.test/zoersel/sitemap.xml" in parts
    )

    pages = client.get("/sitemap-paginas.xml")
    urls = [e.text for e in ET.fromstring(pages.data).findall("s:url/s:loc", NS)]
    assert (
        "http://dienstenwijzer.test/" in urls
        and "http://dienstenwijzer.test/toegankelijkheid" in urls
    )
    for slug in ("gent", "kortrijk", "zoersel"):
        assert (
            f"http://dienstenwijzer.test/{slug}/" in urls
            and f"http://dienstenwijzer.test/{slug}/zoeken" in urls
        )

    gent = client.get("/gent/sitemap.xml").get_data()
    urls = [e.text for e in ET.fromstring(gent).findall("s:url/s:loc", NS)]
    assert "http://dienstenwijzer.test/gent/diensten/1" in urls
    assert "http://dienstenwijzer.test/gent/aanbieders/1" in urls
    kortrijk = client.get("/kortrijk/sitemap.xml").get_data()
    assert ET.fromstring(kortrijk).findall("s:url", NS) == []  # the service does not serve it


def test_a_large_sitemap_is_split_in_parts(app, client, add_services, monkeypatch):
    from dienstenwijzer.public import site_files

    monkeypatch.setattr(site_files, "SITEMAP_PART_URLS", 2)
    add_services("gent", [service_row(extern_id=str(i), naam=f"Dienst {i}") for i in range(5)])
    parts = [
        e.text
        for e in ET.fromstring(client.get("/sitemap.xml").data).findall("s:sitemap/s:loc", NS)
    ]
    assert [p for p in parts if "/gent/" in p] == [
        "http://dienstenwijzer.test/gent/sitemap.xml",
        "http://dienstenwijzer.test/gent/sitemap.xml?page=2",
        "http://dienstenwijzer.test/gent/sitemap.xml?page=3",
    ]
    seen = []
    for part in ("", "?page=2", "?page=3"):
        xml = client.get(f"/gent/sitemap.xml{part}").get_data()
        seen += [e.text for e in ET.fromstring(xml).findall("s:url/s:loc", NS)]
    services = [u for u in seen if "/diensten/" in u]
    assert sorted(services) == sorted(
        f"http://dienstenwijzer.test/gent/diensten/{i}" for i in range(1, 6)
    )
