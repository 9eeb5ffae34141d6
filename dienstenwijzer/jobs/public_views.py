"""Residents' job pages (/<gebied>/jobs) and the provider's outcome link (/<gebied>/uitkomst/...)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, make_response, render_template, request

from ..db import db
from ..models import Vacancy
from ..models.catalogue import STATUS_ACTIVE
from ..models.jobs import INSTRUMENTS, REFERRAL_STATUSES, REFERRED, VACANCY_OPEN
from ..paging import paginate
from ..scope import vacancies_of
from ..web import region_or_404
from . import provider_link, referrals, vacancies

bp = Blueprint("jobs_public", __name__)

PER_PAGE = 10


@bp.app_template_global()
def open_vacancies(provider) -> list:
    """For the provider's service page: its open vacancies."""
    return vacancies.open_vacancies_of_provider(db.session, provider)


@bp.get("/<gebied>/jobs")
def job_list(gebied: str):
    """Residents' list of open vacancies in the zorggebied."""
    region = region_or_404(gebied)
    args = request.args
    municipalities = vacancies.job_municipalities(db.session, region)
    filters = {
        "text": args.get("q", "")[:200],
        "instrument": args.get("instrument", "") if args.get("instrument") in INSTRUMENTS else "",
        "nis": args.get("gemeente", "")
        if args.get("gemeente") in {m.nis_code for m in municipalities}
        else "",
        "hours": args.get("uren", "") if args.get("uren") in vacancies.HOURS else "",
    }
    query = vacancies.vacancies_query(
        region,
        status=VACANCY_OPEN,
        public=True,
        text=filters["text"],
        instrument=filters["instrument"],
        nis=filters["nis"],
        hours=filters["hours"],
    )
    page = paginate(query, PER_PAGE)
    return render_template(
        "jobs/public_list.html",
        region=region,
        page=page,
        filters=filters,
        instruments=INSTRUMENTS,
        hours=vacancies.HOURS,
        municipalities=municipalities,
        filtered=any(filters.values()),
    )


@bp.get("/<gebied>/jobs/<int:vacancy_id>")
def job_page(gebied: str, vacancy_id: int):
    """Residents' page of one open vacancy."""
    region = region_or_404(gebied)
    vacancy = db.session.scalar(vacancies_of(region).where(Vacancy.id == vacancy_id))
    if (
        vacancy is None
        or vacancy.status != VACANCY_OPEN
        or vacancy.provider.status != STATUS_ACTIVE
    ):
        abort(404, description="Deze vacature bestaat niet (meer) of is al ingevuld.")
    return render_template("jobs/public_job.html", region=region, vacancy=vacancy)


def _no_store(response):
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/<gebied>/uitkomst/<token>", methods=["GET", "POST"])
def provider_outcome(gebied: str, token: str):
    """The provider reports each step of one referral, until the final outcome; no account."""
    region = region_or_404(gebied)
    try:
        referral = provider_link.resolve(
            db.session,
            current_app.config["SECRET_KEY"],
            token,
            int(current_app.config["PROVIDER_LINK_DAYS"]),
        )
        if referral.region_id != region.id:
            raise provider_link.LinkProblem(
                "ongeldig", "Deze link is niet geldig. Kijk of u de hele link hebt gekopieerd."
            )
    except provider_link.LinkProblem as problem:
        code = 400 if problem.kind == "ongeldig" else 410
        return _no_store(
            (render_template("jobs/outcome_problem.html", region=region, problem=problem), code)
        )
    choices = referrals.reachable(referral.status)
    error = None
    if request.method == "GET":  # every read of a referral is recorded, also the provider's
        referrals.record_access(db.session, referral, (None, referrals.PROVIDER_ACTOR), "link")
        db.session.commit()
    if request.method == "POST":  # CSRFProtect has checked the token
        status = request.form.get("status", "")
        if status in REFERRAL_STATUSES and status != REFERRED and status not in choices:
            # Chosen on a page opened before another step was reported (or sent twice, by a
            # double click or a second tab): no longer possible, and not an error of the form.
            # "doorverwezen" is never offered, so sending it is an error of the form.
            now = referral.status_label.lower()
            if status == referral.status:
                message = (
                    f"Deze stap is al doorgegeven (nu: {now}). "
                    f"Open de link opnieuw om een volgende stap door te geven."
                )
            else:
                message = (
                    f"Deze doorverwijzing is intussen bijgewerkt (nu: {now}). "
                    f"Open de link opnieuw om verder te gaan."
                )
            problem = provider_link.LinkProblem("gewijzigd", message)
            page = render_template("jobs/outcome_problem.html", region=region, problem=problem)
            return _no_store((page, 409))
        if status not in choices:
            error = "Kies wat er met deze kandidaat gebeurd is."
        else:
            try:
                provider_link.record_outcome(db.session, referral, status)
            except provider_link.LinkProblem as problem:  # another submit spent the link first
                db.session.rollback()
                page = render_template("jobs/outcome_problem.html", region=region, problem=problem)
                return _no_store((page, 410))
            except referrals.ReferralError as exc:  # the werkwinkel moved the referral on meanwhile
                db.session.rollback()
                problem = provider_link.LinkProblem("gewijzigd", str(exc))
                page = render_template("jobs/outcome_problem.html", region=region, problem=problem)
                return _no_store((page, 409))
            db.session.commit()
            return _no_store(
                render_template("jobs/outcome_thanks.html", region=region, referral=referral)
            )
    return _no_store(
        (
            render_template(
                "jobs/outcome.html",
                region=region,
                referral=referral,
                choices=choices,
                statuses=REFERRAL_STATUSES,
                error=error,
            ),
            400 if error else 200,
        )
    )
