"""Region isolation in one place (DESIGN.md invariant 3).

Every back-office view gets its zorggebied through `staff_region`, and every back-office query
starts from one of the `*_of(region)` selects below, so a regisseur can never read or change
another zorggebied's rows: objects of another zorggebied are simply not found (404).
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .db import db
from .models import (
    AuditEntry,
    ImportJob,
    Niche,
    NicheAlert,
    Provider,
    Referral,
    Region,
    RegionSynonym,
    Report,
    Service,
    Vacancy,
)
from .web import region_or_404


def staff_region(slug: str, *, manage: bool = True) -> Region:
    """The zorggebied of the URL if the user may work there: 401 if anonymous, else 403."""
    region = region_or_404(slug)
    if not current_user.is_authenticated:
        from .accounts import login_manager

        abort(login_manager.unauthorized())
    allowed = current_user.may_manage(region) if manage else current_user.works_in(region)
    if not allowed:
        abort(403)
    return region


def services_of(region: Region):
    return select(Service).where(Service.region_id == region.id)


def providers_of(region: Region):
    return select(Provider).where(Provider.region_id == region.id)


def reports_of(region: Region):
    return select(Report).where(Report.region_id == region.id)


def audit_of(region: Region):
    return select(AuditEntry).where(AuditEntry.region_id == region.id)


def _one_of(query, model, object_id: int):
    found = db.session.scalar(query.where(model.id == object_id))
    if found is None:
        abort(404)  # also for another zorggebied's objects: their existence does not leak
    return found


def service_of(region: Region, service_id: int) -> Service:
    return _one_of(services_of(region), Service, service_id)


def provider_of(region: Region, provider_id: int) -> Provider:
    return _one_of(providers_of(region), Provider, provider_id)


def report_of(region: Region, report_id: int) -> Report:
    return _one_of(reports_of(region), Report, report_id)


def import_jobs_of(region: Region):
    return select(ImportJob).where(ImportJob.region_id == region.id)


def import_job_of(region: Region, job_id: int) -> ImportJob:
    # The worker changes a job in its own session: read the row as it is now, never a copy this
    # session still holds (the job's page polls its progress).
    current = import_jobs_of(region).execution_options(populate_existing=True)
    return _one_of(current, ImportJob, job_id)


def niches_of(region: Region):
    return select(Niche).where(Niche.region_id == region.id)


def niche_of(region: Region, niche_id: int):
    return _one_of(niches_of(region), Niche, niche_id)


def niche_alert_of(region: Region, alert_id: int):
    query = (
        select(NicheAlert)
        .join(Niche, NicheAlert.niche_id == Niche.id)
        .where(Niche.region_id == region.id)
    )
    return _one_of(query, NicheAlert, alert_id)


# Jobs (vacancies and referrals): consulenten and regisseurs of the zorggebied and admins, through
# `region_view(manage=False)`; other zorggebieden's objects are not found.


def vacancies_of(region: Region):
    return select(Vacancy).where(Vacancy.region_id == region.id)


def referrals_of(region: Region):
    return select(Referral).where(Referral.region_id == region.id)


def vacancy_of(region: Region, vacancy_id: int) -> Vacancy:
    return _one_of(vacancies_of(region), Vacancy, vacancy_id)


def referral_of(region: Region, referral_id: int) -> Referral:
    return _one_of(referrals_of(region), Referral, referral_id)


# Taught search words: a zorggebied's own, and those an admin taught every zorggebied (shown to
# all, changed by admins only: teaching/views.py checks that).


def synonyms_of(region: Region):
    return select(RegionSynonym).where(
        (RegionSynonym.region_id == region.id) | RegionSynonym.region_id.is_(None)
    )


def synonym_of(region: Region, synonym_id: int) -> RegionSynonym:
    return _one_of(synonyms_of(region), RegionSynonym, synonym_id)
