"""Back office: the regisseur keeps services and providers of their zorggebied current."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from sqlalchemy import func, select
from wtforms import SelectChoice

from .. import audit_display, search
from ..db import db
from ..demand.niches import alert_matching_niches
from ..freshness import freshness, hide_before, stale_before
from ..guards import region_view
from ..models import Category, Provider, Region, Report
from ..models.catalogue import STATUS_ACTIVE, STATUS_ARCHIVED
from ..paging import paginate
from ..places import cached_places
from ..scope import audit_of, provider_of, providers_of, reports_of, service_of
from ..web import query_id
from . import editing, queries
from .blueprint import bp
from .forms import ProviderForm, ServiceForm

PER_PAGE = 25
FRESHNESS_CHOICES = [
    ("", "Alle"),
    ("te-controleren", "Te controleren"),
    ("verborgen", "Verborgen voor inwoners"),
]
STATUS_CHOICES = [(STATUS_ACTIVE, "Actief"), (STATUS_ARCHIVED, "Gearchiveerd")]


def _places():
    return cached_places(db.session, current_app.config["DATABASE_URL"])


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def commit_and_index() -> None:
    """Commit once, then bring the search index up to date (DESIGN.md invariants 1 and 2)."""
    db.session.commit()
    search.sync(wait=2.0)


def _categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position)))


@bp.get("/")
@region_view()
def dashboard(region: Region):
    """The back office's overview of a zorggebied: counts and what needs doing."""
    figures = {
        "active": _count(queries.staff_services(region)),
        "stale": _count(queries.stale_services(region, stale_before())),
        "hidden": _count(queries.stale_services(region, hide_before())),
        "archived": _count(queries.staff_services(region, status=STATUS_ARCHIVED)),
        "providers": _count(providers_of(region).where(Provider.status == STATUS_ACTIVE)),
        "reports": _count(reports_of(region).where(Report.handled_at.is_(None))),
    }
    return render_template(
        "catalogue/dashboard.html",
        region=region,
        figures=figures,
        served=queries.served_municipalities(db.session, region),
    )


# -- services ---------------------------------------------------------------------------------


@bp.get("/diensten")
@region_view()
def services(region: Region):
    """The services of the zorggebied, filtered by text, category, place and freshness."""
    args = request.args
    filters = {
        "text": args.get("q", "")[:200],
        "category": args.get("categorie", ""),
        "nis": args.get("gemeente", ""),
        "freshness": args.get("versheid", ""),
        "status": args.get("status", STATUS_ACTIVE)
        if args.get("status") in (STATUS_ACTIVE, STATUS_ARCHIVED)
        else STATUS_ACTIVE,
    }
    query = queries.staff_services(
        region, **filters, stale_before=stale_before(), hide_before=hide_before()
    )
    page = paginate(query, PER_PAGE)
    return render_template(
        "catalogue/services.html",
        region=region,
        page=page,
        filters=filters,
        categories=_categories(),
        freshness_choices=FRESHNESS_CHOICES,
        status_choices=STATUS_CHOICES,
        freshness=freshness,
    )


def _service_form(region: Region, service=None) -> ServiceForm:
    form = ServiceForm(obj=service)
    providers = db.session.scalars(
        providers_of(region).where(Provider.status == STATUS_ACTIVE).order_by(Provider.name)
    ).all()
    if service is not None and service.provider not in providers:
        providers = [service.provider, *providers]
    form.provider_id.choices = [SelectChoice(0, "— kies een aanbieder —")] + [
        SelectChoice(p.id, p.name) for p in providers
    ]
    categories = _categories()
    form.categories.choices = [SelectChoice(c.id, c.label) for c in categories if c.parent_id]
    own = {m.nis_code for m in region.municipalities}
    form.served_region.choices = [SelectChoice(m.nis_code, m.name) for m in region.municipalities]
    if service is not None and not form.is_submitted():
        form.categories.data = [c.id for c in service.categories]
        form.served_region.data = [m.nis_code for m in service.municipalities if m.nis_code in own]
        form.served_other.data = "; ".join(
            m.name for m in service.municipalities if m.nis_code not in own
        )
        form.town.data = service.municipality.name if service.municipality else ""
    if service is None and not form.is_submitted() and query_id("aanbieder"):
        # "Dienst toevoegen" on a provider's page: that provider, if it is one of the choices.
        chosen = query_id("aanbieder")
        if any(p.id == chosen for p in providers):
            form.provider_id.data = chosen
    return form


def _save_service(region: Region, form: ServiceForm, service=None):
    categories = {c.id: c for c in _categories()}
    ok, nis, served = form.check_all(_places(), categories)
    provider = db.session.scalar(providers_of(region).where(Provider.id == form.provider_id.data))
    if ok and provider is None:
        form.provider_id.errors.append("Kies de aanbieder.")
        ok = False
    if not ok:
        return None
    data = editing.ServiceData(
        name=form.name.data.strip(),
        provider=provider,
        description=form.description.data.strip(),
        category_ids=form.categories.data,
        served_nis=served,
        **form.address_values(nis),
        dienstencheques=bool(form.dienstencheques.data),
        price=form.price.data or None,
        target_group=form.target_group.data or None,
        opening_hours=form.opening_hours.data or None,
        external_id=form.external_id.data or None,
    )
    is_new = service is None
    saved = editing.save_service(db.session, region, service, data, _places())
    if is_new:
        alert_matching_niches(db.session, [saved])
    commit_and_index()
    return saved


@bp.route("/diensten/nieuw", methods=["GET", "POST"])
@region_view()
def new_service(region: Region):
    """Add a service (for a provider chosen on its page, if any)."""
    form = _service_form(region)
    if form.is_submitted():
        saved = _save_service(region, form)
        if saved is not None:
            flash(f"De dienst “{saved.name}” is toegevoegd en staat meteen op de site.", "info")
            return redirect(
                url_for("catalogue.edit_service", gebied=region.slug, service_id=saved.id)
            )
    return render_template(
        "catalogue/service_form.html",
        region=region,
        form=form,
        service=None,
        categories=_categories(),
    ), (400 if form.errors else 200)


@bp.route("/diensten/<int:service_id>", methods=["GET", "POST"])
@region_view()
def edit_service(region: Region, service_id: int):
    """Show and save a service's form."""
    service = service_of(region, service_id)
    form = _service_form(region, service)
    if form.is_submitted():
        saved = _save_service(region, form, service)
        if saved is not None:
            flash("Bewaard. De wijziging staat meteen op de site.", "info")
            return redirect(
                url_for("catalogue.edit_service", gebied=region.slug, service_id=service.id)
            )
    return render_template(
        "catalogue/service_form.html",
        region=region,
        form=form,
        service=service,
        categories=_categories(),
        freshness=freshness(service.last_checked),
    ), (400 if form.errors else 200)


@bp.get("/diensten/<int:service_id>/voorbeeld")
@region_view()
def preview_service(region: Region, service_id: int):
    """A service as residents would see it, also when archived or hidden."""
    service = service_of(region, service_id)
    return render_template("catalogue/preview.html", region=region, service=service)


@bp.route("/diensten/<int:service_id>/archiveren", methods=["GET", "POST"])
@region_view()
def archive_service(region: Region, service_id: int):
    """Confirm, then archive a service: it leaves the public site."""
    service = service_of(region, service_id)
    if service.status != STATUS_ACTIVE:
        abort(404)
    if request.method == "POST":  # CSRFProtect has checked the token
        editing.archive_service(db.session, service)
        commit_and_index()
        flash(
            f"“{service.name}” is gearchiveerd en staat niet meer op de site. U kunt de dienst terugzetten.",
            "info",
        )
        return redirect(url_for("catalogue.services", gebied=region.slug))
    return render_template(
        "catalogue/confirm_archive.html", region=region, obj=service, kind="dienst", services=[]
    )


@bp.post("/diensten/<int:service_id>/herstellen")
@region_view()
def restore_service(region: Region, service_id: int):
    """Put an archived service back on the public site."""
    service = service_of(region, service_id)
    editing.restore_service(db.session, service)
    commit_and_index()
    flash(f"“{service.name}” is teruggezet en staat weer op de site.", "info")
    return redirect(url_for("catalogue.edit_service", gebied=region.slug, service_id=service.id))


@bp.post("/diensten/<int:service_id>/gecontroleerd")
@region_view()
def check_service(region: Region, service_id: int):
    """Mark a service as checked today (from its page or the to-check list)."""
    service = service_of(region, service_id)
    editing.mark_checked(db.session, service)
    commit_and_index()
    flash(f"“{service.name}” is gemarkeerd als gecontroleerd.", "info")
    target = request.form.get("next")
    if target == "stale":
        return redirect(url_for("catalogue.stale", gebied=region.slug))
    return redirect(url_for("catalogue.edit_service", gebied=region.slug, service_id=service.id))


@bp.get("/te-controleren")
@region_view()
def stale(region: Region):
    """The services due for a check, oldest check first."""
    query = queries.stale_services(region, stale_before())
    page = paginate(query, PER_PAGE)
    return render_template(
        "catalogue/stale.html",
        region=region,
        page=page,
        freshness=freshness,
        stale_days=current_app.config["STALE_AFTER_DAYS"],
        hide_days=current_app.config["HIDE_AFTER_DAYS"],
    )


# -- providers --------------------------------------------------------------------------------


@bp.get("/aanbieders")
@region_view()
def providers(region: Region):
    """The providers of the zorggebied, active or archived, searchable by name."""
    status = request.args.get("status", STATUS_ACTIVE)
    status = status if status in (STATUS_ACTIVE, STATUS_ARCHIVED) else STATUS_ACTIVE
    query = providers_of(region).where(Provider.status == status).order_by(Provider.name)
    if request.args.get("q"):
        query = query.where(Provider.name.ilike(f"%{request.args['q'][:200]}%"))
    page = paginate(query, PER_PAGE)
    return render_template(
        "catalogue/providers.html",
        region=region,
        page=page,
        status=status,
        status_choices=STATUS_CHOICES,
    )


def _provider_form(provider=None) -> ProviderForm:
    form = ProviderForm(obj=provider)
    if provider is not None and not form.is_submitted():
        form.town.data = provider.municipality.name if provider.municipality else ""
    return form


def _save_provider(region: Region, form: ProviderForm, provider=None):
    ok = form.validate()
    nis = form.check_address(_places())
    name = (form.name.data or "").strip()
    clash = db.session.scalar(
        providers_of(region).where(
            Provider.name == name, Provider.id != (provider.id if provider else 0)
        )
    )
    if clash:
        form.name.errors = [
            *form.name.errors,
            "Er is al een aanbieder met deze naam in deze dienstenwijzer.",
        ]
    if not ok or any(f.errors for f in form):
        return None
    data = editing.ProviderData(name=name, **form.address_values(nis))
    saved = editing.save_provider(db.session, region, provider, data)
    commit_and_index()
    return saved


@bp.route("/aanbieders/nieuw", methods=["GET", "POST"])
@region_view()
def new_provider(region: Region):
    """Add a provider."""
    form = _provider_form()
    if form.is_submitted():
        saved = _save_provider(region, form)
        if saved is not None:
            flash(f"Aanbieder “{saved.name}” toegevoegd. Voeg nu zijn diensten toe.", "info")
            return redirect(
                url_for("catalogue.edit_provider", gebied=region.slug, provider_id=saved.id)
            )
    return render_template(
        "catalogue/provider_form.html", region=region, form=form, provider=None
    ), (400 if form.errors else 200)


@bp.route("/aanbieders/<int:provider_id>", methods=["GET", "POST"])
@region_view()
def edit_provider(region: Region, provider_id: int):
    """Show and save a provider's form."""
    provider = provider_of(region, provider_id)
    form = _provider_form(provider)
    if form.is_submitted():
        saved = _save_provider(region, form, provider)
        if saved is not None:
            flash("Aanbieder bewaard.", "info")
            return redirect(
                url_for("catalogue.edit_provider", gebied=region.slug, provider_id=provider.id)
            )
    return render_template(
        "catalogue/provider_form.html", region=region, form=form, provider=provider
    ), (400 if form.errors else 200)


@bp.route("/aanbieders/<int:provider_id>/archiveren", methods=["GET", "POST"])
@region_view()
def archive_provider(region: Region, provider_id: int):
    """Confirm, then archive a provider and its active services."""
    provider = provider_of(region, provider_id)
    if provider.status != STATUS_ACTIVE:
        abort(404)
    active = [s for s in provider.services if s.status == STATUS_ACTIVE]
    if request.method == "POST":
        editing.archive_provider(db.session, provider)
        commit_and_index()
        flash(
            ngettext(
                "Aanbieder “%(name)s” en %(num)d dienst zijn gearchiveerd.",
                "Aanbieder “%(name)s” en %(num)d diensten zijn gearchiveerd.",
                len(active),
                name=provider.name,
            ),
            "info",
        )
        return redirect(url_for("catalogue.providers", gebied=region.slug))
    return render_template(
        "catalogue/confirm_archive.html",
        region=region,
        obj=provider,
        kind="aanbieder",
        services=active,
    )


@bp.post("/aanbieders/<int:provider_id>/herstellen")
@region_view()
def restore_provider(region: Region, provider_id: int):
    """Put an archived provider back (its services come back one by one)."""
    provider = provider_of(region, provider_id)
    editing.restore_provider(db.session, provider)
    commit_and_index()
    flash(f"Aanbieder “{provider.name}” is teruggezet. Zet zijn diensten apart terug.", "info")
    return redirect(url_for("catalogue.edit_provider", gebied=region.slug, provider_id=provider.id))


# -- audit trail ------------------------------------------------------------------------------


@bp.get("/geschiedenis")
@region_view()
def history(region: Region):
    """The audit trail of the zorggebied, optionally of one service or provider."""
    from ..models import AuditEntry

    query = audit_of(region).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    entity = request.args.get("soort")
    if entity in ("service", "provider"):
        query = query.where(AuditEntry.entity == entity)
        if query_id("id"):
            query = query.where(AuditEntry.entity_id == query_id("id"))
    page = paginate(query, 50)
    entries = audit_display.describe(db.session, page.items)
    return render_template("catalogue/history.html", region=region, page=page, entries=entries)
