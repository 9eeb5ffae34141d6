"""The regisseur's inbox of residents' reports."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db
from ..guards import region_view
from ..models import Region, Report
from ..paging import paginate
from ..scope import report_of, reports_of
from .blueprint import bp
from .reports import handle_report


@bp.get("/meldingen")
@region_view()
def reports(region: Region):
    """Residents' reports about services, open or handled."""
    handled = request.args.get("afgehandeld") == "1"
    query = reports_of(region).where(
        Report.handled_at.isnot(None) if handled else Report.handled_at.is_(None)
    )
    query = query.order_by(Report.created_at.desc())
    page = paginate(query, 25)
    return render_template("catalogue/reports.html", region=region, page=page, handled=handled)


@bp.post("/meldingen/<int:report_id>/afgehandeld")
@region_view()
def handle(region: Region, report_id: int):
    """Mark a resident's report about a service as handled, with an optional note."""
    report = report_of(region, report_id)
    handle_report(db.session, report, current_user, request.form.get("note", "")[:2000])
    db.session.commit()
    flash("Melding afgehandeld.", "info")
    return redirect(url_for("catalogue.reports", gebied=region.slug))
