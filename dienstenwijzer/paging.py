"""One reading of `?page=` for every list page, public and back office.

A page number is a plain positive number. Anything else (`abc`, `0`, `-1`) is a 404; a number
past the last page shows the last page. Numbers are capped before they reach SQL, so no page
number, however long, can overflow an OFFSET.
"""
from __future__ import annotations

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from .db import db

MAX_PAGE = 10_000


def page_number(raw: str | None = None) -> int:
    """The page asked for (1 when absent), at most MAX_PAGE; a 404 when it is no number."""
    raw = request.args.get("page", "") if raw is None else raw
    if raw == "":
        return 1
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit()) or not digits:
        abort(404, description="Deze pagina bestaat niet. Een paginanummer is 1, 2, 3, …")
    return MAX_PAGE if len(digits) > len(str(MAX_PAGE)) else min(int(digits), MAX_PAGE)


def paginate(query: Select, per_page: int) -> Pagination:
    """The asked page of the query's rows; past the last page, the last page."""
    page = db.paginate(query, page=page_number(), per_page=per_page, error_out=False)
    if page.page > 1 and not page.items:  # an empty list has one (empty) page
        page = db.paginate(query, page=max(page.pages, 1), per_page=per_page, error_out=False)
    return page
