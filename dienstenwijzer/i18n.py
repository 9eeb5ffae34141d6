"""Dutch words that depend on a number ("1 open melding", "2 open meldingen"), via Flask-Babel.

One mechanism everywhere: `ngettext` in Python (from flask_babel) and in templates (Jinja's
i18n extension, installed by Flask-Babel). There are no translation catalogues: the texts are
written in Dutch, whose plural rule (one form for 1, another for everything else) is the
rule Babel applies when no catalogue is loaded. Dates and numbers use the nl_BE locale.

The same set-up makes every form message Dutch, WTForms' built-in ones included ("Dit veld
is vereist."): Flask-WTF translates them with WTForms' own catalogue for the fixed locale.
"""

from __future__ import annotations

import datetime as dt

from babel.dates import format_datetime
from flask import Flask
from flask_babel import Babel

LOCALE = "nl_BE"
TIMEZONE = "Europe/Brussels"

babel = Babel()


def moment_text(value: dt.datetime | None) -> str:
    """A stored moment (naive UTC, as every `created_at` is) in Belgian time: "4 maart 2026 om 11:05"."""
    if value is None:
        return ""
    return format_datetime(
        value.replace(tzinfo=dt.UTC), "d MMMM y 'om' HH:mm", tzinfo=TIMEZONE, locale=LOCALE
    )


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    # One language, so the locale is fixed, not negotiated with the browser.
    babel.init_app(app, locale_selector=lambda: LOCALE)
    app.jinja_env.filters["moment_nl"] = moment_text
