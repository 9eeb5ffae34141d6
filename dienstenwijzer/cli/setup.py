"""`dienstenwijzer init`: the database, reference data, demo catalogue and demo history."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext
from flask_migrate import upgrade
from sqlalchemy import select

from .. import search
from ..db import db
from ..models import Region
from ..reference_data import load_reference_data
from .catalogue import import_file
from .index import build_index


def _migrate() -> None:
    # "heads": areas add their tables in independent branches of the migration tree.
    from .. import MIGRATIONS_DIR

    upgrade(directory=MIGRATIONS_DIR, revision="heads")


@click.command("init")
@click.option("--no-demo", is_flag=True, help="Laad de fictieve democatalogus niet.")
@with_appcontext
def init_command(no_demo: bool) -> None:
    """Database klaarzetten, referentiegegevens en democatalogus laden, zoekindex bouwen."""
    _migrate()
    fixtures = Path(current_app.config["FIXTURES_DIR"])
    load_reference_data(db.session, fixtures)
    db.session.commit()
    click.echo("Referentiegegevens geladen: gemeenten, postcodes, zorggebieden, taxonomie.")
    from ..jobs.eligibility_rules import load_directory

    added = load_directory(db.session, fixtures / "regels")
    if not no_demo:
        # Today's rule sets, with their regulation; to be checked by a werkwinkel (see README).
        added += load_directory(db.session, fixtures / "regels" / "actueel")
    db.session.commit()
    click.echo(f"Regelsets voor de werkwinkel geladen ({added} nieuw).")
    if not no_demo:
        for path in sorted((fixtures / "catalogus").glob("*.csv")):
            region = db.session.scalar(select(Region).where(Region.slug == path.stem))
            if region is None:
                raise click.ClickException(f"{path.name}: geen zorggebied '{path.stem}'")
            if import_file(path, region) is None:
                db.session.rollback()
                raise SystemExit(1)
            region.demo_catalogue = True
        db.session.commit()
    if search.has_index() and search.index_is_current_format():
        applied = search.sync(wait=30)
        click.echo(
            f"Zoekindex bijgewerkt ({ngettext('%(num)d wijziging', '%(num)d wijzigingen', applied)})."
        )
    else:
        build_index()
    if not no_demo:
        _add_demo_history(fixtures)
    click.echo("Klaar.")


def _add_demo_history(fixtures: Path) -> None:
    """A year of made-up searches and needs, once, for the zorggebieden with the demo catalogue."""
    from ..demand.demo_history import add_demo_history, has_history
    from ..demand.population import inhabitants
    from ..jobs.demo_jobs import add_demo_jobs

    people = inhabitants(fixtures)
    regions = [
        r
        for r in db.session.scalars(
            select(Region).where(Region.demo_catalogue.is_(True)).order_by(Region.slug)
        )
        if not has_history(db.session, r)
    ]
    for region in regions:
        add_demo_history(db.session, region, search.synonyms(region.slug), dt.date.today(), people)
    add_demo_jobs(db.session)  # vacancies and referrals, once, for the werkwinkel pages
    db.session.commit()
    if regions:
        click.echo(
            f"Demogeschiedenis toegevoegd: 12 maanden verzonnen zoekopdrachten en vragen "
            f"voor {ngettext('%(num)d zorggebied', '%(num)d zorggebieden', len(regions))}."
        )
