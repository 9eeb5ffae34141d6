"""The API's rate limit, one count per client for all worker processes of a host.

Flask-Limiter does the limiting (fixed one-minute windows, a 429 with Retry-After and the
X-RateLimit-* headers); its counters live in a file all workers map (shared_counters.py), so a
client gets API_RATE_LIMIT in total, not that much per gunicorn worker, and a request writes
nothing to the database. Several hosts behind a load balancer each count their own share.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from . import shared_counters  # noqa: F401  (registers the sharedfile:// storage)

MESSAGE = (
    "Te veel vragen na elkaar. Wacht even (zie Retry-After) en probeer het dan opnieuw; "
    "voor de hele catalogus: zie de bulkdownload op /api/v1/."
)


def init_app(app: Flask, bp: Blueprint) -> Limiter:
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=f"sharedfile://{app.config['API_RATE_LIMIT_FILE']}",
        storage_options={"secret": app.config["SECRET_KEY"]},
        strategy="fixed-window",
        headers_enabled=True,
    )
    limiter.limit(lambda: app.config["API_RATE_LIMIT"], error_message=MESSAGE)(bp)
    return limiter
