"""The files every site answers: /favicon.ico, /robots.txt and /sitemap.xml.

Without these routes `/favicon.ico` fell through to `/<gebied>/` (a redirect to a 404). The
sitemap lists the public pages of every dienstenwijzer; each zorggebied's services are in
parts of at most SITEMAP_PART_URLS (the protocol's limit), streamed, read-only.
"""

from __future__ import annotations

import functools
from pathlib import Path
from xml.sax.saxutils import escape

from flask import Response, current_app, stream_with_context, url_for
from sqlalchemy import func, select

from ..catalogue.queries import serves_region
from ..db import db
from ..freshness import hide_before
from ..models import Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..paging import page_number
from ..reference_cache import public_region_or_404
from .blueprint import bp

SITEMAP_PART_URLS = 50_000
DAY = 24 * 3600

# What search engines may not visit: staff pages, the werkwinkel, the providers' outcome
# links, the login and the JSON API. Checked against the app's real routes in the tests.
DISALLOW = (
    "/beheer/",
    "/werkwinkel/",
    "/*/beheer/",
    "/*/werkwinkel/",
    "/*/uitkomst/",
    "/api/",
    "/*/api/",
    "/*/diensten/*/melden",
    "/aanmelden",
    "/afmelden",
    "/account/",
    "/wachtwoord-instellen/",
)


@bp.get("/favicon.ico")
def favicon():
    """The site's icon, answered from memory."""
    # A few hundred bytes, answered from memory: no open file left to a client that hangs up.
    icon = _icon(Path(current_app.static_folder) / "favicon.ico")
    response = Response(icon, mimetype="image/vnd.microsoft.icon")
    response.cache_control.public = True
    response.cache_control.max_age = 7 * DAY
    return response


@functools.cache
def _icon(path: Path) -> bytes:
    return path.read_bytes()


@bp.get("/robots.txt")
def robots():
    """robots.txt: what crawlers may read, and where the sitemap is."""
    lines = [
        "User-agent: *",
        "Allow: /",
        *(f"Disallow: {path}" for path in DISALLOW),
        "",
        f"Sitemap: {url_for('public.sitemap_index', _external=True)}",
        "",
    ]
    return _cached(Response("\n".join(lines), mimetype="text/plain"))


@bp.get("/sitemap.xml")
def sitemap_index():
    """A sitemap index: the general pages, then each zorggebied's parts."""
    regions = db.session.scalars(select(Region).order_by(Region.slug)).all()
    counts = dict(
        db.session.execute(
            select(Region.id, func.count(Service.id))
            .join(Service, serves_region(Region))
            .where(*_public_services())
            .group_by(Region.id)
        ).all()
    )
    parts = [url_for("public.sitemap_pages", _external=True)]
    for region in regions:
        n = max(1, -(-counts.get(region.id, 0) // SITEMAP_PART_URLS))
        parts += [
            url_for(
                "public.sitemap_region",
                gebied=region.slug,
                page=p if p > 1 else None,
                _external=True,
            )
            for p in range(1, n + 1)
        ]
    body = "".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in parts)
    return _xml(
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>'
    )


@bp.get("/sitemap-paginas.xml")
def sitemap_pages():
    """The pages every resident may start from: the home page, the general pages, and each
    dienstenwijzer's home, search, jobs and "ik zoek" pages."""
    urls = [
        url_for(e, _external=True) for e in ("public.home", "public.about", "public.accessibility")
    ]
    for region in db.session.scalars(select(Region).order_by(Region.slug)):
        urls += [
            url_for(e, gebied=region.slug, _external=True)
            for e in (
                "public.region_home",
                "public.search_page",
                "jobs_public.job_list",
                "demand.resident_need",
            )
        ]
    return _xml(_urlset(f"<url><loc>{escape(u)}</loc></url>" for u in urls))


@bp.get("/<gebied>/sitemap.xml")
def sitemap_region(gebied: str):
    """One part of a zorggebied's service pages and their providers' pages, streamed."""
    region = public_region_or_404(gebied)
    part = page_number()
    rows = db.session.execute(
        select(Service.id, Service.last_checked, Service.provider_id)
        .where(serves_region(region), *_public_services())
        .order_by(Service.id)
        .offset((part - 1) * SITEMAP_PART_URLS)
        .limit(SITEMAP_PART_URLS)
    ).all()
    # One url_for per page kind, not per row: the id is the path's last segment.
    service_url = url_for("public.service_page", gebied=region.slug, service_id=0, _external=True)[
        :-1
    ]
    provider_url = url_for(
        "public.provider_page", gebied=region.slug, provider_id=0, _external=True
    )[:-1]

    def entries():
        for service_id, checked, _provider_id in rows:
            yield (
                f"<url><loc>{escape(service_url + str(service_id))}</loc>"
                f"<lastmod>{checked.isoformat()}</lastmod></url>"
            )
        # The providers of this part's services (one with services in two parts is in both).
        for provider_id in sorted({row[2] for row in rows}):
            yield f"<url><loc>{escape(provider_url + str(provider_id))}</loc></url>"

    return _xml(stream_with_context(_urlset(entries())))


def _public_services():
    """Conditions of a service residents see: active and checked recently enough."""
    return (Service.status == STATUS_ACTIVE, Service.last_checked >= hide_before())


def _urlset(entries):
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    yield from entries
    yield "</urlset>\n"


def _xml(body) -> Response:
    if isinstance(body, str):
        body = '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
    return _cached(Response(body, mimetype="application/xml"))


def _cached(response: Response) -> Response:
    response.cache_control.public = True
    response.cache_control.max_age = DAY // 24
    return response
