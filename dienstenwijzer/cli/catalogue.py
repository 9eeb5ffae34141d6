"""Catalogue files: `dienstenwijzer import` (a CSV) and `export-open-data` (HSDS zips)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import ngettext
from sqlalchemy import select

from .. import search
from ..audit import set_actor
from ..catalogue.importer import ImportFileError, apply_import, count_lines, plan_import
from ..db import db
from ..models import Region
from ..places import Places


def import_file(path: Path, region: Region, show_progress: bool = False) -> int | None:
    """Import one CSV for a zorggebied; print every error; how many services it created or
    changed, or None when nothing was written.

    Checks the whole file first (reading only), then writes it in batches; the caller commits
    once, so the import is all or nothing."""
    set_actor(None, f"import {path.name} (opdrachtregel)")
    places = Places(db.session)
    try:
        with _progress(show_progress, count_lines(path), "Controleren") as bar:
            plan = plan_import(
                db.session, region, path, places, progress=bar.update, keep_rows=True
            )
    except ImportFileError as exc:
        click.echo(f"{path.name}: {exc}", err=True)
        return None
    if not plan.ok:
        click.echo(
            f"{path.name}: "
            + ngettext("%(num)d fout", "%(num)d fouten", len(plan.errors))
            + ", er is niets geïmporteerd.",
            err=True,
        )
        for error in plan.errors:
            click.echo(f"  {error}", err=True)
        return None
    with _progress(show_progress, plan.rows, "Inlezen    ") as bar:
        summary = apply_import(db.session, region, plan, places=places, progress=bar.update)
    click.echo(
        f"{region.short_name}: {summary.created} nieuw, {summary.updated} bijgewerkt, "
        f"{summary.unchanged} ongewijzigd ("
        + ngettext(
            "%(num)d nieuwe aanbieder", "%(num)d nieuwe aanbieders", summary.providers_created
        )
        + ")."
    )
    return summary.created + summary.updated


class _NoProgress:
    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, steps: int) -> None:
        pass


def _progress(show: bool, length: int, label: str):
    if not show:
        return _NoProgress()
    return click.progressbar(length=max(length, 1), label=label, file=sys.stderr, show_pos=True)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--region", "slug", required=True, help="Zorggebied, bv. gent.")
@with_appcontext
def import_command(file: Path, slug: str) -> None:
    """Diensten importeren uit een CSV-bestand (zie docs/import.md)."""
    region = db.session.scalar(select(Region).where(Region.slug == slug))
    if region is None:
        slugs = ", ".join(db.session.scalars(select(Region.slug).order_by(Region.slug)))
        raise click.ClickException(f"Onbekend zorggebied '{slug}'. Kies uit: {slugs}")
    changed = import_file(file, region, show_progress=True)
    if changed is None:
        db.session.rollback()
        raise SystemExit(1)
    db.session.commit()
    search.catch_up_after_bulk(changed, wait=30)


@click.command("export-open-data")
@click.option(
    "--region", "slug", help="Alleen dit zorggebied (bv. gent); zonder: Vlaanderen en elk."
)
@with_appcontext
def export_open_data_command(slug: str | None) -> None:
    """De open-databestanden (HSDS-zip per zorggebied en voor Vlaanderen) klaarmaken.

    Na een import en op een vast uur (cron) uitvoeren: een download krijgt dan meteen het
    bestand. Wat al actueel is, blijft staan."""
    from ..api import packages

    slugs = list(db.session.scalars(select(Region.slug).order_by(Region.slug)))
    if slug is not None and slug not in slugs:
        raise click.ClickException(f"Onbekend zorggebied '{slug}'. Kies uit: {', '.join(slugs)}")
    db.session.remove()
    base_url = current_app.config["PUBLIC_URL"]
    for scope in [slug] if slug else [None, *slugs]:
        built = packages.build_scope(scope, base_url)
        name = scope or packages.FLANDERS
        click.echo(f"{name}: {built.name if built else 'wordt al gemaakt door een ander proces'}")
