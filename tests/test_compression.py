"""Residents' pages travel gzipped when the browser accepts it; staff pages never do."""

import gzip

from flask import make_response

from tests.conftest import service_row


def test_a_search_page_is_gzipped_for_a_browser_that_accepts_it(client, add_services):
    add_services(
        "gent", [service_row(extern_id=str(i), naam=f"Poetsdienst {i}") for i in range(12)]
    )
    plain = client.get("/gent/zoeken?q=poetsen")
    packed = client.get("/gent/zoeken?q=poetsen", headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data
    assert len(packed.data) * 3 < len(plain.data)


def test_a_no_store_response_is_never_compressed(app):
    @app.get("/_test/geheim")
    def secret():
        response = make_response("<p>" + "persoonsgegevens " * 200 + "</p>")
        response.headers["Cache-Control"] = "no-store"
        return response

    response = app.test_client().get("/_test/geheim", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
