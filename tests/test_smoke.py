from tests.conftest import service_row


def test_imported_service_is_found_on_the_region_site(client, add_services):
    add_services("gent", [service_row(extern_id="a1")])
    page = client.get("/gent/zoeken?q=kuisen")
    assert page.status_code == 200
    assert "Poetsdienst De Bezem" in page.get_data(as_text=True)
