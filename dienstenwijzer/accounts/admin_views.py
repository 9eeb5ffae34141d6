"""Admins manage staff accounts: create, change role or zorggebied, deactivate, new link."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from ..db import db
from ..guards import admin_required
from ..models import Region, User
from . import sessions
from .forms import UserForm
from .tokens import make_token
from .views import landing_url, regions

bp = Blueprint("accounts_admin", __name__, url_prefix="/beheer")


@bp.get("/")
@login_required
def overview():
    """Admins choose a zorggebied; others go straight to their own."""
    if not current_user.is_admin:
        return redirect(landing_url(current_user))
    return render_template("accounts/overview.html", regions=regions())


@bp.get("/gebruikers")
@admin_required
def users():
    """An admin's list of all staff accounts."""
    rows = db.session.scalars(select(User).order_by(User.email)).all()
    return render_template("accounts/users.html", users=rows)


def _form(user: User | None = None) -> UserForm:
    form = UserForm(obj=user)
    form.region.choices = [SelectChoice("", "— geen (beheerder) —")] + [
        SelectChoice(r.slug, r.name) for r in regions()
    ]
    if user is not None and not form.is_submitted():
        form.region.data = user.region.slug if user.region else ""
    return form


def _apply(form: UserForm, user: User) -> None:
    user.email = form.email.data.strip().lower()
    user.name = form.name.data.strip()
    user.role = form.role.data
    user.region = (
        None
        if form.role.data == "admin"
        else db.session.scalar(select(Region).where(Region.slug == form.region.data))
    )


@bp.route("/gebruikers/nieuw", methods=["GET", "POST"])
@admin_required
def new_user():
    """An admin creates a staff account and gets a link to set its password."""
    form = _form()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        if db.session.scalar(select(User).where(User.email == email)):
            form.email.errors.append("Er bestaat al een account met dit e-mailadres.")
        else:
            user = User(active=True)
            _apply(form, user)
            db.session.add(user)
            db.session.commit()
            return render_template("accounts/link.html", user=user, link=_link(user), created=True)
    return render_template("accounts/user_form.html", form=form, user=None)


@bp.route("/gebruikers/<int:user_id>", methods=["GET", "POST"])
@admin_required
def edit_user(user_id: int):
    """An admin changes an account's e-mail, role, zorggebied or access."""
    user = db.get_or_404(User, user_id)
    form = _form(user)
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        other = db.session.scalar(select(User).where(User.email == email, User.id != user.id))
        if other:
            form.email.errors.append("Er bestaat al een account met dit e-mailadres.")
        elif user.id == current_user.id and (not form.active.data or form.role.data != "admin"):
            form.role.errors.append("U kunt uw eigen beheerdersrechten niet intrekken.")
        else:
            _apply(form, user)
            if not form.active.data and user.active:
                sessions.revoke_all(db.session, user)
            user.active = form.active.data
            db.session.commit()
            flash(f"Account {user.email} bewaard.", "info")
            return redirect(url_for("accounts_admin.users"))
    return render_template("accounts/user_form.html", form=form, user=user)


@bp.post("/gebruikers/<int:user_id>/link")
@admin_required
def new_link(user_id: int):
    """An admin makes a new one-time link to set the account's password."""
    user = db.get_or_404(User, user_id)
    return render_template("accounts/link.html", user=user, link=_link(user), created=False)


def _link(user: User) -> str:
    return url_for("accounts.set_password", token=make_token(user), _external=True)
