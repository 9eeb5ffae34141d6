"""Dutch words that depend on a number ("1 open melding", "2 open meldingen"), via Flask-Babel.

One mechanism everywhere: `ngettext` in Python (from flask_babel) and in templates (Jinja's
i18n extension, installed by Flask-Babel). There are no translation catalogues: the texts are
written in Dutch, whose plural rule (one form for 1, another for everything else) is the
rule Babel applies when no catalogue is loaded. Dates and numbers use the nl_BE locale.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import Babel

LOCALE = "nl_BE"
TIMEZONE = "Europe/Brussels"

babel = Babel()


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    babel.init_app(app)
