"""The `dienstenwijzer` command: init, serve, import, reindex (plus Flask's own commands)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import ngettext
from flask_migrate import upgrade
from sqlalchemy import inspect, select

from . import cli_language, search
from .audit import set_actor
from .catalogue.importer import ImportFileError, apply_import, count_lines, plan_import
from .config import PROJECT_ROOT
from .db import db
from .models import Region
from .places import Places
from .reference_data import load_reference_data

# Click's own messages ("Gebruik:", "Fout: Ontbrekende optie …") in Dutch. Before the commands
# below are defined: click translates some words (a path's "bestand") when a command is built.
cli_language.install()


def main() -> None:
    from . import create_app

    FlaskGroup(create_app=create_app, help="Dienstenwijzer: beheer en opstart van de site.")(
        prog_name="dienstenwijzer"
    )


def register_commands(app: Flask) -> None:
    for command in (
        init_command,
        serve_command,
        worker_command,
        import_command,
        reindex_command,
        check_index_command,
        create_user_command,
        purge_command,
        export_open_data_command,
    ):
        app.cli.add_command(command)


def _migrate() -> None:
    # "heads": areas add their tables in independent branches of the migration tree.
    from . import MIGRATIONS_DIR

    upgrade(directory=MIGRATIONS_DIR, revision="heads")


def _import_file(path: Path, region: Region, show_progress: bool = False) -> int | None:
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


def _build_index() -> None:
    total = search.services_to_index()
    with click.progressbar(length=total, label="Zoekindex opbouwen", file=sys.stderr) as bar:
        search.rebuild_index(progress=bar.update)


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
    from .jobs.eligibility_rules import load_directory

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
            if _import_file(path, region) is None:
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
        _build_index()
    if not no_demo:
        _add_demo_history(fixtures)
    click.echo("Klaar.")


def _add_demo_history(fixtures: Path) -> None:
    """A year of made-up searches and needs, once, for the zorggebieden with the demo catalogue."""
    from .demand.demo_history import add_demo_history, has_history
    from .demand.population import inhabitants
    from .jobs.demo_jobs import add_demo_jobs

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


def _index_ready_for_serving() -> None:
    """On start, this host's index must equal the database: build, rebuild or repair it."""
    if not search.has_index():
        click.echo("Er is nog geen zoekindex op deze machine: die wordt nu opgebouwd.")
        _build_index()
        return
    drifts = search.check_index()
    if any(d.outdated_schema for d in drifts):
        click.echo(
            "De zoekindex is door een andere versie gebouwd: die wordt nu opnieuw opgebouwd."
        )
        _build_index()
    elif any(not d.ok for d in drifts):
        rewritten = sum(len(d.to_rewrite) for d in drifts)
        search.check_index(repair_drift=True)
        click.echo(
            f"Zoekindex vergeleken met de databank: "
            f"{ngettext('%(num)d dienst', '%(num)d diensten', rewritten)} bijgewerkt."
        )


@click.command("serve")
@click.option("--port", default=5000, show_default=True, help="Poort op 127.0.0.1.")
@click.option("--workers", default=max(2, os.cpu_count() or 2), show_default=True)
@with_appcontext
def serve_command(port: int, workers: int) -> None:
    """De site starten met gunicorn op 127.0.0.1, met de importwerker ernaast."""
    if "region" not in inspect(db.engine).get_table_names():
        raise click.ClickException("De database is nog leeg: voer eerst 'dienstenwijzer init' uit.")
    _index_ready_for_serving()
    click.echo(f"Dienstenwijzer draait op http://127.0.0.1:{port}/ (Ctrl+C om te stoppen)")
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "--chdir",
        str(PROJECT_ROOT),
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "-",
        "--access-logformat",
        '"%(r)s" %(s)s %(b)s %(L)ss',
        "wsgi:app",
    ]
    worker = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", "worker"]
    raise SystemExit(run_together(gunicorn, worker))


def run_together(main_args: list[str], helper_args: list[str]) -> int:
    """Run a helper process beside the main one; stop both when either ends or on SIGTERM/SIGINT.
    Returns the main process's exit code."""
    helper = subprocess.Popen(helper_args)
    main = subprocess.Popen(main_args)

    def stop(signum, frame) -> None:
        for proc in (main, helper):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while main.poll() is None:
        if helper.poll() is not None:  # the worker died: start it again, imports must go on
            click.echo(
                f"Importwerker gestopt (code {helper.returncode}); opnieuw gestart.", err=True
            )
            helper = subprocess.Popen(helper_args)
        time.sleep(1)
    stop(None, None)
    helper.wait(timeout=120)
    return main.returncode


@click.command("worker")
@click.option("--once", is_flag=True, help="Alleen de wachtende imports uitvoeren en dan stoppen.")
@with_appcontext
def worker_command(once: bool) -> None:
    """Imports uit de webtoepassing op de achtergrond uitvoeren (start mee met 'serve')."""
    from .catalogue.import_jobs import run_pending_jobs

    stopping = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())  # finish the running job, then stop
    poll = float(current_app.config["IMPORT_WORKER_POLL_SECONDS"])
    while not stopping.is_set():
        try:
            run_pending_jobs()
        except Exception:  # the database may be away for a moment; try again later
            logging.getLogger(__name__).exception("import worker: could not look for jobs")
        db.session.remove()
        if once:
            break
        stopping.wait(poll)


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
    changed = _import_file(file, region, show_progress=True)
    if changed is None:
        db.session.rollback()
        raise SystemExit(1)
    db.session.commit()
    search.catch_up_after_bulk(changed, wait=30)


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """De zoekindex volledig opnieuw opbouwen uit de database."""
    _build_index()
    click.echo("Zoekindex opnieuw opgebouwd.")


@click.command("export-open-data")
@click.option(
    "--region", "slug", help="Alleen dit zorggebied (bv. gent); zonder: Vlaanderen en elk."
)
@with_appcontext
def export_open_data_command(slug: str | None) -> None:
    """De open-databestanden (HSDS-zip per zorggebied en voor Vlaanderen) klaarmaken.

    Na een import en op een vast uur (cron) uitvoeren: een download krijgt dan meteen het
    bestand. Wat al actueel is, blijft staan."""
    from .api import packages

    slugs = list(db.session.scalars(select(Region.slug).order_by(Region.slug)))
    if slug is not None and slug not in slugs:
        raise click.ClickException(f"Onbekend zorggebied '{slug}'. Kies uit: {', '.join(slugs)}")
    db.session.remove()
    base_url = current_app.config["PUBLIC_URL"]
    for scope in [slug] if slug else [None, *slugs]:
        built = packages.build_scope(scope, base_url)
        name = scope or packages.FLANDERS
        click.echo(f"{name}: {built.name if built else 'wordt al gemaakt door een ander proces'}")


ROLES = ("regisseur", "consulent", "admin")


def _ask_password(email: str, name: str) -> str:
    """Ask twice, in Dutch, until both match and the password is strong enough."""
    from .accounts.passwords import password_problem, personal_words

    while True:
        password = click.prompt("Wachtwoord", hide_input=True)
        if click.prompt("Herhaal het wachtwoord", hide_input=True) != password:
            click.echo("De twee wachtwoorden zijn niet gelijk. Probeer het opnieuw.", err=True)
            continue
        problem = password_problem(password, personal_words(email, name))
        if problem is None:
            return password
        click.echo(problem, err=True)


def _public_url() -> tuple[str, bool]:
    """The site's address for printed links, and whether someone set it (env or instance file)."""
    from .config import DEFAULTS

    url = (current_app.config.get("PUBLIC_URL") or DEFAULTS["PUBLIC_URL"]).rstrip("/")
    return url, url != DEFAULTS["PUBLIC_URL"]


@click.command("create-user")
@click.argument("email")
@click.option("--role", default="", help="regisseur, consulent of admin.")
@click.option("--region", "slug", help="Zorggebied (niet voor een admin), bv. gent.")
@click.option("--name", default="", help="Naam van de medewerker.")
@click.option(
    "--link",
    is_flag=True,
    help="Geen wachtwoord vragen maar een eenmalige link tonen "
    "(op het adres in DIENSTENWIJZER_PUBLIC_URL).",
)
@with_appcontext
def create_user_command(email: str, role: str, slug: str | None, name: str, link: bool) -> None:
    """Een medewerker aanmaken (vraagt het wachtwoord, of toont een link om het in te stellen)."""
    from .accounts.passwords import hash_password
    from .accounts.tokens import make_token
    from .models import User

    email = email.strip().lower()
    if "user_account" not in inspect(db.engine).get_table_names():
        raise click.ClickException("De database is nog leeg: voer eerst 'dienstenwijzer init' uit.")
    if role not in ROLES:
        raise click.ClickException(
            f"Geef met --role de rol op: {', '.join(ROLES)}. Bijvoorbeeld: --role regisseur --region gent."
        )
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"Er bestaat al een account voor {email}.")
    region = None
    if role == "admin" and slug:
        raise click.ClickException(
            "Een admin beheert alle zorggebieden: laat --region weg. "
            "Wilt u iemand voor één zorggebied, kies dan --role regisseur of --role consulent."
        )
    if role != "admin":
        region = db.session.scalar(select(Region).where(Region.slug == (slug or "")))
        if region is None:
            slugs = ", ".join(db.session.scalars(select(Region.slug).order_by(Region.slug)))
            what = (
                f"Onbekend zorggebied '{slug}'" if slug else "Geef met --region het zorggebied op"
            )
            raise click.ClickException(f"{what}. Kies uit: {slugs}")
    user = User(email=email, name=name, role=role, region=region, active=True)
    if not link:
        user.password_hash = hash_password(_ask_password(email, name))
    db.session.add(user)
    db.session.commit()
    click.echo(f"Account {email} aangemaakt ({role}{', ' + region.slug if region else ''}).")
    if link:
        from flask import url_for

        base, chosen = _public_url()
        from urllib.parse import urlsplit

        # The path (with any prefix in the address) from the router, the host from PUBLIC_URL
        # alone, also when SERVER_NAME is set for something else.
        with current_app.test_request_context(base_url=base):
            path = url_for("accounts.set_password", token=make_token(user))
        parts = urlsplit(base)
        url = f"{parts.scheme}://{parts.netloc}{path}"
        click.echo(f"Eenmalige link om het wachtwoord in te stellen (3 dagen geldig):\n{url}")
        if not chosen:
            click.echo(
                f"Deze link gaat uit van {base}, het standaardadres van 'dienstenwijzer serve'. "
                f"Draait de site op een ander adres of een andere poort, vervang dan {base} in de link "
                "door dat adres. Zet het adres vast in DIENSTENWIJZER_PUBLIC_URL (bv. "
                "export DIENSTENWIJZER_PUBLIC_URL=https://dienstenwijzer.example.be) of als "
                "PUBLIC_URL in instance/dienstenwijzer.cfg.",
                err=True,
            )


@click.command("purge")
@with_appcontext
def purge_command() -> None:
    """Persoonsgegevens wissen na hun bewaartermijn (veilig om dagelijks via cron te draaien)."""
    from .retention import purge

    config = current_app.config
    summary = purge(
        db.session,
        report_contact_days=int(config["REPORT_CONTACT_RETENTION_DAYS"]),
        login_attempt_days=int(config["LOGIN_ATTEMPT_RETENTION_DAYS"]),
        session_days=int(config["LOGIN_SESSION_RETENTION_DAYS"]),
        signal_days=int(config["DEMAND_SIGNAL_RETENTION_DAYS"]),
        referral_months=int(config["REFERRAL_RETENTION_MONTHS"]),
    )
    db.session.commit()
    click.echo(
        f"Gewist: {summary.report_contacts} e-mailadressen bij meldingen, "
        f"{summary.login_attempts} mislukte aanmeldpogingen, {summary.login_sessions} oude sessies, "
        f"{summary.signal_contacts} contactgegevens bij vragen, {summary.signals} oude vragen (tellen nog mee), "
        f"details van {summary.referrals} doorverwijzingen (tellen nog mee)."
    )
