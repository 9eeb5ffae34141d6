"""Vacancies: service functions (add and flush, never commit) and the one query both sides use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..clock import utcnow
from ..models import Municipality, Provider, Referral, Region, Vacancy, VacancyChange
from ..models.catalogue import STATUS_ACTIVE
from ..models.jobs import VACANCY_FILLED, VACANCY_OPEN
from ..scope import vacancies_of

# Hours filter: code -> (label, lowest, highest) hours per week.
HOURS: dict[str, tuple[str, int, int]] = {
    "tot-20": ("Minder dan 20 uur per week", 0, 19),
    "20-29": ("20 tot 29 uur per week", 20, 29),
    "30-plus": ("30 uur of meer per week", 30, 99),
}


@dataclass
class VacancyData:
    """Validated input for a vacancy (from a form)."""

    provider: Provider
    title: str
    description: str
    instrument: str
    hours_per_week: int
    municipality_nis: str
    start_date: dt.date | None
    places: int
    status: str


def _plain(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Provider):
        return value.name
    return value


def save_vacancy(
    session: Session,
    region: Region,
    vacancy: Vacancy | None,
    data: VacancyData,
    actor: tuple[int | None, str],
) -> Vacancy:
    """Create (vacancy=None) or update a vacancy of the zorggebied, and record what changed."""
    if data.provider.region_id != region.id:
        raise ValueError("provider of another zorggebied")
    new = vacancy is None
    if new:
        vacancy = Vacancy(region_id=region.id)
        session.add(vacancy)
    changes = {}
    for f in fields(data):
        name = "provider" if f.name == "provider" else f.name
        old = None if new else getattr(vacancy, name)
        value = getattr(data, f.name)
        if new or _plain(old) != _plain(value):
            changes[name] = [None if new else _plain(old), _plain(value)]
        setattr(vacancy, name, value)
    if "status" in changes and data.status == VACANCY_FILLED:
        vacancy.filled_at = utcnow()
    elif "status" in changes:
        vacancy.filled_at = None
    session.flush()
    if changes:
        session.add(
            VacancyChange(
                region_id=region.id,
                vacancy_id=vacancy.id,
                user_id=actor[0],
                actor=actor[1],
                action="create" if new else "update",
                changes=changes,
            )
        )
        session.flush()
    return vacancy


def can_delete(session: Session, vacancy: Vacancy) -> bool:
    """Only a vacancy nobody was referred to can be deleted; others are closed instead."""
    return not session.scalar(
        select(func.count()).select_from(Referral).where(Referral.vacancy_id == vacancy.id)
    )


def delete_vacancy(session: Session, vacancy: Vacancy, actor: tuple[int | None, str]) -> None:
    if not can_delete(session, vacancy):
        raise ValueError("vacancy has referrals")
    session.add(
        VacancyChange(
            region_id=vacancy.region_id,
            vacancy_id=vacancy.id,
            user_id=actor[0],
            actor=actor[1],
            action="delete",
            changes={"title": [vacancy.title, None]},
        )
    )
    session.delete(vacancy)
    session.flush()


def vacancies_query(
    region: Region,
    *,
    status: str | None = VACANCY_OPEN,
    text: str = "",
    instrument: str = "",
    nis: str = "",
    hours: str = "",
    provider_id: int | None = None,
    public: bool = False,
):
    """Vacancies of the zorggebied with the filters residents and staff use, newest first."""
    query = vacancies_of(region).join(Vacancy.provider)
    if status:
        query = query.where(Vacancy.status == status)
    if public:  # residents only see vacancies of providers that are on the site
        query = query.where(Provider.status == STATUS_ACTIVE)
    if text.strip():
        pattern = f"%{text.strip()}%"
        query = query.where(
            or_(
                Vacancy.title.ilike(pattern),
                Vacancy.description.ilike(pattern),
                Provider.name.ilike(pattern),
            )
        )
    if instrument:
        query = query.where(Vacancy.instrument == instrument)
    if nis:
        query = query.where(Vacancy.municipality_nis == nis)
    if hours in HOURS:
        _, low, high = HOURS[hours]
        query = query.where(Vacancy.hours_per_week.between(low, high))
    if provider_id is not None:
        query = query.where(Vacancy.provider_id == provider_id)
    return query.order_by(Vacancy.created_at.desc(), Vacancy.id.desc())


def open_vacancies_of_provider(session: Session, provider: Provider) -> list[Vacancy]:
    """For the provider's service page."""
    return list(
        session.scalars(
            select(Vacancy)
            .where(Vacancy.provider_id == provider.id, Vacancy.status == VACANCY_OPEN)
            .order_by(Vacancy.created_at.desc())
        )
    )


def job_municipalities(session: Session, region: Region) -> list[Municipality]:
    """The zorggebied's municipalities and those where its open vacancies are, by name."""
    elsewhere = session.scalars(
        select(Municipality)
        .join(Vacancy, Vacancy.municipality_nis == Municipality.nis_code)
        .where(Vacancy.region_id == region.id, Vacancy.status == VACANCY_OPEN)
        .distinct()
    ).all()
    found = {m.nis_code: m for m in [*region.municipalities, *elsewhere]}
    return sorted(found.values(), key=lambda m: m.name)
