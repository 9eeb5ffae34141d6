"""Rule sets for the eligibility check (all zorggebieden): staff read them, admins add newer ones."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from ..db import db
from ..guards import staff_required
from ..models import RuleSet
from ..models.jobs import INSTRUMENTS
from . import rules
from .forms import RuleSetForm

bp = Blueprint("jobs_rules", __name__, url_prefix="/werkwinkel")


@bp.get("/regels")
@staff_required
def rule_sets():
    in_force = rules.in_force(db.session)
    current = {instrument: found[0] for instrument, found in in_force.by_instrument.items()}
    return render_template("jobs/rule_sets.html", region=None, rule_sets=rules.all_sets(db.session), current=current,
                           instruments=INSTRUMENTS)


@bp.get("/regels/<int:rule_set_id>")
@staff_required
def rule_set(rule_set_id: int):
    row = db.get_or_404(RuleSet, rule_set_id)
    return render_template("jobs/rule_set.html", region=None, rule_set=row, parsed=rules.parse_data(row.rules),
                           instruments=INSTRUMENTS)


@bp.route("/regels/nieuw", methods=["GET", "POST"])
@login_required
def new_rule_set():
    if not current_user.is_admin:
        abort(403)
    form = RuleSetForm()
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            saved = rules.store(db.session, form.document.data.replace("\r\n", "\n"), actor=current_user.email)
        except rules.RuleSetError as exc:
            db.session.rollback()
            problems = exc.problems
        else:
            db.session.commit()
            flash(f"Regelset {saved.key} versie {saved.version} is toegevoegd; ze geldt vanaf {saved.effective_from:%d-%m-%Y}.")
            return redirect(url_for("jobs_rules.rule_set", rule_set_id=saved.id))
    elif not form.is_submitted():
        latest = rules.all_sets(db.session)
        form.document.data = latest[0].document if latest else ""
    return render_template("jobs/rule_set_form.html", region=None, form=form, problems=problems,
                           facts=rules.FACTS, diplomas=rules.DIPLOMAS, instruments=INSTRUMENTS), \
        (400 if form.errors or problems else 200)
