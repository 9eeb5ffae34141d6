"""Retention (DESIGN.md invariant 5): what `dienstenwijzer purge` removes, and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, delete, func, select, update
from sqlalchemy.orm import Session

from .clock import utcnow
from .demand.niches import forget_history
from .models import (
    DemandSignal,
    FormSubmission,
    LoginAttempt,
    LoginSession,
    Niche,
    NicheAlert,
    NicheKey,
    QueryCount,
    Report,
)


@dataclass
class PurgeSummary:
    report_contacts: int = 0
    login_attempts: int = 0
    login_sessions: int = 0
    signal_contacts: int = 0
    signals: int = 0
    referrals: int = 0
    niche_titles: int = 0  # residents' words as niche title, replaced by a neutral one
    niches: int = 0  # unconfirmed niches whose only signals are gone
    query_texts: int = 0  # weekly "Meest gezocht" rows (texts as typed)


def purge(
    session: Session,
    *,
    report_contact_days: int,
    login_attempt_days: int,
    session_days: int,
    signal_days: int,
    referral_months: int | None = None,
    now: dt.datetime | None = None,
) -> PurgeSummary:
    """Remove personal data past its retention period; keep the reports themselves."""
    now = now or utcnow()
    summary = PurgeSummary()
    summary.report_contacts = session.execute(
        update(Report)
        .where(
            Report.contact_email.is_not(None),
            Report.created_at < now - dt.timedelta(days=report_contact_days),
        )
        .values(contact_email=None)
    ).rowcount
    summary.login_attempts = session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.created_at < now - dt.timedelta(days=login_attempt_days)
        )
    ).rowcount
    summary.login_sessions = session.execute(
        delete(LoginSession).where(
            LoginSession.last_seen_at < now - dt.timedelta(days=session_days)
        )
    ).rowcount
    summary.signal_contacts = session.execute(
        update(DemandSignal)
        .where(DemandSignal.contact_until.is_not(None), DemandSignal.contact_until < now.date())
        .values(contact=None, contact_until=None)
    ).rowcount
    signals_before = now - dt.timedelta(days=signal_days)
    summary.signals = _purge_signals(session, signals_before)
    summary.niche_titles, summary.niches = _purge_niche_texts(session, signals_before)
    summary.query_texts = session.execute(
        delete(QueryCount).where(QueryCount.week < signals_before.date())
    ).rowcount
    session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < now - dt.timedelta(days=1))
    )
    if referral_months is not None:
        from .jobs.referrals import purge_referrals

        summary.referrals = purge_referrals(session, referral_months, now=now)
    return summary


def _purge_signals(session: Session, before: dt.datetime) -> int:
    """Delete old raw signals; each niche keeps their number in `purged_count`."""
    old = DemandSignal.created_at < before
    per_niche = session.execute(
        select(DemandSignal.niche_id, func.count(DemandSignal.id))
        .where(old, DemandSignal.niche_id.is_not(None))
        .group_by(DemandSignal.niche_id)
    ).all()
    for niche_id, count in per_niche:
        session.execute(
            update(Niche)
            .where(Niche.id == niche_id)
            .values(purged_count=Niche.purged_count + count)
        )
    return session.execute(delete(DemandSignal).where(old)).rowcount


def _purge_niche_texts(session: Session, before: dt.datetime) -> tuple[int, int]:
    """Residents' words outlive no signal: niches left without signals lose them.

    A confirmed niche keeps its count and status under a neutral title (unless staff or a
    category named it); an unconfirmed one (one client's need) goes altogether.
    """
    empty = [
        niche_id
        for (niche_id,) in session.execute(
            select(Niche.id).where(Niche.created_at < before, ~Niche.signals.any())
        )
    ]
    if not empty:
        forget_history(session, before, [])
        return 0, 0
    in_empty = Niche.id.in_(empty)
    titles = session.execute(
        update(Niche)
        .where(in_empty, Niche.confirmed.is_(True), Niche.title_from_residents.is_(True))
        .values(
            title="Niche " + cast(Niche.id, String) + " (naam gewist na bewaartermijn)",
            title_from_residents=False,
        )
    ).rowcount
    gone = [
        i for (i,) in session.execute(select(Niche.id).where(in_empty, Niche.confirmed.is_(False)))
    ]
    forget_history(
        session, before, gone
    )  # merge/split history: its titles, and events of gone niches
    if gone:
        session.execute(delete(NicheAlert).where(NicheAlert.niche_id.in_(gone)))
        session.execute(delete(NicheKey).where(NicheKey.niche_id.in_(gone)))
        session.execute(delete(Niche).where(Niche.id.in_(gone)))
    return titles, len(gone)
