"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from dienstenwijzer import create_app

app = create_app()
