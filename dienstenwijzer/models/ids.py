"""Stable public ids (UUIDs) for what the open-data API publishes (HSDS 3.1).

Services and providers get a random UUID when they are created; it is stored and never changes
(a re-import updates the row by its extern_id and keeps it). Taxonomy terms get a name-based
UUID from their category id under the project's fixed namespace, so every install and every
zorggebied gives the same term the same id. Objects without a table of their own (a service's
location, phone, schedule, ...) get a name-based UUID from their service's UUID.
"""

from __future__ import annotations

import uuid

# Fixed for good: changing it would change every taxonomy term's public id.
NAMESPACE = uuid.UUID("5d1e6a3c-8f0b-4c7e-9a57-2b1d0e4f6a91")


def new_uuid() -> str:
    return str(uuid.uuid4())


def name_uuid(*parts: str) -> str:
    """A UUID every install derives the same way from the same parts."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def category_uuid(category_id: str) -> str:
    return name_uuid("category", category_id)


def part_uuid(owner_uuid: str, part: str) -> str:
    """The id of something that belongs to one service or provider, e.g. its location."""
    return str(uuid.uuid5(uuid.UUID(owner_uuid), part))


def category_default(context) -> str:
    return category_uuid(context.get_current_parameters()["id"])
