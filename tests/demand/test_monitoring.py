"""Monitoring: figures as charts with tables and CSV, per zorggebied and for admins side by side."""

from dienstenwijzer.demand import handoff
from tests.conftest import login, service_row


def test_region_monitoring_shows_figures_with_tables_and_csv(client, staff, add_services):
    add_services("gent", [service_row(extern_id="a")])
    for q in ("poetsen", "poetsen", "zwembad"):
        client.get(f"/gent/zoeken?q={q}")
    handoff.drain_now()
    login(client, "regisseur@gent.example")
    page = client.get("/gent/beheer/monitoring").get_data(as_text=True)
    assert "33,3 %" in page  # 1 of 3 searches found nothing
    for title in (
        "Zoekopdrachten per week",
        "Meest gezocht",
        "Grootste onvervulde noden",
        "Niches per status",
        "Actualiteit van het aanbod",
    ):
        assert title in page
    assert "<svg" in page and "<table" in page
    csv = client.get("/gent/beheer/monitoring/queries.csv")
    assert csv.mimetype == "text/csv"
    assert "poetsen;2" in csv.get_data(as_text=True)
    assert client.get("/gent/beheer/monitoring/bestaat-niet.csv").status_code == 404
    assert client.get("/kortrijk/beheer/monitoring").status_code == 403


def test_admin_sees_all_regions_side_by_side(client, staff):
    login(client, "admin@dienstenwijzer.example")
    page = client.get("/beheer/monitoring").get_data(as_text=True)
    assert "Zoersel" in page and "Gent" in page
    assert client.get("/beheer/monitoring.csv").get_data(as_text=True).count("\r\n") == 12
    client.post("/afmelden")
    login(client, "regisseur@gent.example")
    assert client.get("/beheer/monitoring").status_code == 403
