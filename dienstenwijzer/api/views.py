"""The open-data API (HSDS 3.1) at /<gebied>/api/v1/ (one zorggebied) and /api/v1/ (Flanders).

Thin views: parameters are read in params.py, rows chosen in queries.py, shaped in hsds.py.
Every answer is a GET that writes nothing; JSON answers carry an ETag (304 on If-None-Match),
a one-second Cache-Control (an edit is visible within a second) and CORS for any origin.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import uuid

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    jsonify,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask_cors import CORS
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.http import http_date

from .. import search
from ..clock import utcnow
from ..db import db
from ..freshness import hide_before
from ..models import Category, Provider, Region, Service
from ..open_data import DATA_LICENSE
from ..places import Places, app_places
from ..public.search_form import build_form, to_request
from ..reference_cache import public_region_or_404
from . import hsds, links, openapi, packages, queries, ratelimit, versions
from .params import BadParameters, read
from .reach import AskedPlace, asked_place, reach

bp = Blueprint("api", __name__)
# Anyone's web page may read the open data; only GET exists here, so no preflight is needed.
CORS(bp, origins="*", methods=["GET"], send_wildcard=True)
# One count per client across all workers (ratelimit.py), set up with the app.
bp.record_once(lambda state: ratelimit.init_app(state.app, bp))

LICENSE = DATA_LICENSE
PROFILE = "https://docs.openreferral.org/en/latest/hsds/overview.html"
CACHE_CONTROL = "public, max-age=1"
PREPARING_RETRY_SECONDS = 60


def route(path: str):
    """One view at /api/v1<path> (all of Flanders) and /<gebied>/api/v1<path>."""

    def register(view):
        bp.add_url_rule(f"/api/v1{path}", view_func=view, defaults={"gebied": None})
        bp.add_url_rule(f"/<gebied>/api/v1{path}", view_func=view)
        return view

    return register


@bp.after_request
def _reuse_headers(response: Response) -> Response:
    if (
        request.method == "GET"
        and response.status_code == 200
        and not response.is_streamed
        and not response.direct_passthrough
    ):
        response.add_etag()
        response.make_conditional(request)
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return response


def _region(gebied: str | None) -> Region | None:
    return public_region_or_404(gebied) if gebied is not None else None


def _bad_request(fields: dict[str, list[str]]):
    body = {"error": {"status": 400, "message": "Ongeldige parameters.", "fields": fields}}
    return jsonify(body), 400


@bp.errorhandler(BadParameters)
def _bad_parameters(bad: BadParameters):
    """Any view that reads its parameters answers a bad value the same way."""
    return _bad_request(bad.fields)


def _public_id(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        abort(404, description="Geen dienst, aanbieder of term met deze id.")


@route("/")
def root(gebied: str | None):
    """The API's entry point: HSDS version, profile, licence and links."""
    region = _region(gebied)
    return jsonify(
        {
            "version": hsds.HSDS_VERSION,
            "profile": PROFILE,
            "openapi_url": url_for("api.openapi_document", gebied=gebied, _external=True),
            "license": LICENSE,
            # Extension: the page that explains this API to people, in Dutch.
            "x-documentation": url_for("public.open_data", gebied=gebied, _external=True),
            "name": region.name if region else "Dienstenwijzers van Vlaanderen",
            "bulk_download": url_for(
                "api.services", gebied=gebied, format="ndjson", _external=True
            ),
            # Extension: the same catalogue as an HSDS tabular data package (CSV files, zipped).
            "x-tabular_download": url_for("api.download_zip", gebied=gebied, _external=True),
        }
    )


@route("/services")
def services(gebied: str | None):
    """A page of services (HSDS), filtered, searched or changed after a moment."""
    region = _region(gebied)
    places = app_places()
    q = read(request.args, places)
    page_url = links.page_url(region, places)
    if q.uses_search:
        if region is None:
            return _bad_request(
                {"search": ["Zoeken kan per dienstenwijzer: /<gebied>/api/v1/services?search=…"]}
            )
        return _searched(region, q, places, page_url)
    query = queries.filtered_services(region, q, places)
    place = asked_place(q.postcode, places)
    if q.ndjson:
        return _ndjson(region, query, page_url, place)
    total = queries.count(db.session, query)
    rows = queries.page_of(db.session, query, q.page, q.per_page)
    if q.minimal:
        contents = [hsds.minimal_item(s) for s in rows]
    else:
        shape = hsds.full_service if q.full else hsds.service_item
        contents = [shape(s, page_url, reach=_reach(s, place)) for s in rows]
    return jsonify(hsds.page(total, q.page, q.per_page, contents))


def _reach(service: Service, place: AskedPlace | None) -> dict | None:
    """The `reach` extension when a postcode was asked (api/reach.py)."""
    return reach(service, place) if place is not None else None


def _searched(region: Region, q, places: Places, page_url):
    """`search` (and the search page's filters) through the index: relevance order."""
    args = MultiDict(request.args)
    args.setlist("q", args.poplist("search"))
    for name in ("postcode", "per_page"):  # read() checked them; the form must not refuse
        args.pop(name, None)  # an HSDS postcode (in another zorggebied) or default
    if q.postcode and "km" in request.args:
        args["postcode"] = q.postcode
    form = build_form(db.session, region, places, args)
    if not form.validate():
        return _bad_request({("search" if k == "q" else k): v for k, v in form.errors.items()})
    wanted = to_request(form, places, q.per_page, hide_before())
    wanted = dataclasses.replace(wanted, per_page=q.per_page)
    filters = wanted.filters
    if q.taxonomy_id and q.taxonomy_id != hsds.TAXONOMY_ID:
        return jsonify(hsds.page(0, q.page, q.per_page, []))
    if q.taxonomy_term_id:
        code = db.session.scalar(select(Category.id).where(Category.uuid == q.taxonomy_term_id))
        if code is None:
            return jsonify(hsds.page(0, q.page, q.per_page, []))
        filters = dataclasses.replace(filters, categories=filters.categories | {code})
    if q.postcode and q.proximity_m:
        filters = dataclasses.replace(
            filters, origin=places.coordinates(q.postcode), km=q.proximity_m / 1000
        )
    elif q.postcode and "km" not in request.args:
        served = frozenset(p.nis_code for p in places.municipalities_for_postcode(q.postcode))
        filters = dataclasses.replace(filters, municipalities=filters.municipalities | served)
    result = search.search(region.slug, dataclasses.replace(wanted, filters=filters))
    distance = {hit.service_id: hit.distance_km for hit in result.hits}
    rows = queries.by_internal_ids(db.session, [hit.service_id for hit in result.hits])
    if q.minimal:
        contents = [hsds.minimal_item(s) for s in rows]
    else:
        shape = hsds.full_service if q.full else hsds.service_item
        place = asked_place(q.postcode, places)
        contents = [
            shape(s, page_url, distance_km=distance[s.id], reach=_reach(s, place)) for s in rows
        ]
    return jsonify(hsds.page(result.total, result.page, result.per_page, contents))


def _ndjson(region: Region | None, query, page_url, place: AskedPlace | None) -> Response:
    """The whole catalogue, one fully nested service per line, streamed in bounded memory.
    Its ETag is the version of the data (it changes with every edit, even within a second);
    Last-Modified is the time of its latest change (304 on If-None-Match/If-Modified-Since)."""
    session = db.session
    version = versions.data_version(session, query, queries.organizations(region))
    newest = queries.last_change(session, query)

    def lines():
        for service in queries.stream(session, query):
            item = hsds.full_service(service, page_url, reach=_reach(service, place))
            yield json.dumps(item, ensure_ascii=False) + "\n"

    response = Response(stream_with_context(lines()), mimetype="application/x-ndjson")
    response.set_etag(version)
    if newest is not None and versions.settled(newest, utcnow()):
        response.last_modified = newest.replace(tzinfo=dt.UTC)
    return response.make_conditional(request)


@route("/download.zip")
def download_zip(gebied: str | None):
    """The catalogue as an HSDS tabular data package: the ready-made file of this scope (never
    built in the request: at 100 000 services that outlasts a worker's timeout). A file older
    than the data is served while the new one is built; with none yet, a 503 with Retry-After."""
    region = _region(gebied)
    package = packages.ready(db.session, region)
    if package is None or package.stale:
        scope = packages.scope_name(region)
        packages.start_build(
            current_app._get_current_object(),
            scope,
            functools.partial(packages.build_scope, gebied, request.url_root),
        )
    if package is None:
        return _preparing()
    name = f"dienstenwijzer-{packages.scope_name(region)}-hsds.zip"
    response = send_file(
        package.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=name,
        conditional=True,
        etag=package.version,
        last_modified=package.last_modified,
        max_age=1,
    )
    if response.status_code == 200:
        response.content_length = package.size
    if package.stale:
        # The data changed since this file was made; say of when it is.
        response.headers["X-Open-Data-Stale"] = http_date(package.last_modified)
    return response


def _preparing():
    """No file yet: ask to come back (a harvester reads Retry-After, a person the message)."""
    message = "Het bestand wordt nu klaargemaakt. Probeer het over een minuut opnieuw."
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        response = current_app.make_response(
            (render_template("api/preparing.html", retry_after=PREPARING_RETRY_SECONDS), 503)
        )
    else:
        response = jsonify(
            {"error": {"status": 503, "message": message, "retry_after": PREPARING_RETRY_SECONDS}}
        )
        response.status_code = 503
    response.headers["Retry-After"] = str(PREPARING_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


@route("/services/<service_id>")
def service(gebied: str | None, service_id: str):
    """One service (HSDS, in full) by its public id."""
    region = _region(gebied)
    found = queries.service(db.session, region, _public_id(service_id))
    if found is None:
        abort(404, description="Deze dienst staat niet in deze dienstenwijzer.")
    return jsonify(hsds.full_service(found, links.page_url(region, app_places())))


@route("/service_at_locations")
def service_at_locations(gebied: str | None):
    """A page of services at their address (HSDS service_at_locations)."""
    region = _region(gebied)
    places = app_places()
    q = read(request.args, places)
    query = queries.with_address(queries.filtered_services(region, q, places))
    total = queries.count(db.session, query)
    rows = queries.page_of(db.session, query, q.page, q.per_page)
    page_url = links.page_url(region, places)
    contents = [hsds.service_at_location(s, page_url=page_url) for s in rows]
    return jsonify(hsds.page(total, q.page, q.per_page, contents))


@route("/service_at_locations/<sal_id>")
def service_at_location(gebied: str | None, sal_id: str):
    """One service at its address (HSDS service_at_location) by its public id."""
    region = _region(gebied)
    found = queries.service_at(db.session, region, _public_id(sal_id))
    item = (
        hsds.service_at_location(found, page_url=links.page_url(region, app_places()))
        if found
        else None
    )
    if item is None:
        abort(404, description="Deze dienst op deze plaats staat niet in deze dienstenwijzer.")
    return jsonify(item)


@route("/organizations")
def organizations(gebied: str | None):
    """A page of providers (HSDS organizations)."""
    region = _region(gebied)
    q = read(request.args, app_places())
    query = queries.organizations(region)
    total = queries.count(db.session, query)
    rows = db.session.scalars(
        query.order_by(Provider.id).offset((q.page - 1) * q.per_page).limit(q.per_page)
    ).all()
    contents = [hsds.organization(p, full=q.full) for p in rows]
    return jsonify(hsds.page(total, q.page, q.per_page, contents))


@route("/organizations/<organization_id>")
def organization(gebied: str | None, organization_id: str):
    """One provider (HSDS organization) by its public id."""
    found = queries.organization(db.session, _region(gebied), _public_id(organization_id))
    if found is None:
        abort(404, description="Deze aanbieder staat niet in deze dienstenwijzer.")
    return jsonify(hsds.organization(found, full=True))


@route("/taxonomies")
def taxonomies(gebied: str | None):
    """The one taxonomy the API knows (the Dutch category tree), as a page."""
    _region(gebied)
    return jsonify(hsds.page(1, 1, 1, [hsds.TAXONOMY]))


@route("/taxonomies/<taxonomy_id>")
def taxonomy(gebied: str | None, taxonomy_id: str):
    """The taxonomy by its public id."""
    _region(gebied)
    if _public_id(taxonomy_id) != hsds.TAXONOMY_ID:
        abort(404, description="Deze taxonomie bestaat niet.")
    return jsonify(hsds.TAXONOMY)


@route("/taxonomy_terms")
def taxonomy_terms(gebied: str | None):
    """A page of categories (HSDS taxonomy terms)."""
    _region(gebied)
    q = read(request.args, app_places())
    query = queries.taxonomy_terms()
    if q.taxonomy_id and q.taxonomy_id != hsds.TAXONOMY_ID:
        return jsonify(hsds.page(0, q.page, q.per_page, []))
    total = queries.count(db.session, query)
    rows = db.session.scalars(query.offset((q.page - 1) * q.per_page).limit(q.per_page)).all()
    contents = [hsds.taxonomy_term(c, detail=q.full) for c in rows]
    return jsonify(hsds.page(total, q.page, q.per_page, contents))


@route("/taxonomy_terms/<term_id>")
def taxonomy_term(gebied: str | None, term_id: str):
    """One category (HSDS taxonomy term) by its public id."""
    _region(gebied)
    found = db.session.scalar(queries.taxonomy_terms().where(Category.uuid == _public_id(term_id)))
    if found is None:
        abort(404, description="Deze term staat niet in de taxonomie.")
    return jsonify(hsds.taxonomy_term(found, detail=True))


@route("/openapi.json")
def openapi_document(gebied: str | None):
    """The OpenAPI description of the API, for Flanders or one zorggebied."""
    region = _region(gebied)
    base = url_for("api.root", gebied=gebied, _external=True).rstrip("/")
    schemas = url_for("api.schema_file", name="x", _external=True).removesuffix("x")
    title = region.name if region else "Dienstenwijzers van Vlaanderen"
    return jsonify(openapi.document(base, schemas, title, LICENSE))


@bp.get("/api/v1/schemas/<path:name>")
def schema_file(name: str):
    """The HSDS 3.1 JSON schemas the OpenAPI document refers to (CC BY-SA 4.0, Open Referral)."""
    body = openapi.schema(name)
    if body is None:
        abort(404, description="Dit schema bestaat niet.")
    return current_app.response_class(body, mimetype="application/schema+json")
