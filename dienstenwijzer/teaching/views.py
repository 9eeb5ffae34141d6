"""Back office: the search words a regisseur taught for their zorggebied, and "dit bedoelden ze"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from .. import search
from ..db import db
from ..guards import region_view
from ..models import Category, CategorySynonym, Niche, Region, RegionSynonym, Service
from ..models.catalogue import STATUS_ACTIVE
from ..paging import paginate
from ..scope import niche_of, services_of, synonym_of, synonyms_of
from ..search.analysis import words as split_words
from . import words
from .forms import CATEGORY, SERVICE, WordForm

bp = Blueprint("teaching", __name__)

PER_PAGE = 25
STANDARD_SHOWN = 25


def _categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.label)))


def _services(region: Region) -> list[Service]:
    return list(
        db.session.scalars(
            services_of(region).where(Service.status == STATUS_ACTIVE).order_by(Service.name)
        )
    )


def _form(region: Region, synonym: RegionSynonym | None = None) -> WordForm:
    form = WordForm()
    form.target.choices = {
        "Een categorie": [("", "— kies —")]
        + [
            (f"{CATEGORY}:{c.id}", c.label if c.parent_id is None else f"  {c.label}")
            for c in _categories()
        ],
        "Eén dienst van dit zorggebied": [(f"{SERVICE}:{s.id}", s.name) for s in _services(region)],
    }
    if not form.is_submitted():
        if synonym is not None:
            form.term.data = synonym.term
            form.target.data = (
                f"{CATEGORY}:{synonym.category_id}"
                if synonym.category_id
                else f"{SERVICE}:{synonym.service_id}"
            )
            form.all_regions.data = synonym.region_id is None
        else:
            form.term.data = request.args.get("term", "")[:120]
            form.niche.data = request.args.get("niche", "")
    return form


def _target(region: Region, form: WordForm) -> words.Target | None:
    parts = form.target_parts()
    if parts is not None:
        kind, value = parts
        if kind == CATEGORY:
            category = db.session.get(Category, value)
            if category is not None:
                return words.Target(category=category)
        elif value.isdigit():
            service = db.session.scalar(
                services_of(region).where(Service.id == int(value), Service.status == STATUS_ACTIVE)
            )
            if service is not None:
                return words.Target(service=service)
    if not form.target.errors:
        form.target.errors = [*form.target.errors, "Kies een categorie of een dienst uit de lijst."]
    return None


def _niche(region: Region, form: WordForm) -> Niche | None:
    raw = (form.niche.data or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(404)
    return niche_of(region, int(raw))


def _may_change(synonym: RegionSynonym) -> None:
    if synonym.region_id is None and not current_user.is_admin:
        abort(403)  # taught to every zorggebied by an admin: only admins change it


def _commit_and_apply() -> None:
    """Commit once; then this process uses the words at once, the others within a poll."""
    db.session.commit()
    search.synonyms_changed()
    search.sync(wait=2.0)  # a word for a service is in its document


@bp.get("/<gebied>/beheer/zoekwoorden")
@region_view()
def synonyms(region: Region):
    """The words taught to the zorggebied's search, and the standard ones."""
    q = request.args.get("q", "").strip()[:120]
    query = synonyms_of(region).order_by(RegionSynonym.term, RegionSynonym.id)
    standard = []
    if q:
        like = f"%{' '.join(split_words(q)) or q}%"
        query = query.where(RegionSynonym.term.ilike(like))
        standard = db.session.execute(
            select(CategorySynonym.term, Category.label)
            .join(Category, CategorySynonym.category_id == Category.id)
            .where(CategorySynonym.term.ilike(like))
            .order_by(CategorySynonym.term)
            .limit(STANDARD_SHOWN)
        ).all()
    page = paginate(query, PER_PAGE)
    return render_template(
        "teaching/synonyms.html", region=region, page=page, q=q, standard=standard
    )


@bp.route("/<gebied>/beheer/zoekwoorden/nieuw", methods=["GET", "POST"])
@region_view()
def new_synonym(region: Region):
    """Teach the search a word residents use (from a niche, if any)."""
    form = _form(region)
    niche = _niche(region, form)
    if form.is_submitted():
        ok = form.validate()
        target = _target(region, form)
        if ok and target is not None:
            all_regions = bool(form.all_regions.data) and current_user.is_admin
            try:
                term = words.clean_term(form.term.data, target)
                before = search.synonyms(region.slug)
                words.add_word(db.session, region, term, target, all_regions=all_regions)
                met = (
                    words.resolve_needs(db.session, region, niche, term, target, before)
                    if niche
                    else []
                )
            except words.WordError as exc:
                db.session.rollback()
                form.term.errors = [*form.term.errors, str(exc)]
            else:
                _commit_and_apply()
                return _after_teaching(region, term, target, met)
    return render_template(
        "teaching/synonym_form.html", region=region, form=form, synonym=None, niche=niche
    ), (400 if form.errors else 200)


def _after_teaching(region: Region, term: str, target: words.Target, met: list[Niche]):
    what = target.category.label if target.category else target.service.name
    if not met:
        flash(f"Bewaard: wie “{term}” zoekt, vindt nu {what}.", "info")
        return redirect(url_for("teaching.synonyms", gebied=region.slug))
    niche = met[0]
    status = (
        "staat nu op “ingevuld”"
        if niche.status == "ingevuld"
        else f"is samengevoegd met “{niche.title}”"
    )
    flash(f"Bewaard: wie “{term}” zoekt, vindt nu {what}. De vraag {status}.", "info")
    return redirect(url_for("demand.niche_detail", gebied=region.slug, niche_id=niche.id))


@bp.route("/<gebied>/beheer/zoekwoorden/<int:synonym_id>", methods=["GET", "POST"])
@region_view()
def edit_synonym(region: Region, synonym_id: int):
    """Show and save a word taught to the search."""
    synonym = synonym_of(region, synonym_id)
    _may_change(synonym)
    form = _form(region, synonym)
    if form.is_submitted():
        ok = form.validate()
        target = _target(region, form)
        if ok and target is not None:
            try:
                term = words.clean_term(form.term.data, target)
                words.change_word(db.session, region, synonym, term, target)
            except words.WordError as exc:
                db.session.rollback()
                form.term.errors = [*form.term.errors, str(exc)]
            else:
                _commit_and_apply()
                flash(f"Bewaard: “{term}”.", "info")
                return redirect(url_for("teaching.synonyms", gebied=region.slug))
    return render_template(
        "teaching/synonym_form.html", region=region, form=form, synonym=synonym, niche=None
    ), (400 if form.errors else 200)


@bp.route("/<gebied>/beheer/zoekwoorden/<int:synonym_id>/verwijderen", methods=["GET", "POST"])
@region_view()
def delete_synonym(region: Region, synonym_id: int):
    """Confirm, then delete a word taught to the search."""
    synonym = synonym_of(region, synonym_id)
    _may_change(synonym)
    if request.method == "POST":  # CSRFProtect has checked the token
        term = synonym.term
        words.remove_word(db.session, region, synonym)
        _commit_and_apply()
        flash(
            f"“{term}” is verwijderd. De zoekfunctie kent het woord niet meer als zoekwoord.",
            "info",
        )
        return redirect(url_for("teaching.synonyms", gebied=region.slug))
    return render_template("teaching/confirm_delete.html", region=region, synonym=synonym)
