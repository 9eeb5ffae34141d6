"""Jobs: vacancies at providers, eligibility rules, and referrals by werkwinkel consulenten."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import public_views, rule_views, views

    app.register_blueprint(views.bp)
    app.register_blueprint(rule_views.bp)
    app.register_blueprint(public_views.bp)
