"""GET /<gebied>/api/v1/services: the search page's results as HSDS JSON."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.datastructures import MultiDict

from .. import search
from ..db import db
from ..public.search_form import build_form, to_request
from ..catalogue.freshness import hide_before
from ..public.views import _places
from ..web import region_or_404
from . import hsds

bp = Blueprint("api", __name__)

ALLOWED = {"search", "page", "per_page", "categorie", "gemeente", "dienstencheques", "postcode", "km"}


@bp.get("/<gebied>/api/v1/services")
def services(gebied: str):
    region = region_or_404(gebied)
    unknown = sorted(set(request.args) - ALLOWED)
    if unknown:
        return _bad_request({k: [f"Onbekende parameter; toegelaten: {', '.join(sorted(ALLOWED))}."] for k in unknown})
    args = MultiDict(request.args)
    if "search" in args:
        args.setlist("q", args.poplist("search"))
    places = _places()
    form = build_form(db.session, region, places, args)
    if not form.validate():
        errors = {("search" if k == "q" else k): v for k, v in form.errors.items()}
        return _bad_request(errors)
    result = search.search(
        region.slug, to_request(form, places, int(current_app.config["SEARCH_PER_PAGE"]), hide_before())
    )
    return jsonify(hsds.page(result, region.slug))


def _bad_request(errors: dict):
    body = {"error": {"status": 400, "message": "Ongeldige parameters.", "fields": errors}}
    return jsonify(body), 400
