"""Who may open a back-office view: every role guard in one place.

`region_view` asks `scope.staff_region` (region isolation, DESIGN.md invariant 3); the other
guards check a role that is not tied to one zorggebied.
"""

from __future__ import annotations

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .scope import staff_region


def region_view(manage: bool = True):
    """Decorator: replace the URL's `gebied` by the checked Region as `region`."""

    def decorate(view):
        @wraps(view)
        def wrapper(gebied: str, **kwargs):
            return view(region=staff_region(gebied, manage=manage), **kwargs)

        return wrapper

    return decorate


def admin_required(view):
    """Only admins (all zorggebieden); others get 403, anonymous users the login page."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def staff_required(view):
    """Admins and staff of any zorggebied (regisseurs, consulenten); others get 403."""

    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not current_user.is_admin and current_user.region_id is None:
            abort(403)
        return view(*args, **kwargs)

    return wrapper
