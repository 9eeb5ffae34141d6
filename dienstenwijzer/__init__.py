"""Dienstenwijzer: the online guide to local services, one site per zorggebied."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

from . import compression, search
from .config import PROJECT_ROOT, load_config
from .db import db, register_busy_handler

MIGRATIONS_DIR = str(PROJECT_ROOT / "dienstenwijzer" / "migrations")

migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Wire the app: configuration, database, search, blueprints and commands."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    load_config(app, config)
    db.init_app(app)
    register_busy_handler(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    # Registered first so it runs last, after the other areas have set Cache-Control.
    compression.init_app(app)
    search.init_app(app)

    from . import accounts, web
    from .api import views as api_views
    from .audit import install_audit_hook
    from .catalogue import reports_views, transfer_views  # noqa: F401  (routes on catalogue.bp)
    from .catalogue import views as catalogue_views
    from .cli import register_commands
    from .demand import views as demand_views
    from .public import views as public_views
    from .teaching import views as teaching_views

    install_audit_hook()
    web.init_app(app)
    accounts.init_app(app)
    app.register_blueprint(public_views.bp)
    app.register_blueprint(api_views.bp)
    app.register_blueprint(catalogue_views.bp)
    from . import jobs

    jobs.init_app(app)
    app.register_blueprint(demand_views.bp)
    app.register_blueprint(teaching_views.bp)
    csrf.exempt(api_views.bp)
    register_commands(app)
    return app
