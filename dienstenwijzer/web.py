"""Cross-cutting web concerns: template helpers, security headers and error pages."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from flask import Flask, current_app, render_template, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import i18n
from .charts import bar_chart, number_text
from .db import db
from .models import Region

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


# Every id in a URL names an INTEGER column, which on PostgreSQL ends at 2**31 - 1 (SQLite's
# end at 2**63 - 1): a larger number cannot be a row, so it is a 404 before it reaches SQL.
MAX_ID = 2**31 - 1

# Pages anyone can open without logging in but that show a job seeker's or account's data.
PRIVATE_ENDPOINTS = frozenset(
    {"accounts.login", "accounts.set_password", "jobs_public.provider_outcome"}
)


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: ids from 0 to MAX_ID; longer numbers do not match (404)."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def query_id(name: str) -> int | None:
    """An id from the query string, or None when it is absent or no id a row can have."""
    value = request.args.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    if int(value) > MAX_ID:
        return None
    return int(value)


def date_nl(value: dt.date | None) -> str:
    return format_date(value, format="long", locale="nl_BE") if value else ""


def km_nl(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", ",") + " km"


def url_with(**changes) -> str:
    """The current URL with some query parameters replaced (None removes one)."""
    args = request.args.copy()
    for key, value in changes.items():
        args.pop(key, None)
        if value is not None:
            args[key] = value
    return url_for(request.endpoint, **request.view_args, **args.to_dict(flat=False))


def subnav_links(items, **params) -> list[tuple[str, str, bool]]:
    """(url, label, is the current page) for each (endpoint, label[, other endpoints]) of a
    sub-nav. An endpoint gets only the params its route takes (some pages are not per
    zorggebied); the other endpoints are pages that belong under the same link."""
    links = []
    for endpoint, label, *more in items:
        takes = set().union(*(r.arguments for r in current_app.url_map.iter_rules(endpoint)))
        url = url_for(endpoint, **{k: v for k, v in params.items() if k in takes})
        here = request.endpoint == endpoint or request.endpoint in (more[0] if more else ())
        links.append((url, label, here))
    return links


def init_app(app: Flask) -> None:
    """Runs before any blueprint is registered: routes bind their converters when added."""
    app.url_map.converters["int"] = IdConverter
    i18n.init_app(app)
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["bar_chart"] = bar_chart
    app.jinja_env.globals["subnav_links"] = subnav_links
    app.jinja_env.filters["number_nl"] = number_text
    app.jinja_env.filters["date_nl"] = date_nl
    app.jinja_env.filters["km_nl"] = km_nl
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.teardown_appcontext
    def _end_session(exc):
        db.session.remove()

    @app.after_request
    def _security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if _private(request):
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if request.path.startswith("/") and "/api/" in request.path:
            return {"error": {"status": exc.code, "message": exc.description}}, exc.code
        return render_template("errors/error.html", error=exc), exc.code


def _private(req) -> bool:
    """No browser or proxy may keep a copy: everything shown to staff (it may hold residents'
    e-mail addresses or job seekers' referrals), the login and set-password pages and the
    provider's outcome link. Residents' public pages keep their caching."""
    if req.endpoint in (None, "static"):  # files, and URLs that match no page (a bare 404)
        return False
    return req.endpoint in PRIVATE_ENDPOINTS or current_user.is_authenticated


def region_or_404(slug: str) -> Region:
    """The zorggebied of a URL, read now: for staff pages and pages that write (residents'
    read-only pages take the process's copy, reference_cache.public_region_or_404)."""
    return db.first_or_404(db.select(Region).where(Region.slug == slug))
