"""`dienstenwijzer purge`: personal data deleted after its retention period (cron)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import db


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Persoonsgegevens wissen na hun bewaartermijn (veilig om dagelijks via cron te draaien)."""
    from ..retention import purge

    config = current_app.config
    summary = purge(
        db.session,
        report_contact_days=int(config["REPORT_CONTACT_RETENTION_DAYS"]),
        login_attempt_days=int(config["LOGIN_ATTEMPT_RETENTION_DAYS"]),
        session_days=int(config["LOGIN_SESSION_RETENTION_DAYS"]),
        signal_days=int(config["DEMAND_SIGNAL_RETENTION_DAYS"]),
        referral_months=int(config["REFERRAL_RETENTION_MONTHS"]),
    )
    db.session.commit()
    click.echo(
        f"Gewist: {summary.report_contacts} e-mailadressen bij meldingen, "
        f"{summary.login_attempts} mislukte aanmeldpogingen, {summary.login_sessions} oude sessies, "
        f"{summary.signal_contacts} contactgegevens bij vragen, {summary.signals} oude vragen (tellen nog mee), "
        f"details van {summary.referrals} doorverwijzingen (tellen nog mee)."
    )
