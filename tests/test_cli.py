"""The `dienstenwijzer` commands as an operator uses them."""

import pytest
from sqlalchemy import func, select

from dienstenwijzer import create_app, search
from dienstenwijzer.db import db
from dienstenwijzer.models import Region, SearchCount, Service
from dienstenwijzer.search import SearchRequest
from tests.conftest import csv_text, service_row


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def test_import_command_reports_errors_per_line_and_imports_nothing(runner, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_text(
        csv_text([service_row(extern_id="a"), service_row(extern_id="b", categorie="ruimtevaart")])
    )
    result = runner.invoke(args=["import", str(path), "--region", "gent"])
    assert result.exit_code == 1
    assert "regel 3, kolom categorie: onbekende categorie 'ruimtevaart'" in result.output
    assert "aanbod.csv: 1 fout, er is niets geïmporteerd." in result.output
    assert "er is niets geïmporteerd" in result.output
    assert db.session.scalar(select(func.count(Service.id))) == 0


def test_import_command_imports_and_the_index_follows(runner, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_text(csv_text([service_row(extern_id="a")]))
    result = runner.invoke(args=["import", str(path), "--region", "gent"])
    assert result.exit_code == 0, result.output
    assert "Gent: 1 nieuw, 0 bijgewerkt, 0 ongewijzigd (1 nieuwe aanbieder)." in result.output
    assert [h.name for h in search.search("gent", SearchRequest(text="poetsen")).hits] == [
        "Poetsdienst De Bezem"
    ]


def test_import_command_refuses_an_unknown_region(runner, tmp_path):
    path = tmp_path / "aanbod.csv"
    path.write_text(csv_text([service_row()]))
    result = runner.invoke(args=["import", str(path), "--region", "atlantis"])
    assert result.exit_code != 0
    assert "Onbekend zorggebied 'atlantis'" in result.output


def test_reindex_command_rebuilds_with_a_progress_bar(runner, add_services):
    add_services("gent", [service_row(extern_id="a")])
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    assert "Zoekindex opbouwen" in result.output
    assert [h.name for h in search.search("gent", SearchRequest(text="poetsen")).hits] == [
        "Poetsdienst De Bezem"
    ]


def test_init_builds_everything_and_is_safe_to_run_twice(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "x",
        }
    )
    runner = app.test_cli_runner()
    first = runner.invoke(args=["init"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        regions = db.session.scalar(select(func.count(Region.id)))
        services = db.session.scalar(select(func.count(Service.id)))
        assert regions == 11
        assert services >= 11 * 25
        for region in db.session.scalars(select(Region)):
            assert search.search(region.slug, SearchRequest()).total >= 25, region.slug
            assert region.demo_catalogue
            # A year of made-up history, so the monitoring pages show something at once.
            weeks = db.session.scalar(
                select(func.count(SearchCount.week.distinct())).where(
                    SearchCount.region_id == region.id
                )
            )
            assert weeks == 52, region.slug
        history = db.session.scalar(select(func.sum(SearchCount.searches)))
    assert "Demogeschiedenis toegevoegd" in first.output
    second = runner.invoke(args=["init"])
    assert second.exit_code == 0, second.output
    assert "0 nieuw, 0 bijgewerkt" in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Service.id))) == services
        assert db.session.scalar(select(func.sum(SearchCount.searches))) == history  # added once
        db.engine.dispose()


def test_init_without_demo_has_reference_data_only(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "x",
        }
    )
    result = app.test_cli_runner().invoke(args=["init", "--no-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Service.id))) == 0
        assert db.session.scalar(select(func.count(Region.id))) == 11
        assert search.search("gent", SearchRequest()).total == 0
        db.engine.dispose()


def test_create_user_link_names_the_public_url_and_how_to_set_it(runner):
    result = runner.invoke(
        args=[
            "create-user",
            "nieuw@gent.example",
            "--role",
            "regisseur",
            "--region",
            "gent",
            "--link",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/" in result.output
    assert "DIENSTENWIJZER_PUBLIC_URL" in result.output


def test_create_user_link_uses_dienstenwijzer_public_url(app):
    app.config["PUBLIC_URL"] = "https://wijzer.example.be/"
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "nieuw@gent.example",
            "--role",
            "consulent",
            "--region",
            "gent",
            "--link",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "\nhttps://wijzer.example.be/" in result.output
    assert "127.0.0.1" not in result.output and "DIENSTENWIJZER_PUBLIC_URL" not in result.output


def test_create_user_refuses_a_region_for_an_admin(runner):
    from dienstenwijzer.models import User

    result = runner.invoke(
        args=["create-user", "baas@example.org", "--role", "admin", "--region", "gent", "--link"]
    )
    assert result.exit_code != 0
    assert "Fout: Een admin beheert alle zorggebieden: laat --region weg." in result.output
    assert "Error" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_create_user_without_role_says_so_in_dutch(runner):
    result = runner.invoke(args=["create-user", "iemand@example.org", "--link"])
    assert result.exit_code != 0
    assert "Geef met --role de rol op: regisseur, consulent, admin." in result.output


def test_create_user_answers_a_password_mismatch_in_dutch(runner):
    from dienstenwijzer.models import User

    result = runner.invoke(
        args=["create-user", "baas@example.org", "--role", "admin"],
        input="Zonnebloem-Kaai-17-Vlinder\nZonnebloem-Kaai-17-Vlindr\n"
        "Zonnebloem-Kaai-17-Vlinder\nZonnebloem-Kaai-17-Vlinder\n",
    )
    assert result.exit_code == 0, result.output
    assert "De twee wachtwoorden zijn niet gelijk. Probeer het opnieuw." in result.output
    assert "do not match" not in result.output
    assert db.session.scalar(select(User.role).where(User.email == "baas@example.org")) == "admin"


def test_create_user_on_an_empty_database_says_to_run_init(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'leeg.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "x",
        }
    )
    result = app.test_cli_runner().invoke(
        args=["create-user", "baas@example.org", "--role", "admin", "--link"]
    )
    assert result.exit_code != 0
    assert "Fout: De database is nog leeg: voer eerst 'dienstenwijzer init' uit." in result.output
    with app.app_context():
        db.engine.dispose()
