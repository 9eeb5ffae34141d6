"""Staff accounts: login with server-side sessions, throttling, roles and region scope."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app, g, request
from flask_login import LoginManager, current_user

from ..audit import reset_actor, set_actor
from ..db import db
from .sessions import load_session_user

login_manager = LoginManager()
login_manager.login_view = "accounts.login"
login_manager.login_message = "Meld u aan om deze pagina te zien."
login_manager.login_message_category = "info"
# Our own server-side sessions replace Flask-Login's session protection and remember cookie.
login_manager.session_protection = None


@login_manager.user_loader
def _load_user(token: str):
    # Where a staff request starts, so it commits like a view: the session's last use or end.
    user = load_session_user(db.session, token, idle=dt.timedelta(minutes=_idle_minutes()))
    if db.session.dirty:
        db.session.commit()
    return user


def _idle_minutes() -> int:
    return int(current_app.config["LOGIN_IDLE_MINUTES"])


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    from . import admin_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(admin_views.bp)

    @app.before_request
    def _audit_actor():
        if request.endpoint and request.endpoint != "static" and current_user.is_authenticated:
            g.audit_token = set_actor(current_user.id, current_user.email)

    @app.teardown_request
    def _forget_request_user(exc):
        # Request-scoped, also when an outer app context lives on (commands, tests): the next
        # request must load its user and session row afresh.
        token = g.pop("audit_token", None)
        if token is not None:
            reset_actor(token)
        g.pop("_login_user", None)
