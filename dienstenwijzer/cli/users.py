"""Staff accounts: `dienstenwijzer create-user`."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, select

from ..db import db
from ..models import Region

ROLES = ("regisseur", "consulent", "admin")


def _ask_password(email: str, name: str) -> str:
    """Ask twice, in Dutch, until both match and the password is strong enough."""
    from ..accounts.passwords import password_problem, personal_words

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
    from ..config import DEFAULTS

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
    from ..accounts.passwords import hash_password
    from ..accounts.tokens import make_token
    from ..models import User

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
