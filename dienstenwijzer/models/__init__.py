"""Typed SQLAlchemy 2.0 models, split by area."""
from .accounts import LoginAttempt, LoginSession, User
from .audit import AuditEntry, Report
from .catalogue import IndexOutbox, Provider, Service, service_categories, service_municipalities
from .reference import Category, CategorySynonym, Municipality, Postcode, Region

__all__ = [
    "AuditEntry",
    "LoginAttempt",
    "LoginSession",
    "Report",
    "User",
    "Category",
    "CategorySynonym",
    "IndexOutbox",
    "Municipality",
    "Postcode",
    "Provider",
    "Region",
    "Service",
    "service_categories",
    "service_municipalities",
]
