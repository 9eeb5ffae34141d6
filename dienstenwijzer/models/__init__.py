"""Typed SQLAlchemy 2.0 models, split by area."""
from .accounts import LoginAttempt, LoginSession, User
from .audit import AuditEntry, Report
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
from .catalogue import IndexOutbox, Provider, Service, service_categories, service_municipalities
from .imports import ImportJob, ImportJobChunk, ImportJobError
from .jobs import Referral, ReferralAccess, ReferralStep, RuleSet, Vacancy, VacancyChange
from .reference import Category, CategorySynonym, Municipality, Postcode, Region
from .teaching import RegionSynonym, SynonymVersion

__all__ = [
    "DemandSignal",
    "FormSubmission",
    "Niche",
    "NicheAlert",
    "NicheEvent",
    "NicheKey",
    "QueryCount",
    "SearchCount",
    "AuditEntry",
    "LoginAttempt",
    "LoginSession",
    "Report",
    "User",
    "Category",
    "CategorySynonym",
    "ImportJob",
    "ImportJobChunk",
    "ImportJobError",
    "IndexOutbox",
    "Municipality",
    "Postcode",
    "Provider",
    "Referral",
    "ReferralAccess",
    "ReferralStep",
    "Region",
    "RegionSynonym",
    "RuleSet",
    "Service",
    "service_categories",
    "service_municipalities",
    "SynonymVersion",
    "Vacancy",
    "VacancyChange",
]
