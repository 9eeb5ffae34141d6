"""Retention (DESIGN.md invariant 5): what `dienstenwijzer purge` removes, and when."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from .models import LoginAttempt, LoginSession, Report


@dataclass
class PurgeSummary:
    report_contacts: int = 0
    login_attempts: int = 0
    login_sessions: int = 0


def purge(session: Session, *, report_contact_days: int, login_attempt_days: int, session_days: int,
          now: dt.datetime | None = None) -> PurgeSummary:
    """Remove personal data past its retention period; keep the reports themselves."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    summary = PurgeSummary()
    summary.report_contacts = session.execute(
        update(Report)
        .where(Report.contact_email.is_not(None), Report.created_at < now - dt.timedelta(days=report_contact_days))
        .values(contact_email=None)
    ).rowcount
    summary.login_attempts = session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < now - dt.timedelta(days=login_attempt_days))
    ).rowcount
    summary.login_sessions = session.execute(
        delete(LoginSession).where(LoginSession.last_seen_at < now - dt.timedelta(days=session_days))
    ).rowcount
    return summary
