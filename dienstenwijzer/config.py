"""Configuration: one defaults table, then an instance file, then DIENSTENWIJZER_* env vars.

Nothing reads configuration at import time; `load_config` runs inside the app factory.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS: dict[str, Any] = {
    # "{instance}" is replaced by the app's instance folder.
    "DATABASE_URL": "sqlite:///{instance}/dienstenwijzer.sqlite3",
    "INDEX_DIR": "{instance}/index",
    # The ready-made bulk downloads of the open-data API (api/packages.py).
    "OPEN_DATA_DIR": "{instance}/open-data",
    # Requests per client to the open-data API, counted over all workers of a host (a
    # harvester walking 100 000 services, 50 a page, one request after the other, stays under).
    "API_RATE_LIMIT": "1200 per minute",
    "API_RATE_LIMIT_FILE": "{instance}/api-rate-limit.bin",
    "SECRET_KEY": None,  # generated once and kept in instance/secret_key
    "FIXTURES_DIR": str(PROJECT_ROOT / "fixtures"),
    "SEARCH_PER_PAGE": 10,
    "SEARCH_MAX_PER_PAGE": 50,
    # How often a worker looks for outbox rows written by other processes or hosts.
    "OUTBOX_POLL_SECONDS": 0.25,
    # Apply the outbox in a background thread of each process (off: the search polls inline).
    "INDEX_FOLLOWER": True,
    # One memory budget for all search caches of a worker process, across all zorggebieden.
    "SEARCH_CACHE_MB": 64,
    # How often each host compares its index with the database and repairs any drift.
    "INDEX_SELF_CHECK_SECONDS": 300,
    # Services not checked for this long are listed for the regisseur to check (6 months)...
    "STALE_AFTER_DAYS": 182,
    # ...and after this long hidden from residents until checked again (18 months).
    "HIDE_AFTER_DAYS": 548,
    # Staff sessions end after this much inactivity; failed logins block for this long.
    "LOGIN_IDLE_MINUTES": 120,
    "LOGIN_BLOCK_MINUTES": 15,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set True behind HTTPS
    # Retention, enforced by `dienstenwijzer purge` (run it daily from cron).
    "REPORT_CONTACT_RETENTION_DAYS": 182,
    "LOGIN_ATTEMPT_RETENTION_DAYS": 1,
    "LOGIN_SESSION_RETENTION_DAYS": 30,
    # Referral details (reference, rule, steps, reads) are removed after this; counts stay.
    "REFERRAL_RETENTION_MONTHS": 24,
    # The provider's personal link to record a referral's outcome expires after this.
    "PROVIDER_LINK_DAYS": 30,
    # Open referrals without a step for this long are listed as waiting too long.
    "REFERRAL_WAITING_DAYS": 14,
    # Residents' "Ik vind niet wat ik zoek": contact details kept this long; accepted per client per hour.
    "NEED_CONTACT_RETENTION_DAYS": 182,
    "NEED_FORM_LIMIT_PER_HOUR": 5,
    # Raw demand signals older than this are removed by purge; niches keep their counts.
    "DEMAND_SIGNAL_RETENTION_DAYS": 730,
    # Residents' searches hand their counts and signals to a background writer: how often it
    # writes (a kill -9 loses at most this much), and how many it queues before dropping.
    "DEMAND_HANDOFF_SECONDS": 1.0,
    "DEMAND_HANDOFF_MAX_ITEMS": 10_000,
    # Uploads (CSV import) larger than this are refused (a real provider inventory fits).
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    # Web imports: most data rows per file; a checked import not confirmed within this many
    # hours ends and its file is deleted; how often the import worker looks for new jobs.
    "IMPORT_MAX_ROWS": 100_000,
    "IMPORT_KEEP_HOURS": 24,
    "IMPORT_WORKER_POLL_SECONDS": 1.0,
    "SITE_NAME": "Dienstenwijzer",
    # Public address of the site, for links printed by commands (set-password links).
    "PUBLIC_URL": "http://127.0.0.1:5000",
}


def load_config(app: Flask, overrides: dict[str, Any] | None = None) -> None:
    app.config.update(DEFAULTS)
    app.config.from_pyfile("dienstenwijzer.cfg", silent=True)
    app.config.from_prefixed_env("DIENSTENWIJZER")
    if overrides:
        app.config.update(overrides)

    instance = Path(app.instance_path)
    for key in ("DATABASE_URL", "INDEX_DIR", "OPEN_DATA_DIR", "API_RATE_LIMIT_FILE"):
        app.config[key] = str(app.config[key]).replace("{instance}", str(instance))
    if app.config["DATABASE_URL"].startswith("sqlite:///") or not app.config.get("SECRET_KEY"):
        instance.mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance / "secret_key")
    app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]


def _instance_secret(path: Path) -> str:
    """One secret shared by all workers of this instance, created on first start."""
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32))
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text().strip()
