"""Needs and niches: the residents' form, the desk, the niche board, monitoring."""

from __future__ import annotations

import datetime as dt

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from .. import search
from ..accounts.throttle import client_hash
from ..clock import utcnow
from ..db import db
from ..freshness import hide_before, stale_before
from ..guards import admin_required, region_view
from ..models import Category, FormSubmission, Niche, Region, Service
from ..models.catalogue import STATUS_ACTIVE
from ..models.demand import EVENT_MERGED, NICHE_STATUSES
from ..paging import keep_in_range, page_number
from ..scope import niche_alert_of, niche_of, niches_of, services_of
from ..web import region_or_404
from . import monitoring, niches, periods, population
from .forms import MergeForm, NeedForm, NicheForm, PeriodForm, ResidentNeedForm
from .privacy import client_key
from .signals import record_desk, record_request

bp = Blueprint("demand", __name__)


def _municipality_choices(region: Region) -> list[SelectChoice]:
    return [SelectChoice("", "— kies —")] + [
        SelectChoice(m.nis_code, m.name) for m in region.municipalities
    ]


# -- residents --------------------------------------------------------------------------------


@bp.route("/<gebied>/vraag", methods=["GET", "POST"])
def resident_need(gebied: str):
    """ "Ik vind niet wat ik zoek": a need in the resident's words; contact only with consent."""
    region = region_or_404(gebied)
    form = ResidentNeedForm()
    form.municipality.choices = _municipality_choices(region)
    if not form.is_submitted() and request.args.get("q"):
        form.need.data = request.args["q"][:500]
    problem = None
    if form.validate_on_submit():
        if form.website.data:  # honeypot: a robot. Thank it, store nothing.
            return render_template("demand/thanks.html", region=region)
        secret = current_app.config["SECRET_KEY"]
        client = client_hash(secret, request.remote_addr)
        since = utcnow() - dt.timedelta(hours=1)
        recent = db.session.scalar(
            select(func.count(FormSubmission.id)).where(
                FormSubmission.client_hash == client, FormSubmission.created_at > since
            )
        )
        if recent >= int(current_app.config["NEED_FORM_LIMIT_PER_HOUR"]):
            problem = "U hebt het afgelopen uur al veel vragen gestuurd. Probeer het later opnieuw, of bel de regisseur."
        else:
            record_request(
                db.session,
                region,
                search.synonyms(region.slug),
                form.need.data,
                municipality_nis=form.municipality.data or None,
                urgency=form.urgency.data or None,
                frequency=form.frequency.data or None,
                contact=form.contact.data,
                consent=form.consent.data,
                retention_days=int(current_app.config["NEED_CONTACT_RETENTION_DAYS"]),
                client_key=client_key(secret, request.remote_addr, dt.date.today()),
            )
            db.session.add(FormSubmission(client_hash=client))
            db.session.commit()
            return render_template("demand/thanks.html", region=region)
    status = 429 if problem else (400 if form.errors else 200)
    return render_template(
        "demand/resident_form.html",
        region=region,
        form=form,
        problem=problem,
        retention_months=int(current_app.config["NEED_CONTACT_RETENTION_DAYS"]) // 30,
    ), status


# -- the desk ---------------------------------------------------------------------------------


@bp.route("/<gebied>/beheer/vragen/nieuw", methods=["GET", "POST"])
@region_view(manage=False)
def desk_need(region: Region):
    """A regisseur or werkwinkel consulent records a need heard at the desk or by phone."""
    form = NeedForm()
    form.municipality.choices = _municipality_choices(region)
    if form.validate_on_submit():
        signal = record_desk(
            db.session,
            region,
            search.synonyms(region.slug),
            form.need.data,
            current_user,
            municipality_nis=form.municipality.data or None,
            urgency=form.urgency.data or None,
            frequency=form.frequency.data or None,
        )
        db.session.commit()
        flash(f"Vraag genoteerd bij de niche “{signal.niche.title}”.", "info")
        return redirect(url_for("demand.desk_need", gebied=region.slug))
    return render_template("demand/desk_form.html", region=region, form=form), (
        400 if form.errors else 200
    )


# -- niches -----------------------------------------------------------------------------------


@bp.get("/<gebied>/beheer/niches")
@region_view()
def board(region: Region):
    """The niches of the zorggebied, with alerts for services that may fill one."""
    status = request.args.get("status", "open")
    # Needs only one client had stay off the board until a second client or staff confirm them.
    query = niches_of(region).where(Niche.confirmed.is_(True))
    if status == "open":
        query = query.where(Niche.status.in_(("nieuw", "onderzocht")))
    elif status in NICHE_STATUSES:
        query = query.where(Niche.status == status)
    rows = niches.figures(db.session, list(db.session.scalars(query)))
    rows.sort(key=lambda f: (-f.count, f.niche.title))
    page_no, per_page = page_number(), 25
    pages = max(1, -(-len(rows) // per_page))
    keep_in_range(page_no, pages)
    return render_template(
        "demand/board.html",
        region=region,
        rows=rows[(page_no - 1) * per_page : page_no * per_page],
        total=len(rows),
        page_no=page_no,
        pages=pages,
        status=status,
        statuses=NICHE_STATUSES,
        alerts=niches.open_alerts(db.session, region.id),
    )


def _niche_form(region: Region, niche: Niche) -> NicheForm:
    form = NicheForm(obj=niche)
    services = db.session.scalars(
        services_of(region).where(Service.status == STATUS_ACTIVE).order_by(Service.name)
    ).all()
    form.service_id.choices = [SelectChoice(0, "— kies een dienst —")] + [
        SelectChoice(s.id, s.name) for s in services
    ]
    if not form.is_submitted():
        form.service_id.data = niche.service_id or 0
    return form


def _merge_form(region: Region, niche: Niche) -> MergeForm:
    form = MergeForm(prefix="merge")
    others = db.session.scalars(
        niches_of(region)
        .where(Niche.id != niche.id, Niche.confirmed.is_(True))
        .order_by(Niche.title)
    ).all()
    form.into.choices = [SelectChoice(0, "— kies een niche —")] + [
        SelectChoice(n.id, n.title) for n in others
    ]
    return form


@bp.route("/<gebied>/beheer/niches/<int:niche_id>", methods=["GET", "POST"])
@region_view()
def niche_detail(region: Region, niche_id: int):
    """A niche's questions and history; save its title, status and note."""
    niche = niche_of(region, niche_id)
    form = _niche_form(region, niche)
    if form.validate_on_submit():
        service = (
            db.session.scalar(services_of(region).where(Service.id == form.service_id.data))
            if form.service_id.data
            else None
        )
        if form.status.data == "ingevuld" and service is None:
            form.service_id.errors.append("Kies de dienst die de niche nu invult.")
        else:
            niches.update_niche(
                db.session,
                niche,
                title=form.title.data,
                status=form.status.data,
                service=service,
                reason=form.reason.data,
            )
            db.session.commit()
            flash("Niche bewaard.", "info")
            return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=niche.id))
    [fig] = niches.figures(db.session, [niche])
    return render_template(
        "demand/niche.html",
        region=region,
        niche=niche,
        fig=fig,
        form=form,
        merge_form=_merge_form(region, niche),
        history=niches.history(db.session, niche),
        **_teach_choices(region, niche),
    ), (400 if form.errors else 200)


def _teach_choices(region: Region, niche: Niche) -> dict:
    """What the "dit bedoelden ze" form on a niche offers (it posts to the teaching area)."""
    if niche.status not in ("nieuw", "onderzocht"):
        return {"teach_term": None}
    return {
        "teach_term": niches.residents_words(niche),
        "teach_categories": db.session.scalars(
            select(Category).order_by(Category.position, Category.label)
        ).all(),
        "teach_services": db.session.scalars(
            services_of(region).where(Service.status == STATUS_ACTIVE).order_by(Service.name)
        ).all(),
    }


def _confirmed() -> bool:
    """Merge and split change many signals: the first POST shows what will happen, the second
    (with bevestigd=ja from that page) does it."""
    return request.form.get("bevestigd") == "ja"


@bp.post("/<gebied>/beheer/niches/<int:niche_id>/samenvoegen")
@region_view()
def merge(region: Region, niche_id: int):
    """Merge a niche into another one of the zorggebied."""
    niche = niche_of(region, niche_id)
    form = _merge_form(region, niche)
    if not form.validate_on_submit() or not form.into.data:
        flash("Kies de niche om mee samen te voegen.", "info")
        return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=niche.id))
    target = niche_of(region, form.into.data)
    if not _confirmed():
        figs = {f.niche.id: f for f in niches.figures(db.session, [niche, target])}
        return render_template(
            "demand/niche_merge_confirm.html",
            region=region,
            niche=niche,
            target=target,
            figs=figs,
            form=form,
        )
    niches.merge(db.session, niche, target, actor=current_user.email)
    db.session.commit()
    flash(
        f"Samengevoegd met “{target.title}”. Ongedaan maken kan hieronder bij Geschiedenis.", "info"
    )
    return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=target.id))


@bp.post("/<gebied>/beheer/niches/<int:niche_id>/splitsen")
@region_view()
def split(region: Region, niche_id: int):
    """Confirm, then split the chosen questions off into a new niche."""
    niche = niche_of(region, niche_id)
    chosen = [int(i) for i in request.form.getlist("signal") if i.isdigit()]
    own = {s.id for s in niche.signals}
    chosen = [i for i in chosen if i in own]
    if not chosen or len(chosen) == len(own):
        flash("Kies een deel van de vragen om af te splitsen (niet geen en niet alle).", "info")
        return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=niche.id))
    title = request.form.get("title", "")[:200]
    if not _confirmed():
        return render_template(
            "demand/niche_split_confirm.html",
            region=region,
            niche=niche,
            title=title,
            signals=[s for s in niche.signals if s.id in chosen],
        )
    new = niches.split(db.session, niche, chosen, title, actor=current_user.email)
    db.session.commit()
    flash(
        ngettext(
            "%(num)d vraag afgesplitst naar “%(title)s”.",
            "%(num)d vragen afgesplitst naar “%(title)s”.",
            len(chosen),
            title=new.title,
        ),
        "info",
    )
    return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=new.id))


@bp.post("/<gebied>/beheer/niches/<int:niche_id>/geschiedenis/<int:event_id>/ongedaan")
@region_view()
def undo(region: Region, niche_id: int, event_id: int):
    """Undo a merge or split of a niche."""
    niche = niche_of(region, niche_id)
    event = next((e for e in niches.history(db.session, niche) if e.id == event_id), None)
    if event is None:
        abort(404)
    try:
        back = niches.undo(db.session, event, actor=current_user.email)
    except niches.UndoRefused as exc:
        db.session.rollback()
        flash(str(exc), "info")
        return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=niche.id))
    db.session.commit()
    flash(
        f"Ongedaan gemaakt: “{event.other_title}” is weer apart."
        if event.kind == EVENT_MERGED
        else "Ongedaan gemaakt: de vragen zijn terug.",
        "info",
    )
    return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=back.id))


@bp.post("/<gebied>/beheer/niches/meldingen/<int:alert_id>/gezien")
@region_view()
def dismiss_alert(region: Region, alert_id: int):
    """Dismiss an alert that a new service may fill a niche."""
    niches.dismiss(db.session, niche_alert_of(region, alert_id))
    db.session.commit()
    return redirect(url_for("demand.board", gebied=region.slug))


# -- monitoring -------------------------------------------------------------------------------


def _period() -> tuple[PeriodForm, periods.Period]:
    """The period picked in the query string; the default one while the picker has an error."""
    form = PeriodForm(request.args, today=dt.date.today())
    if request.args and form.validate():
        return form, form.period()
    if not request.args:
        form.periode.data = periods.DEFAULT
    return form, periods.preset(periods.DEFAULT, dt.date.today())


def _population() -> dict[str, int]:
    return population.inhabitants(current_app.config["FIXTURES_DIR"])


def _region_figures(region: Region, period: periods.Period) -> dict:
    return monitoring.region_figures(
        db.session, region, period, _population(), stale_before(), hide_before()
    )


@bp.get("/<gebied>/beheer/monitoring")
@region_view()
def region_monitoring(region: Region):
    """The zorggebied's monitoring figures over a period."""
    form, period = _period()
    return render_template(
        "demand/monitoring.html",
        region=region,
        form=form,
        period=period,
        figs=_region_figures(region, period),
        comparison=monitoring.comparison(db.session, region, period, _population()),
        unmet=monitoring.unmet_searches(db.session, region, period),
    ), (400 if form.errors else 200)


@bp.get("/<gebied>/beheer/monitoring/<name>.csv")
@region_view()
def region_monitoring_csv(region: Region, name: str):
    """One monitoring figure of the zorggebied as a CSV."""
    _, period = _period()
    figs = _region_figures(region, period)
    if name not in figs:
        abort(404)
    return _csv(figs[name].to_csv(), f"{region.slug}-{name}")


@bp.get("/beheer/monitoring")
@admin_required
def all_monitoring():
    """An admin's monitoring figures for all zorggebieden over a period."""
    form, period = _period()
    series = monitoring.all_regions(
        db.session, period, _population(), stale_before(), hide_before()
    )
    return render_template("demand/monitoring_all.html", series=series, form=form, period=period), (
        400 if form.errors else 200
    )


@bp.get("/beheer/monitoring.csv")
@admin_required
def all_monitoring_csv():
    """The monitoring figures for all zorggebieden as a CSV."""
    _, period = _period()
    series = monitoring.all_regions(
        db.session, period, _population(), stale_before(), hide_before()
    )
    return _csv(series.to_csv(), "alle-zorggebieden")


def _csv(body: str, name: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="monitoring-{name}-{dt.date.today().isoformat()}.csv"'
        },
    )
