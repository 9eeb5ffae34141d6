"""Every form message in Dutch, WTForms' built-in ones included ("Dit veld is vereist.").

One way, in one place: Flask-WTF translates WTForms' messages with WTForms' own Dutch
catalogue once Flask-Babel is set up. The site has one language, so the locale is fixed.
Messages the code writes itself are Dutch already.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import Babel

LOCALE = "nl"

babel = Babel()


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=lambda: LOCALE, default_locale=LOCALE)
