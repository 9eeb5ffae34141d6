"""Each process's copy of the zorggebieden and the taxonomy: reference data only `init` changes.

A residents' search page read its region, the region's municipalities and every category from
the database on every request: three queries and their objects, 1.2 of the ~11 ms of CPU a page
costs at 100 000 services. Like the places (places.py), each process now keeps them for
CACHE_SECONDS. Regions are handed to a request as that request's own ORM objects
(`Session.merge(load=False)`: no SQL), categories as read-only labels.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .db import db
from .models import Category, Region
from .places import CACHE_SECONDS


def _kept() -> dict:
    """This app's copies (one app per process; each test makes its own app, so a row a test
    changes is read afresh)."""
    return current_app.extensions.setdefault("reference_cache", {})


@dataclass(eq=False)
class CategoryLabel:
    """A taxonomy node as pages show it: a top category (parent None) or a subcategory."""

    id: str
    uuid: str
    label: str
    description: str
    parent_id: str | None
    dienstencheques: bool | None
    position: int
    parent: CategoryLabel | None = None
    children: list[CategoryLabel] = field(default_factory=list)

    @property
    def top(self) -> CategoryLabel:
        return self.parent or self


def public_region_or_404(slug: str) -> Region:
    """The zorggebied of a URL for residents' read-only pages, with its municipalities loaded,
    or a 404. Up to CACHE_SECONDS old: staff pages, and pages that write, read it now
    (web.region_or_404), since staff may change a region's werkwinkel contact."""
    key = ("region", slug)
    hit = _kept().get(key)
    if hit is None or time.monotonic() - hit[0] >= CACHE_SECONDS:
        # Read in a session of its own: the kept objects never belong to a request.
        with Session(db.engine) as session:
            region = session.scalar(
                select(Region)
                .where(Region.slug == slug)
                .options(selectinload(Region.municipalities))
            )
        if region is None:
            abort(404)  # not kept: only real slugs take room
        hit = _kept()[key] = (time.monotonic(), region)
    return db.session.merge(hit[1], load=False)


def category_labels() -> dict[str, CategoryLabel]:
    """Every category by id, in the taxonomy's order."""
    hit = _kept().get("labels")
    if hit is None or time.monotonic() - hit[0] >= CACHE_SECONDS:
        hit = _kept()["labels"] = (time.monotonic(), _read_labels())
    return hit[1]


def _read_labels() -> dict[str, CategoryLabel]:
    with Session(db.engine) as session:
        rows = session.scalars(select(Category).order_by(Category.position)).all()
    labels = {
        c.id: CategoryLabel(
            c.id, c.uuid, c.label, c.description, c.parent_id, c.dienstencheques, c.position
        )
        for c in rows
    }
    for label in labels.values():
        if label.parent_id in labels:
            label.parent = labels[label.parent_id]
            label.parent.children.append(label)  # rows come in position order
    return labels
