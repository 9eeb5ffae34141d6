"""Logging in and out, changing a password, setting one from a link."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from ..db import db
from ..models import Region, User
from ..models.accounts import ROLE_CONSULENT
from . import sessions, throttle
from .forms import ChangePasswordForm, LoginForm, NewPasswordForm
from .password_change import replace_password
from .passwords import personal_words, verify_password
from .tokens import LINK_USED, user_for_token

bp = Blueprint("accounts", __name__)


def _window() -> dt.timedelta:
    return dt.timedelta(minutes=int(current_app.config["LOGIN_BLOCK_MINUTES"]))


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def landing_url(user: User) -> str:
    """Admins choose a zorggebied; regisseurs get their catalogue, consulenten the werkwinkel."""
    if user.is_admin:
        return url_for("accounts_admin.overview")
    if user.role == ROLE_CONSULENT:
        return url_for("jobs.check", gebied=user.region.slug)
    return url_for("catalogue.dashboard", gebied=user.region.slug)


@bp.route("/aanmelden", methods=["GET", "POST"])
def login():
    """The staff login form, with throttled guesses per address and per client."""
    form = LoginForm()
    message = None
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        client = throttle.client_hash(current_app.config["SECRET_KEY"], request.remote_addr)
        wait = throttle.claim_guess(db.session, email, client, _window())
        db.session.commit()  # the claimed guess counts before the (slow) password check
        if wait is not None:
            minutes = max(1, round(wait.total_seconds() / 60))
            message = ngettext(
                "Te veel mislukte pogingen. Om uw account te beschermen kunt u pas over "
                "%(num)d minuut opnieuw proberen.",
                "Te veel mislukte pogingen. Om uw account te beschermen kunt u pas over "
                "%(num)d minuten opnieuw proberen.",
                minutes,
            )
        else:
            user = db.session.scalar(select(User).where(User.email == email))
            if (
                user is not None
                and user.active
                and verify_password(user.password_hash, form.password.data)
            ):
                throttle.clear_failures(db.session, email)
                sessions.start_session(db.session, user)
                db.session.commit()
                login_user(user)
                return redirect(_safe_next(request.args.get("next")) or landing_url(user))
            if user is None or not user.active:
                verify_password(None, form.password.data)
            message = "Het e-mailadres of het wachtwoord klopt niet."
    return render_template("accounts/login.html", form=form, message=message), (
        400 if message else 200
    )


@bp.post("/afmelden")
@login_required
def logout():
    """End this session and go back to the login page."""
    sessions.revoke(db.session, current_user.session_token)
    db.session.commit()
    logout_user()
    flash("U bent afgemeld.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/account/wachtwoord", methods=["GET", "POST"])
@login_required
def change_password():
    """A logged-in staff member changes their password (other sessions end)."""
    form = ChangePasswordForm()
    form.personal = personal_words(current_user.email, current_user.name)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors.append("Uw huidige wachtwoord klopt niet.")
        else:
            keep = current_user.session_token
            if replace_password(db.session, current_user, form.password.data, keep=keep):
                db.session.commit()
                flash("Uw wachtwoord is gewijzigd. U bent overal elders afgemeld.", "info")
                return redirect(landing_url(current_user))
            db.session.rollback()
            form.current.errors.append(
                "Uw wachtwoord werd intussen al gewijzigd. Meld u opnieuw aan."
            )
    return render_template("accounts/change_password.html", form=form)


@bp.route("/wachtwoord-instellen/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Set a password through a one-time link (new account or forgotten password)."""
    user, problem = user_for_token(db.session, token)
    if user is None:
        return render_template("accounts/link_invalid.html", problem=problem), 400
    form = NewPasswordForm()
    form.personal = personal_words(user.email, user.name)
    if form.validate_on_submit():
        if not replace_password(db.session, user, form.password.data, keep=None):
            db.session.rollback()  # another submit of this link came first
            return render_template("accounts/link_invalid.html", problem=LINK_USED), 400
        db.session.commit()
        flash("Uw wachtwoord is ingesteld. U kunt nu aanmelden.", "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/set_password.html", form=form, user=user)


def regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name)))
