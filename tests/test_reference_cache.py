"""Residents' pages take their zorggebied and the taxonomy from the process's copy."""

import re

from sqlalchemy import event

from dienstenwijzer.db import db
from dienstenwijzer.reference_cache import category_labels
from tests.conftest import service_row

REFERENCE_TABLE = re.compile(r"\bFROM (region|municipality|category)\b", re.IGNORECASE)


def test_a_search_page_reads_no_reference_rows_once_the_process_has_them(app, client, add_services):
    add_services("gent", [service_row(extern_id="a")])
    client.get("/gent/zoeken?q=poetsen")  # the process reads them once
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get("/gent/zoeken?q=poetsen&gemeente=44021").get_data(as_text=True)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    assert [s for s in statements if REFERENCE_TABLE.search(s)] == []
    # ...and the page is whole: the result, its category's label, the ticked municipality.
    assert "Poetsdienst De Bezem" in page
    with app.test_request_context():
        label = category_labels()["poetsen"].label
    assert f'<span class="tag">{label}</span>' in page
    assert re.search(r'id="gem-44021" name="gemeente" value="44021"\s+checked', page)


def test_category_labels_know_their_top_category_and_children(app):
    with app.test_request_context():
        labels = category_labels()
    tops = [c for c in labels.values() if c.parent_id is None]
    assert tops and all(c.top is c for c in tops)
    for top in tops:
        assert [c.position for c in top.children] == sorted(c.position for c in top.children)
        assert all(c.top is top and c.parent_id == top.id for c in top.children)
    assert sum(len(t.children) for t in tops) + len(tops) == len(labels)
