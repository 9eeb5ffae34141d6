"""Residents' reports of wrong information, and the regisseur handling them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Report, Service, User


def file_report(
    session: Session, service: Service, message: str, email: str | None, consent: bool
) -> Report:
    """Store a report; an e-mail address only when the resident agreed to be contacted."""
    report = Report(
        region_id=service.region_id,
        service_id=service.id,
        message=message.strip(),
        contact_email=email.strip() if email and consent else None,
        contact_consent=bool(email and consent),
    )
    session.add(report)
    session.flush()
    return report


def handle_report(session: Session, report: Report, user: User, note: str | None) -> None:
    report.handled_at = utcnow()
    report.handled_by_id = user.id
    report.note = (note or "").strip() or None
    session.flush()
