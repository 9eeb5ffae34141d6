"""The Alembic migrations build exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from dienstenwijzer.db import Base, db


def test_migrations_match_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_upgrading_a_database_that_holds_data_keeps_it(tmp_path):
    """Batch migrations rebuild tables; on SQLite that failed once a table had rows others
    point at (a niche with its signals), leaving the database half upgraded."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from dienstenwijzer import MIGRATIONS_DIR, create_app

    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "SECRET_KEY": "x",
        }
    )
    with app.app_context():
        upgrade(directory=MIGRATIONS_DIR, revision="0004")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO region (id, slug, name, centre_lat, centre_lon, demo_catalogue) "
                    "VALUES (1, 'gent', 'Gent', 51.05, 3.72, 0)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO niche (id, region_id, title, status, purged_count, created_at, "
                    "updated_at) VALUES (1, 1, 'Kapper aan huis', 'nieuw', 0, '2026-01-01', "
                    "'2026-01-01')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO demand_signal (id, region_id, niche_id, source, text, normalised, "
                    "filters, contact_consent, created_at) VALUES (1, 1, 1, 'zoekopdracht', "
                    "'kapper aan huis', 'kapper', '{}', 0, '2026-01-01')"
                )
            )
        upgrade(directory=MIGRATIONS_DIR, revision="heads")
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT title, confirmed FROM niche")).all() == [
                ("Kapper aan huis", 1)
            ]
            assert conn.execute(text("SELECT niche_id FROM demand_signal")).scalar() == 1
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.engine.dispose()
