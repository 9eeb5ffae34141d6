"""Werkwinkel pages under /<gebied>/werkwinkel/: eligibility check, vacancies, referrals, follow-up.

Consulenten and regisseurs of the zorggebied and admins may use them (scope.region_view with
manage=False); every query starts from scope's vacancies_of / referrals_of. Every read of a
referral is recorded (referrals.record_access). Views are thin: form, service function, commit
once, redirect or render.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from .. import audit_display
from ..db import db
from ..guards import region_view
from ..models import Provider, Referral, Region, Vacancy, VacancyChange
from ..models.catalogue import STATUS_ACTIVE
from ..models.jobs import INSTRUMENTS, REFERRAL_STATUSES, VACANCY_STATUSES
from ..paging import paginate
from ..places import app_places
from ..scope import providers_of, referral_of, vacancy_of
from . import eligibility, eligibility_rules, followup, provider_link, referrals, vacancies
from .forms import AppointmentForm, ProfileForm, ReferralForm, VacancyForm, WerkwinkelContactForm

bp = Blueprint("jobs", __name__, url_prefix="/<gebied>/werkwinkel")

PER_PAGE = 25


def _actor() -> tuple[int | None, str]:
    return current_user.id, current_user.email


def _private(response) -> Response:
    """Pages about job seekers are not cached by browsers or proxies."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    return response


# -- eligibility check --------------------------------------------------------------------------


@bp.route("/", methods=["GET", "POST"])
@region_view(manage=False)
def check(region: Region):
    """A consulent checks a job seeker's eligibility and sees the matching vacancies."""
    form = ProfileForm()
    judgements = matches = None
    if request.method == "POST" and form.validate():
        places = app_places()
        origin = None
        if form.postcode.data:
            origin = places.coordinates(form.postcode.data)
            if origin is None:
                form.postcode.errors = [
                    *form.postcode.errors,
                    f"Postcode {form.postcode.data} bestaat niet.",
                ]
        if not form.postcode.errors:
            profile = eligibility.Profile(
                age=form.age.data,
                diploma=form.diploma.data,
                months_job_seeker=form.months_job_seeker.data,
                registered_job_seeker=form.registered_job_seeker.data,
                social_assistance=form.social_assistance.data,
                work_disability=form.work_disability.data,
                part_time_learner=form.part_time_learner.data,
            )
            judgements = eligibility.check(db.session, profile)
            matches = eligibility.matching_vacancies(
                db.session, region, judgements, places, origin, current_app.config["SECRET_KEY"]
            )
    status = 400 if form.errors else 200
    cited, set_number = eligibility_rules.cited_rule_sets(judgements or [])
    return _private(
        (
            render_template(
                "jobs/check.html",
                region=region,
                form=form,
                judgements=judgements,
                matches=matches,
                with_postcode=bool(form.postcode.data),
                rule_sets=cited,
                set_number=set_number,
            ),
            status,
        )
    )


# -- vacancies ----------------------------------------------------------------------------------


def _filters() -> dict:
    args = request.args
    status = args.get("status", "open")
    return {
        "text": args.get("q", "")[:200],
        "instrument": args.get("instrument", "") if args.get("instrument") in INSTRUMENTS else "",
        "nis": args.get("gemeente", "")[:5],
        "status": status if status in VACANCY_STATUSES or status == "alle" else "open",
    }


@bp.get("/vacatures")
@region_view(manage=False)
def vacancy_list(region: Region):
    """The vacancies of the zorggebied, filtered."""
    filters = _filters()
    query = vacancies.vacancies_query(
        region,
        status=None if filters["status"] == "alle" else filters["status"],
        text=filters["text"],
        instrument=filters["instrument"],
        nis=filters["nis"],
    )
    page = paginate(query, PER_PAGE)
    ids = [v.id for v in page.items]
    counts = (
        dict(
            db.session.execute(
                select(Referral.vacancy_id, func.count())
                .where(Referral.vacancy_id.in_(ids))
                .group_by(Referral.vacancy_id)
            ).all()
        )
        if ids
        else {}
    )
    return render_template(
        "jobs/vacancies.html",
        region=region,
        page=page,
        filters=filters,
        counts=counts,
        instruments=INSTRUMENTS,
        statuses=VACANCY_STATUSES,
    )


def _vacancy_form(region: Region, vacancy: Vacancy | None = None) -> VacancyForm:
    form = VacancyForm(obj=vacancy)
    providers = db.session.scalars(
        providers_of(region).where(Provider.status == STATUS_ACTIVE).order_by(Provider.name)
    ).all()
    if vacancy is not None and vacancy.provider not in providers:
        providers = [vacancy.provider, *providers]
    form.provider_id.choices = [SelectChoice(0, "— kies een aanbieder —")] + [
        SelectChoice(p.id, p.name) for p in providers
    ]
    form.municipality.choices = [SelectChoice("", "— kies een gemeente —")] + [
        SelectChoice(m.nis_code, m.name) for m in region.municipalities
    ]
    if vacancy is not None and not form.is_submitted():
        form.municipality.data = vacancy.municipality_nis
    return form


def _save_vacancy(
    region: Region, form: VacancyForm, vacancy: Vacancy | None = None
) -> Vacancy | None:
    if not form.validate():
        return None
    provider = db.session.scalar(providers_of(region).where(Provider.id == form.provider_id.data))
    if provider is None:
        form.provider_id.errors = [
            *form.provider_id.errors,
            "Kies een aanbieder van deze dienstenwijzer.",
        ]
        return None
    data = vacancies.VacancyData(
        provider=provider,
        title=form.title.data.strip(),
        description=form.description.data.strip(),
        instrument=form.instrument.data,
        hours_per_week=form.hours_per_week.data,
        municipality_nis=form.municipality.data,
        start_date=form.start_date.data,
        places=form.places.data,
        status=form.status.data,
    )
    saved = vacancies.save_vacancy(db.session, region, vacancy, data, _actor())
    db.session.commit()
    return saved


@bp.route("/vacatures/nieuw", methods=["GET", "POST"])
@region_view(manage=False)
def new_vacancy(region: Region):
    """Add a vacancy."""
    form = _vacancy_form(region)
    if form.is_submitted():
        saved = _save_vacancy(region, form)
        if saved is not None:
            flash(
                f"De vacature “{saved.title}” is bewaard."
                + (" Ze staat meteen op de site." if saved.status == "open" else "")
            )
            return redirect(url_for("jobs.edit_vacancy", gebied=region.slug, vacancy_id=saved.id))
    return render_template("jobs/vacancy_form.html", region=region, form=form, vacancy=None), (
        400 if form.errors else 200
    )


@bp.route("/vacatures/<int:vacancy_id>", methods=["GET", "POST"])
@region_view(manage=False)
def edit_vacancy(region: Region, vacancy_id: int):
    """Show and save a vacancy's form."""
    vacancy = vacancy_of(region, vacancy_id)
    form = _vacancy_form(region, vacancy)
    if form.is_submitted():
        saved = _save_vacancy(region, form, vacancy)
        if saved is not None:
            flash("Bewaard.")
            return redirect(url_for("jobs.edit_vacancy", gebied=region.slug, vacancy_id=vacancy.id))
    linked = list(vacancy.referrals)
    for referral in linked:  # the list shows references: each is a read
        referrals.record_access(db.session, referral, _actor(), "lijst")
    history = audit_display.describe_vacancy_changes(
        db.session,
        db.session.scalars(
            select(VacancyChange)
            .where(VacancyChange.vacancy_id == vacancy.id)
            .order_by(VacancyChange.id.desc())
            .limit(20)
        ),
    )
    db.session.commit()
    return _private(
        (
            render_template(
                "jobs/vacancy_form.html",
                region=region,
                form=form,
                vacancy=vacancy,
                linked=linked,
                history=history,
                can_delete=vacancies.can_delete(db.session, vacancy),
            ),
            400 if form.errors else 200,
        )
    )


@bp.route("/vacatures/<int:vacancy_id>/verwijderen", methods=["GET", "POST"])
@region_view(manage=False)
def delete_vacancy(region: Region, vacancy_id: int):
    """Confirm, then delete a vacancy that has no referrals."""
    vacancy = vacancy_of(region, vacancy_id)
    if not vacancies.can_delete(db.session, vacancy):
        flash(
            "Naar deze vacature is al iemand doorverwezen: verwijderen kan niet meer. Zet de status op “gesloten”."
        )
        return redirect(url_for("jobs.edit_vacancy", gebied=region.slug, vacancy_id=vacancy.id))
    if request.method == "POST":
        title = vacancy.title
        vacancies.delete_vacancy(db.session, vacancy, _actor())
        db.session.commit()
        flash(f"De vacature “{title}” is verwijderd.")
        return redirect(url_for("jobs.vacancy_list", gebied=region.slug))
    return render_template("jobs/confirm_delete.html", region=region, vacancy=vacancy)


# -- referrals ----------------------------------------------------------------------------------


@bp.post("/doorverwijzingen/nieuw")
@region_view(manage=False)
def new_referral(region: Region):
    """Refer a checked job seeker to a vacancy they are eligible for."""
    form = ReferralForm()
    try:
        vacancy_id, instrument, rule = eligibility.read_token(
            current_app.config["SECRET_KEY"], form.token.data or ""
        )
    except eligibility.TokenProblem as exc:
        return _private(
            (
                render_template(
                    "jobs/problem.html",
                    region=region,
                    title="Doorverwijzen lukt niet",
                    message=str(exc),
                ),
                400,
            )
        )
    vacancy = vacancy_of(region, vacancy_id)
    problem = None
    if vacancy.instrument != instrument:
        problem = "Het instrument van deze vacature is intussen veranderd. Doe de controle opnieuw."
    elif vacancy.status != "open":
        problem = "Deze vacature is niet meer open."
    if problem:
        return _private(
            (
                render_template(
                    "jobs/problem.html",
                    region=region,
                    title="Doorverwijzen lukt niet",
                    message=problem,
                ),
                400,
            )
        )
    reason = eligibility_rules.rule_reason(db.session, rule)
    if "reference" not in request.form:  # first step: coming from the check's results
        form = ReferralForm(formdata=None, token=form.token.data)
    elif form.validate():
        referral = referrals.create_referral(
            db.session,
            region,
            vacancy,
            form.reference.data,
            rule,
            _actor(),
            appointment_at=form.appointment_at.data,
            appointment_with=(form.appointment_with.data or "").strip(),
        )
        db.session.commit()
        flash(
            f"Doorverwezen onder referentie {referral.reference}. Druk de brief af voor de werkzoekende."
        )
        return redirect(
            url_for("jobs.referral_detail", gebied=region.slug, referral_id=referral.id)
        )
    return _private(
        (
            render_template(
                "jobs/referral_form.html",
                region=region,
                form=form,
                vacancy=vacancy,
                rule=rule,
                reason=reason,
            ),
            400 if form.errors else 200,
        )
    )


@bp.get("/doorverwijzingen")
@region_view(manage=False)
def referral_list(region: Region):
    """The werkwinkel's referrals, running or ended, searchable by reference."""
    state = request.args.get("toestand", "lopend")
    state = state if state in referrals.LIST_STATES else "lopend"
    text = request.args.get("q", "")[:40].strip()
    page = paginate(referrals.listed(region, state, text), PER_PAGE)
    for referral in page.items:
        referrals.record_access(db.session, referral, _actor(), "lijst")
    db.session.commit()
    return _private(
        render_template(
            "jobs/referrals.html",
            region=region,
            page=page,
            state=state,
            text=text,
            states=referrals.LIST_STATES,
            recent_days=referrals.RECENTLY_CLOSED_DAYS,
        )
    )


def _detail(
    region: Region,
    referral: Referral,
    *,
    status_error: str | None = None,
    link: str | None = None,
    appointment_form: AppointmentForm | None = None,
    code: int = 200,
    action: str = "bekeken",
):
    referrals.record_access(db.session, referral, _actor(), action)
    db.session.commit()
    form = appointment_form or AppointmentForm(obj=referral)
    reason = None
    if referral.rule_id:
        reason = eligibility_rules.rule_reason(
            db.session,
            eligibility_rules.RuleRef(
                referral.rule_set_key, referral.rule_set_version, referral.rule_id
            ),
        )
    return _private(
        (
            render_template(
                "jobs/referral.html",
                region=region,
                referral=referral,
                reason=reason,
                status_error=status_error,
                next_statuses=referrals.next_statuses(referral),
                statuses=REFERRAL_STATUSES,
                provider_link=link,
                appointment_form=form,
                accesses=referrals.accesses(db.session, referral)[:20],
                link_days=current_app.config["PROVIDER_LINK_DAYS"],
            ),
            code,
        )
    )


@bp.get("/doorverwijzingen/<int:referral_id>")
@region_view(manage=False)
def referral_detail(region: Region, referral_id: int):
    """A referral: its steps, the provider's link and who looked at it."""
    return _detail(region, referral_of(region, referral_id))


@bp.post("/doorverwijzingen/<int:referral_id>/status")
@region_view(manage=False)
def referral_status(region: Region, referral_id: int):
    """Record the next step of a referral."""
    referral = referral_of(region, referral_id)
    status = request.form.get("status", "")
    if not status:
        return _detail(region, referral, status_error="Kies de volgende stap.", code=400)
    try:
        referrals.advance(db.session, referral, status, _actor())
    except referrals.ReferralError as exc:
        db.session.rollback()
        return _detail(region, referral, status_error=str(exc), code=400)
    db.session.commit()
    flash(f"Status bewaard: {REFERRAL_STATUSES[status].lower()}.")
    return redirect(url_for("jobs.referral_detail", gebied=region.slug, referral_id=referral.id))


@bp.post("/doorverwijzingen/<int:referral_id>/afspraak")
@region_view(manage=False)
def referral_appointment(region: Region, referral_id: int):
    """Record the appointment of a referral."""
    referral = referral_of(region, referral_id)
    form = AppointmentForm()
    if not form.validate():
        return _detail(region, referral, appointment_form=form, code=400)
    try:
        referrals.set_appointment(
            db.session,
            referral,
            form.appointment_at.data,
            (form.appointment_with.data or "").strip(),
        )
    except referrals.ReferralError as exc:
        return _detail(region, referral, status_error=str(exc), code=400)
    db.session.commit()
    flash("Afspraak bewaard.")
    return redirect(url_for("jobs.referral_detail", gebied=region.slug, referral_id=referral.id))


@bp.post("/doorverwijzingen/<int:referral_id>/link")
@region_view(manage=False)
def referral_link(region: Region, referral_id: int):
    """Make a new link for the provider to report the referral's outcome."""
    referral = referral_of(region, referral_id)
    try:
        token = provider_link.issue(db.session, referral, current_app.config["SECRET_KEY"])
    except referrals.ReferralError as exc:
        return _detail(region, referral, status_error=str(exc), code=400)
    link = url_for("jobs_public.provider_outcome", gebied=region.slug, token=token, _external=True)
    # Shown once on this page, never put in a flash message (that would go into the session cookie).
    return _detail(region, referral, link=link, action="link")


@bp.get("/doorverwijzingen/<int:referral_id>/brief")
@region_view(manage=False)
def referral_letter(region: Region, referral_id: int):
    """The referral letter for the job seeker, to print."""
    referral = referral_of(region, referral_id)
    if referral.purged_at is not None:
        abort(404)
    referrals.record_access(db.session, referral, _actor(), "brief")
    db.session.commit()
    return _private(render_template("jobs/letter.html", region=region, referral=referral))


@bp.route("/instellingen", methods=["GET", "POST"])
@region_view(manage=False)
def werkwinkel_settings(region: Region):
    """The werkwinkel's own contact, printed on every referral letter of this zorggebied."""
    form = WerkwinkelContactForm(data={"contact": region.werkwinkel_contact or ""})
    if form.validate_on_submit():
        region.werkwinkel_contact = form.contact.data.strip()
        db.session.commit()
        flash("Het contact van de werkwinkel is bewaard. Het staat nu op elke brief.")
        return redirect(url_for("jobs.werkwinkel_settings", gebied=region.slug))
    return render_template("jobs/settings.html", region=region, form=form), (
        400 if form.errors else 200
    )


# -- follow-up ----------------------------------------------------------------------------------


@bp.get("/opvolging")
@region_view(manage=False)
def followup_page(region: Region):
    """Referrals waiting too long for an answer, and the follow-up figures."""
    days = int(current_app.config["REFERRAL_WAITING_DAYS"])
    waiting = followup.waiting_referrals(db.session, region, days)
    shown = waiting[:PER_PAGE]
    for referral in shown:
        referrals.record_access(db.session, referral, _actor(), "lijst")
    db.session.commit()
    figures = [(name, followup.series(db.session, region, name, days)) for name in followup.FIGURES]
    return _private(
        render_template(
            "jobs/followup.html",
            region=region,
            figures=figures,
            waiting=shown,
            waiting_total=len(waiting),
            days=days,
        )
    )


@bp.get("/opvolging/<name>.csv")
@region_view(manage=False)
def followup_csv(region: Region, name: str):
    """One follow-up figure of the werkwinkel as a CSV."""
    if name not in followup.FIGURES:
        abort(404)
    series = followup.series(
        db.session, region, name, int(current_app.config["REFERRAL_WAITING_DAYS"])
    )
    return Response(
        series.to_csv(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename=opvolging-{region.slug}-{name}.csv",
        },
    )
