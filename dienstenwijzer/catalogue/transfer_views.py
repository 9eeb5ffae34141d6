"""Import (upload, dry run, confirm: a background job) and export of a zorggebied's catalogue."""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import db
from ..guards import region_view
from ..models import ImportJob, Region
from ..paging import paginate
from ..scope import import_job_of, import_jobs_of
from . import export, import_jobs
from .blueprint import bp
from .forms import ImportForm

ERRORS_PER_PAGE = 100
REFRESH_SECONDS = 5  # the job page reloads itself this often while the job runs
RECENT_JOBS = 10


def _job_page(region: Region, job: ImportJob):
    return redirect(url_for("catalogue.import_job", gebied=region.slug, job_id=job.id))


def _import_form(region: Region, form: ImportForm, status: int = 200):
    jobs = db.session.scalars(
        import_jobs_of(region).order_by(ImportJob.id.desc()).limit(RECENT_JOBS)
    ).all()
    return render_template(
        "catalogue/import.html",
        region=region,
        form=form,
        jobs=jobs,
        status_text=import_jobs.status_text,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@region_view()
def import_csv(region: Region):
    """Upload a CSV: it becomes an import job that is checked in the background."""
    form = ImportForm()
    if not form.validate_on_submit():
        return _import_form(region, form, 400 if form.errors else 200)
    upload = form.file.data
    with upload.stream:  # a large upload is spooled to a temporary file: close it at once
        job = import_jobs.create_job(
            db.session, region, current_user, upload.filename or "bestand.csv", upload.stream
        )
    db.session.commit()
    return _job_page(region, job)


@bp.get("/import/<int:job_id>")
@region_view()
def import_job(region: Region, job_id: int):
    """An import job's progress, its errors by line, or what it would change."""
    job = import_job_of(region, job_id)
    errors = paginate(import_jobs.job_errors(job), ERRORS_PER_PAGE)
    return render_template(
        "catalogue/import_job.html",
        auto_refresh=request.args.get("verversen") != "nee",
        refresh_seconds=REFRESH_SECONDS,
        region=region,
        job=job,
        errors=errors,
        status_text=import_jobs.status_text(job),
    )


@bp.post("/import/<int:job_id>/bevestigen")
@region_view()
def confirm_import(region: Region, job_id: int):
    """Confirm a checked web import: the worker then writes it."""
    job = import_job_of(region, job_id)
    if import_jobs.confirm_job(db.session, job, current_user):
        db.session.commit()
    else:
        db.session.rollback()  # end the transaction the refused UPDATE began
        flash("Deze import kan niet (meer) bevestigd worden: bekijk hieronder hoe ver ze staat.")
    return _job_page(region, job)


@bp.post("/import/<int:job_id>/annuleren")
@region_view()
def cancel_import(region: Region, job_id: int):
    """Cancel a web import that has not started writing; its file is deleted."""
    job = import_job_of(region, job_id)
    if import_jobs.cancel_job(db.session, job):
        db.session.commit()
        flash("De import is geannuleerd; het bestand is verwijderd.")
    else:
        db.session.rollback()
        flash("Deze import kan niet meer geannuleerd worden.")
    return _job_page(region, job)


@bp.get("/export.csv")
@region_view()
def export_csv(region: Region):
    """Download the zorggebied's catalogue as a CSV the import reads back."""
    body = export.export_csv(db.session, region)
    filename = f"dienstenwijzer-{region.slug}-{dt.date.today().isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
