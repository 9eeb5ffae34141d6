"""The search index: `dienstenwijzer reindex` and `check-index`."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from flask_babel import ngettext
from sqlalchemy import select

from .. import search
from ..db import db
from ..models import Region


def build_index() -> None:
    total = search.services_to_index()
    with click.progressbar(length=total, label="Zoekindex opbouwen", file=sys.stderr) as bar:
        search.rebuild_index(progress=bar.update)


def index_ready_for_serving() -> None:
    """On start, this host's index must equal the database: build, rebuild or repair it."""
    if not search.has_index():
        click.echo("Er is nog geen zoekindex op deze machine: die wordt nu opgebouwd.")
        build_index()
        return
    drifts = search.check_index()
    if any(d.outdated_schema for d in drifts):
        click.echo(
            "De zoekindex is door een andere versie gebouwd: die wordt nu opnieuw opgebouwd."
        )
        build_index()
    elif any(not d.ok for d in drifts):
        rewritten = sum(len(d.to_rewrite) for d in drifts)
        search.check_index(repair_drift=True)
        click.echo(
            f"Zoekindex vergeleken met de databank: "
            f"{ngettext('%(num)d dienst', '%(num)d diensten', rewritten)} bijgewerkt."
        )


def _print_drift(drifts: list[search.RegionDrift]) -> None:
    names = {r.slug: r.short_name for r in db.session.scalars(select(Region))}
    click.echo(
        f"{'Zorggebied':<14} {'databank':>9} {'index':>9}  {'controlesom databank/index':<27} toestand"
    )
    for d in drifts:
        if d.outdated_schema:
            state = "gebouwd door een andere versie: voer 'dienstenwijzer reindex' uit"
        elif d.ok:
            state = "in orde"
        else:
            state = f"{len(d.missing)} ontbrekend, {len(d.stale)} verouderd, {len(d.extra)} te veel"
        indexed = "-" if d.index is None else len(d.index)
        sums = f"{search.checksum(d.database)}/{search.checksum(d.index)}"
        click.echo(
            f"{names.get(d.slug, d.slug):<14} {len(d.database):>9} {indexed:>9}  {sums:<27} {state}"
        )


@click.command("check-index")
@click.option(
    "--repair", is_flag=True, help="Herstel wat afwijkt (alleen die diensten opnieuw indexeren)."
)
@with_appcontext
def check_index_command(repair: bool) -> None:
    """De zoekindex vergelijken met de databank, per zorggebied."""
    if not search.has_index():
        raise click.ClickException("Er is nog geen zoekindex: voer 'dienstenwijzer reindex' uit.")
    drifts = search.check_index()
    _print_drift(drifts)
    bad = [d for d in drifts if not d.ok]
    if bad and repair:
        rewritten = sum(len(d.to_rewrite) for d in bad if not d.outdated_schema)
        search.check_index(repair_drift=True)
        drifts = search.check_index()
        click.echo(
            f"\nhersteld: {ngettext('%(num)d dienst', '%(num)d diensten', rewritten)} opnieuw geïndexeerd. Nu:"
        )
        _print_drift(drifts)
        bad = [d for d in drifts if not d.ok]
    if bad:
        raise SystemExit(1)


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """De zoekindex volledig opnieuw opbouwen uit de database."""
    build_index()
    click.echo("Zoekindex opnieuw opgebouwd.")
