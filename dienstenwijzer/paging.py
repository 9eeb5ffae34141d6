"""One reading of `?page=` for every list page, public and back office.

No page number is a dead end: anything that is not a plain positive number (`abc`, `0`, `-1`)
redirects to the first page, and a number past the last page redirects to the last page.
Numbers are capped before they reach SQL, so no page number, however long, can overflow an
OFFSET.
"""

from __future__ import annotations

from typing import NoReturn

from flask import abort, redirect, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select

from .db import db

MAX_PAGE = 10_000


def page_number(raw: str | None = None) -> int:
    """The page asked for (1 when absent), at most MAX_PAGE; a redirect to page 1 when it is
    no number."""
    raw = request.args.get("page", "") if raw is None else raw
    if raw == "":
        return 1
    digits = raw.lstrip("0")
    if not (raw.isascii() and raw.isdigit()) or not digits:
        go_to_page(1)
    return MAX_PAGE if len(digits) > len(str(MAX_PAGE)) else min(int(digits), MAX_PAGE)


def go_to_page(page: int) -> NoReturn:
    """End this request with a redirect to the same list, with the same filters, at `page`."""
    args = request.args.copy()
    args.poplist("page")
    if page > 1:
        args["page"] = str(page)
    target = url_for(request.endpoint, **(request.view_args or {}), **args.to_dict(flat=False))
    abort(redirect(target))


def keep_in_range(asked: int, pages: int) -> None:
    """Past the last page (an empty list has one, empty, page): redirect to the last one."""
    if asked > max(pages, 1):
        go_to_page(max(pages, 1))


def paginate(query: Select, per_page: int) -> Pagination:
    """The asked page of the query's rows; past the last page, a redirect to the last page."""
    asked = page_number()
    page = db.paginate(query, page=asked, per_page=per_page, error_out=False)
    keep_in_range(asked, page.pages)
    return page
