"""Import (dry run, then confirm) and export of a zorggebied's catalogue as CSV."""
from __future__ import annotations

import datetime as dt

from flask import Response, current_app, render_template, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from ..db import db
from ..demand.niches import alert_matching_niches
from ..models import Region
from ..places import cached_places
from ..scope import region_view
from .blueprint import bp
from . import export
from .forms import ImportForm
from .importer import ImportFileError, apply_import, decode, plan_import
from .views import commit_and_index

CONFIRM_MAX_AGE = 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="csv-import")


def _plan(region: Region, text: str):
    return plan_import(db.session, region, text, cached_places(db.session, current_app.config["DATABASE_URL"]))


def _dry_run(region: Region, plan):
    """What the import would do, computed by doing it in a savepoint and rolling it back."""
    nested = db.session.begin_nested()
    try:
        return apply_import(db.session, region, plan)
    finally:
        nested.rollback()


@bp.route("/import", methods=["GET", "POST"])
@region_view()
def import_csv(region: Region):
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("catalogue/import.html", region=region, form=form), (400 if form.errors else 200)
    filename = form.file.data.filename or "bestand.csv"
    try:
        text = decode(form.file.data.read())  # read in memory only: the file is never kept
    except ImportFileError as exc:
        form.file.errors = [str(exc)]
        return render_template("catalogue/import.html", region=region, form=form), 400
    plan = _plan(region, text)
    if not plan.ok:
        return render_template("catalogue/import_result.html", region=region, plan=plan, filename=filename,
                               summary=None, token=None, done=False), 400
    summary = _dry_run(region, plan)
    token = _signer().dumps({"region": region.slug, "csv": text, "name": filename})
    return render_template("catalogue/import_result.html", region=region, plan=plan, filename=filename,
                           summary=summary, token=token, done=False)


@bp.post("/import/bevestigen")
@region_view()
def confirm_import(region: Region):
    try:
        data = _signer().loads(request.form.get("token", ""), max_age=CONFIRM_MAX_AGE)
    except SignatureExpired:
        return render_template("catalogue/import.html", region=region, form=ImportForm(formdata=None),
                               problem="Deze controle is meer dan een uur oud. Laad het bestand opnieuw op."), 400
    except BadSignature:
        return render_template("catalogue/import.html", region=region, form=ImportForm(formdata=None),
                               problem="De import kon niet bevestigd worden. Laad het bestand opnieuw op."), 400
    if data.get("region") != region.slug:
        return render_template("catalogue/import.html", region=region, form=ImportForm(formdata=None),
                               problem="Dit bestand werd voor een andere dienstenwijzer gecontroleerd."), 400
    plan = _plan(region, data["csv"])  # check again: the catalogue may have changed meanwhile
    if not plan.ok:
        return render_template("catalogue/import_result.html", region=region, plan=plan, filename=data["name"],
                               summary=None, token=None, done=False), 400
    summary = apply_import(db.session, region, plan)
    alert_matching_niches(db.session, summary.created_services)
    commit_and_index()
    return render_template("catalogue/import_result.html", region=region, plan=plan, filename=data["name"],
                           summary=summary, token=None, done=True)


@bp.get("/export.csv")
@region_view()
def export_csv(region: Region):
    body = export.export_csv(db.session, region)
    filename = f"dienstenwijzer-{region.slug}-{dt.date.today().isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store",
    })
