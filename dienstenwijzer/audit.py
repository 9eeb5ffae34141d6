"""Audit trail: every flush that creates or changes a service or provider records who changed
which fields from what to what (DESIGN.md invariant 6), in the same transaction.

The actor is set per request (the logged-in user) or by a command ("opdrachtregel").
"""

from __future__ import annotations

import contextvars
import datetime as dt
from itertools import chain

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .clock import utcnow
from .models import AuditEntry, Provider, Service
from .models.catalogue import STATUS_ACTIVE, STATUS_ARCHIVED

# (user id or None, label shown in the trail)
_actor: contextvars.ContextVar[tuple[int | None, str]] = contextvars.ContextVar(
    "audit_actor", default=(None, "systeem")
)

TRACKED = {
    Service: [
        "name",
        "description",
        "provider",
        "categories",
        "municipalities",
        "street",
        "postcode",
        "municipality_nis",
        "phone",
        "email",
        "website",
        "dienstencheques",
        "price",
        "target_group",
        "opening_hours",
        "external_id",
        "status",
        "last_checked",
    ],
    Provider: [
        "name",
        "street",
        "postcode",
        "municipality_nis",
        "phone",
        "email",
        "website",
        "status",
    ],
}


def set_actor(user_id: int | None, label: str) -> contextvars.Token:
    return _actor.set((user_id, label))


def reset_actor(token: contextvars.Token) -> None:
    _actor.reset(token)


def current_actor() -> tuple[int | None, str]:
    """(user id, label) of who is changing things now, for audit rows written by hand."""
    return _actor.get()


def _plain(value):
    if isinstance(value, list):
        return sorted(_plain(v) for v in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Provider):
        return value.name
    if hasattr(value, "nis_code"):
        return value.nis_code
    if hasattr(value, "label") and hasattr(value, "id"):
        return value.id
    return value


COLLECTIONS = {"categories", "municipalities"}


def _changes(obj, new: bool) -> dict:
    """Field -> [old, new] for what this flush changes (new objects: [None, value])."""
    state = inspect(obj)
    changes = {}
    for name in TRACKED[type(obj)]:
        new_value = _plain(getattr(obj, name))
        if new:
            if new_value not in (None, [], ""):
                changes[name] = [None, new_value]
            continue
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        if name in COLLECTIONS:
            old_value = _plain(list(history.unchanged) + list(history.deleted))
        else:
            old_value = _plain(history.deleted[0]) if history.deleted else None
        if old_value != new_value:
            changes[name] = [old_value, new_value]
    return changes


def _action(changes: dict, new: bool) -> str:
    if new:
        return "create"
    status = changes.get("status")
    if status == [STATUS_ACTIVE, STATUS_ARCHIVED]:
        return "archive"
    if status == [STATUS_ARCHIVED, STATUS_ACTIVE]:
        return "restore"
    if set(changes) == {"last_checked"}:
        return "check"
    return "update"


def _record(session: Session, flush_context) -> None:
    user_id, label = _actor.get()
    rows = []
    now = utcnow()
    for obj in chain(session.new, session.dirty):
        if type(obj) not in TRACKED:
            continue
        new = obj in session.new
        changes = _changes(obj, new)
        if not changes:
            continue
        rows.append(
            {
                "region_id": obj.region_id,
                "user_id": user_id,
                "actor": label,
                "entity": "service" if isinstance(obj, Service) else "provider",
                "entity_id": obj.id,
                "action": _action(changes, new),
                "changes": changes,
                "created_at": now,
            }
        )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def record_created(session: Session, model: type, created: list[tuple[int, int, dict]]) -> None:
    """Audit rows for objects inserted in bulk (an import's new services), which no flush and so
    no hook sees: (region id, object id, field -> value) each, recorded as a flush would."""
    if not created:
        return
    user_id, label = _actor.get()
    now = utcnow()
    entity = "service" if model is Service else "provider"
    session.connection().execute(
        insert(AuditEntry),
        [
            {
                "region_id": region_id,
                "user_id": user_id,
                "actor": label,
                "entity": entity,
                "entity_id": object_id,
                "action": "create",
                "created_at": now,
                "changes": {
                    name: [None, plain]
                    for name in TRACKED[model]
                    if (plain := _plain(values.get(name))) not in (None, [], "")
                },
            }
            for region_id, object_id, values in created
        ],
    )


def install_audit_hook() -> None:
    if not event.contains(Session, "after_flush", _record):
        event.listen(Session, "after_flush", _record)
