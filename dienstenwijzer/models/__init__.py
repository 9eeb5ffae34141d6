"""Typed SQLAlchemy 2.0 models, split by area."""

from .accounts import LoginAttempt, LoginSession, User
from .audit import AuditEntry, Report
from .catalogue import IndexOutbox, Provider, Service, service_categories, service_municipalities
from .demand import (
    DemandSignal,
    FormSubmission,
    Niche,
    NicheAlert,
    NicheEvent,
    NicheKey,
    QueryCount,
    SearchCount,
)
from .imports import ImportJob, ImportJobChunk, ImportJobError
from .jobs import Referral, ReferralAccess, ReferralStep, RuleSet, Vacancy, VacancyChange
from .reference import Category, CategorySynonym, Municipality, Postcode, Region
from .teaching import RegionSynonym, SynonymVersion

__all__ = [
    "AuditEntry",
    "Category",
    "CategorySynonym",
    "DemandSignal",
    "FormSubmission",
    "ImportJob",
    "ImportJobChunk",
    "ImportJobError",
    "IndexOutbox",
    "LoginAttempt",
    "LoginSession",
    "Municipality",
    "Niche",
    "NicheAlert",
    "NicheEvent",
    "NicheKey",
    "Postcode",
    "Provider",
    "QueryCount",
    "Referral",
    "ReferralAccess",
    "ReferralStep",
    "Region",
    "RegionSynonym",
    "Report",
    "RuleSet",
    "SearchCount",
    "Service",
    "SynonymVersion",
    "User",
    "Vacancy",
    "VacancyChange",
    "service_categories",
    "service_municipalities",
]
