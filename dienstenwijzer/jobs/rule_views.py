"""Rule sets for the eligibility check (all zorggebieden): staff read them, admins add newer ones."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..db import db
from ..guards import staff_required
from ..models import RuleSet
from ..models.jobs import INSTRUMENTS
from . import eligibility_rules, rule_editor, rule_preview
from .forms import RuleSetEditorForm, RuleSetForm

bp = Blueprint("jobs_rules", __name__, url_prefix="/werkwinkel")


@bp.get("/regels")
@staff_required
def rule_sets():
    """The eligibility rule sets, with the ones in force per instrument."""
    in_force = eligibility_rules.in_force(db.session)
    current = {instrument: found[0] for instrument, found in in_force.by_instrument.items()}
    return render_template(
        "jobs/rule_sets.html",
        region=None,
        rule_sets=eligibility_rules.all_sets(db.session),
        current=current,
        instruments=INSTRUMENTS,
    )


@bp.get("/regels/<int:rule_set_id>")
@staff_required
def rule_set(rule_set_id: int):
    """One eligibility rule set and its rules."""
    row = db.get_or_404(RuleSet, rule_set_id)
    return render_template(
        "jobs/rule_set.html",
        region=None,
        rule_set=row,
        parsed=eligibility_rules.parse_data(row.rules),
        instruments=INSTRUMENTS,
    )


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


@bp.route("/regels/nieuw", methods=["GET", "POST"])
@login_required
def new_rule_set():
    """The editor: one instrument's rules as a form, with the regulation they follow."""
    _admin_only()
    form = RuleSetEditorForm()
    problems: list[str] = []
    preview: list[rule_preview.PreviewRow] | None = None
    if not form.is_submitted():
        instrument = request.args.get("instrument", "")
        start = (
            rule_editor.answers_in_force(db.session, instrument)
            if instrument in INSTRUMENTS
            else None
        )
        if start:
            form.process(data=start)
    elif form.validate():
        key = rule_editor.key_for(form.instrument.data, form.effective_from.data)
        data = rule_editor.rule_set_data(
            instrument=form.instrument.data,
            title=form.title.data,
            legal_title=form.legal_title.data,
            legal_date=form.legal_date.data,
            legal_reference=form.legal_reference.data,
            effective_from=form.effective_from.data,
            valid_until=form.valid_until.data,
            not_eligible=form.not_eligible.data or "",
            rule_answers=[r.data for r in form.rules],
            key=key,
            version=rule_editor.next_version(db.session, key),
        )
        try:
            if "voorbeeld" in request.form:  # judged as edited; nothing is stored
                preview = rule_preview.preview(data)
            else:
                saved = rule_editor.save(db.session, data, actor=current_user.email)
                db.session.commit()
                return _saved(saved)
        except eligibility_rules.RuleSetError as exc:
            db.session.rollback()
            problems = exc.problems
    return render_template(
        "jobs/rule_set_editor.html",
        region=None,
        form=form,
        problems=problems,
        preview=preview,
        instruments=INSTRUMENTS,
    ), (400 if form.errors or problems else 200)


def _saved(saved: RuleSet):
    flash(
        f"Regelset “{saved.title}” (versie {saved.version}) is toegevoegd; ze geldt vanaf "
        f"{saved.effective_from:%d-%m-%Y}."
    )
    return redirect(url_for("jobs_rules.rule_set", rule_set_id=saved.id))


@bp.route("/regels/importeren", methods=["GET", "POST"])
@login_required
def import_rule_set():
    """For admins: a rule set as YAML (several instruments at once, or one exported elsewhere)."""
    _admin_only()
    form = RuleSetForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            saved = eligibility_rules.store(
                db.session, form.document.data.replace("\r\n", "\n"), actor=current_user.email
            )
        except eligibility_rules.RuleSetError as exc:
            db.session.rollback()
            problems = exc.problems
        else:
            db.session.commit()
            return _saved(saved)
    elif not form.is_submitted():
        latest = eligibility_rules.all_sets(db.session)
        form.document.data = latest[0].document if latest else ""
    return render_template(
        "jobs/rule_set_form.html",
        region=None,
        form=form,
        problems=problems,
        facts=eligibility_rules.FACTS,
        diplomas=eligibility_rules.DIPLOMAS,
        instruments=INSTRUMENTS,
    ), (400 if form.errors or problems else 200)
