"""Region isolation (DESIGN.md invariant 3): every back-office endpoint × role × object.

The matrix is built from the app's URL map: every endpoint under /<gebied>/beheer/ or /beheer/
becomes a test, and one without an entry in EXPECTATIONS fails until whoever added it decides
what each role may do there.

Roles: anonymous, the regisseur of another zorggebied (Kortrijk: "other"), the consulent of
Gent, the regisseur of Gent, an admin. Targets:

    gent               /gent/beheer/...      with Gent's objects
    kortrijk           /kortrijk/beheer/...  with Kortrijk's objects
    kortrijk-via-gent  /gent/beheer/...      with Kortrijk's objects (ids, provider, import token)

Every case checks the status; that a page of one zorggebied never shows another's service or
provider names (a refusal shows none at all); and in the database that a refused request
changed nothing (no row, no outbox row, no audit row) while an allowed one changed only rows
of the URL's zorggebied. Each role works on its own objects, so one role's allowed change never
hides another role's refusal.

A new back-office area adds: its endpoints to EXPECTATIONS, its objects to `build_world` (one
per zorggebied and role, ids in `World.ids`), its URL arguments to OBJECT_ARGS, and its tables
to TABLES (so that "refused means unchanged" covers them).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from flask import Flask, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session

from dienstenwijzer import create_app, search
from dienstenwijzer.catalogue import editing, import_jobs
from dienstenwijzer.catalogue.reports import file_report, handle_report
from dienstenwijzer.db import db
from dienstenwijzer.demand import niches
from dienstenwijzer.demand.signals import record_search_miss
from dienstenwijzer.models import (
    AuditEntry,
    Category,
    DemandSignal,
    ImportJob,
    IndexOutbox,
    Municipality,
    Niche,
    NicheAlert,
    Provider,
    Region,
    RegionSynonym,
    Report,
    Service,
    User,
)
from dienstenwijzer.teaching import words
from tests.conftest import PG_URL, csv_text, import_rows, login, make_user, service_row

ROLES = ("anonymous", "other", "consulent", "regisseur", "admin")
STAFF = {  # role -> (e-mail, role in the app, zorggebied)
    "other": ("regisseur@kortrijk.example", "regisseur", "kortrijk"),
    "consulent": ("consulent@gent.example", "consulent", "gent"),
    "regisseur": ("regisseur@gent.example", "regisseur", "gent"),
    "admin": ("admin@dienstenwijzer.example", "admin", None),
}
REGIONS = ("gent", "kortrijk")
PLACE = {
    "gent": {"gemeenten": "Gent", "straat": "Korenmarkt 1", "postcode": "9000", "gemeente": "Gent"},
    "kortrijk": {
        "gemeenten": "Kortrijk",
        "straat": "Grote Markt 1",
        "postcode": "8500",
        "gemeente": "Kortrijk",
    },
}
# Names that occur nowhere else on a page, so finding one in a page means it leaked.
SERVICE_NAME = {"gent": "Scheldedienst", "kortrijk": "Leiedienst"}
PROVIDER_NAME = {"gent": "Schelde-aanbieder", "kortrijk": "Leie-aanbieder"}
NEED_WORD = {"gent": "Scheldewens", "kortrijk": "Leiewens"}  # niches are named after the need
TAUGHT_WORD = {"gent": "scheldewoord", "kortrijk": "leiewoord"}  # words taught the search
# One set of objects (provider, service, report, staff account) per role, plus an archived
# provider with its service and a handled report for the archive and "afgehandeld" lists.
TAGS = (*ROLES, "archief")
SECRET = "isolation-secret"
STALE = dt.timedelta(days=300)  # listed as "te controleren" (> 182 days), not yet hidden (548)

CATALOGUE, ZORGGEBIED, ADMIN, STAFF_HOME = "catalogue", "zorggebied", "admin", "staff-home"
LOGIN = "login"  # expected: 302 to /aanmelden


# -- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    app: Flask
    ids: dict  # (kind, region slug, tag) -> id; kinds: service, provider, report, user
    region_ids: dict[str, int]
    cookies: dict[str, str]  # role -> session cookie of a login through the real form

    def client(self, role: str):
        """A fresh client per case: no flash message of an earlier case can show up."""
        client = self.app.test_client()
        if role in self.cookies:
            client.set_cookie("session", self.cookies[role], domain="dienstenwijzer.test")
        return client


def _world_config(url: str, index_dir) -> dict:
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "INDEX_DIR": str(index_dir),
        "SECRET_KEY": SECRET,
        "SERVER_NAME": "dienstenwijzer.test",
        "OUTBOX_POLL_SECONDS": 3600,
        "WTF_CSRF_ENABLED": False,
    }


def build_world(app: Flask) -> tuple[dict, dict, dict]:
    """Both zorggebieden's catalogues, reports and accounts, through the app's own functions."""
    with app.app_context():
        for slug in REGIONS:
            rows = []
            for tag in TAGS:
                # Kortrijk's own services have no extern_id: the import then knows them as
                # "dw-<id>", a lookup by id that must stay inside the zorggebied.
                extern = f"{slug}-{tag}" if slug == "gent" or tag == "archief" else ""
                rows.append(
                    service_row(
                        extern_id=extern,
                        naam=f"{SERVICE_NAME[slug]} {tag}",
                        aanbieder=f"{PROVIDER_NAME[slug]} {tag}",
                        **PLACE[slug],
                    )
                )
            import_rows(slug, rows)
        for email, role, slug in STAFF.values():
            make_user(email, role, slug)
        regions = {
            r.slug: r for r in db.session.scalars(select(Region).where(Region.slug.in_(REGIONS)))
        }
        jobs = {}  # one checked import per zorggebied and role, to look at, confirm or cancel
        for slug in REGIONS:
            for tag in ROLES:
                text = csv_text(
                    [
                        service_row(
                            extern_id=f"{slug}-job-{tag}",
                            naam=f"{SERVICE_NAME[slug]} job {tag}",
                            aanbieder=f"{PROVIDER_NAME[slug]} {tag}",
                            **PLACE[slug],
                        )
                    ]
                )
                jobs[(slug, tag)] = import_jobs.create_job(
                    db.session,
                    regions[slug],
                    None,
                    f"{slug}-opgeladen-{tag}.csv",
                    io.BytesIO(text.encode()),
                )
        db.session.commit()
        import_jobs.run_pending_jobs()
        admin = db.session.scalar(select(User).where(User.email == STAFF["admin"][0]))
        ids = {}
        for slug in REGIONS:
            for tag in TAGS:
                service = db.session.scalar(
                    select(Service).where(Service.name == f"{SERVICE_NAME[slug]} {tag}")
                )
                editing.mark_checked(db.session, service, today=dt.date.today() - STALE)
                report = file_report(
                    db.session, service, "Het telefoonnummer klopt niet meer.", None, False
                )
                target = User(
                    email=f"doel-{tag}@{slug}.example",
                    name=f"Doel {tag}",
                    role="consulent",
                    region=regions[slug],
                    active=True,
                    password_hash=None,
                )
                db.session.add(target)
                db.session.flush()
                ids[("service", slug, tag)] = service.id
                ids[("provider", slug, tag)] = service.provider_id
                ids[("report", slug, tag)] = report.id
                ids[("user", slug, tag)] = target.id
                if tag in ROLES:
                    ids[("import_job", slug, tag)] = jobs[(slug, tag)].id
                # A niche with two signals (to split), a second one (to merge into), an alert.
                synonyms = search.synonyms()
                for text in (
                    f"{NEED_WORD[slug]} {tag}",
                    f"{NEED_WORD[slug]} {tag}",
                    f"{NEED_WORD[slug]} {tag} tweede",
                ):
                    signal = record_search_miss(db.session, regions[slug], synonyms, text, {}, None)
                    ids.setdefault(("niche", slug, tag), signal.niche_id)
                ids[("other-niche", slug, tag)] = signal.niche_id
                # A split in the niche's history, for "undo" (its signal goes back).
                extra = record_search_miss(
                    db.session, regions[slug], synonyms, f"{NEED_WORD[slug]} {tag}", {}, None
                )
                niche = db.session.get(Niche, ids[("niche", slug, tag)])
                assert extra.niche_id == niche.id
                niches.split(db.session, niche, [extra.id], f"{NEED_WORD[slug]} apart {tag}")
                ids[("niche_event", slug, tag)] = niches.history(db.session, niche)[0].id
                alert = NicheAlert(niche_id=ids[("niche", slug, tag)], service_id=service.id)
                db.session.add(alert)
                db.session.flush()
                ids[("alert", slug, tag)] = alert.id
                poetsen = words.Target(category=db.session.get(Category, "poetsen"))
                taught = words.add_word(
                    db.session, regions[slug], f"{TAUGHT_WORD[slug]} {tag}", poetsen
                )
                ids[("synonym", slug, tag)] = taught.id
                if tag == "archief":
                    editing.archive_provider(db.session, service.provider)
                    handle_report(db.session, report, admin, "Opgelost.")
        db.session.commit()
        search.sync(wait=5)
        region_ids = {slug: r.id for slug, r in regions.items()}
        db.session.remove()
    cookies = {}
    for role, (email, _, _) in STAFF.items():
        client = app.test_client()
        assert login(client, email).status_code == 302
        cookies[role] = client.get_cookie("session", domain="dienstenwijzer.test").value
    return ids, region_ids, cookies


@pytest.fixture(scope="module")
def world_template(database_template, tmp_path_factory):
    """SQLite: build the world once per module, with its logins; each test gets a copy."""
    if PG_URL:
        return None
    tmp = tmp_path_factory.mktemp("isolation-world")
    shutil.copy(database_template, tmp / "world.sqlite3")
    app = create_app(_world_config(f"sqlite:///{tmp / 'world.sqlite3'}", tmp / "index"))
    with app.app_context():
        search.rebuild_index()
    built = build_world(app)
    with app.app_context():
        db.engine.dispose()
    return tmp, built


@pytest.fixture
def world(world_template, app_config, tmp_path):
    """A fresh copy of the world for each test (DESIGN.md: each test a fresh database and index)."""
    if world_template is None:  # PostgreSQL: build it again (app_config emptied the tables)
        app = create_app({**app_config, "SECRET_KEY": SECRET})
        with app.app_context():
            search.rebuild_index()
        built = build_world(app)
    else:
        source, built = world_template
        for suffix in ("", "-wal"):
            if (source / f"world.sqlite3{suffix}").exists():
                shutil.copy(source / f"world.sqlite3{suffix}", tmp_path / f"world.sqlite3{suffix}")
        shutil.copytree(source / "index", tmp_path / "world-index", symlinks=True)
        app = create_app(
            {
                **app_config,
                "SECRET_KEY": SECRET,
                "INDEX_DIR": str(tmp_path / "world-index"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'world.sqlite3'}",
            }
        )
    yield World(app, *built)
    with app.app_context():
        db.engine.dispose()


# -- what each request sends --------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    endpoint: str
    method: str
    role: str
    target: str  # gent | kortrijk | kortrijk-via-gent | - (no zorggebied, no object)

    @property
    def url_region(self) -> str | None:
        return {"gent": "gent", "kortrijk": "kortrijk", "kortrijk-via-gent": "gent"}.get(
            self.target
        )

    @property
    def obj_region(self) -> str | None:
        return {"gent": "gent", "kortrijk": "kortrijk", "kortrijk-via-gent": "kortrijk"}.get(
            self.target
        )

    def __str__(self) -> str:
        return f"{self.method} {self.endpoint} as {self.role} on {self.target}"


@dataclass
class Ctx:
    """What a form builder may look at: the case, the world's ids and a database session."""

    case: Case
    world: World
    session: Session

    def id(self, kind: str) -> int:
        return self.world.ids[(kind, self.case.obj_region, self.case.role)]

    def service(self) -> Service:
        return self.session.get(Service, self.id("service"))

    def provider(self) -> Provider:
        return self.session.get(Provider, self.id("provider"))

    def user(self) -> User:
        return self.session.get(User, self.id("user"))

    def niche(self) -> Niche:
        return self.session.get(Niche, self.id("niche"))

    def town(self, slug: str) -> Municipality:
        return self.session.scalar(
            select(Municipality).where(Municipality.name == PLACE[slug]["gemeente"])
        )


def service_form(ctx: Ctx) -> dict:
    s = ctx.service()
    return {
        "name": f"{s.name} gewijzigd",
        "provider_id": str(s.provider_id),
        "description": s.description,
        "categories": [c.id for c in s.categories],
        "served_region": [m.nis_code for m in s.municipalities],
        "street": s.street or "",
        "postcode": s.postcode or "",
        "town": s.municipality.name if s.municipality else "",
        **({"dienstencheques": "y"} if s.dienstencheques else {}),
    }


def new_service_form(ctx: Ctx) -> dict:
    """Valid for the URL's zorggebied, with the provider of the object's zorggebied."""
    place = PLACE[ctx.case.url_region]
    return {
        "name": f"{SERVICE_NAME[ctx.case.url_region]} nieuw {ctx.case.role}",
        "provider_id": str(ctx.id("provider")),
        "description": "Wij maken uw ramen en uw gang proper, elke maand.",
        "categories": ["poetsen"],
        "served_region": [ctx.town(ctx.case.url_region).nis_code],
        "street": place["straat"],
        "postcode": place["postcode"],
        "town": place["gemeente"],
    }


def provider_form(ctx: Ctx) -> dict:
    p = ctx.provider()
    return {
        "name": f"{p.name} gewijzigd",
        "street": p.street or "",
        "postcode": p.postcode or "",
        "town": p.municipality.name if p.municipality else "",
    }


def new_provider_form(ctx: Ctx) -> dict:
    return {"name": f"{PROVIDER_NAME[ctx.case.url_region]} nieuw {ctx.case.role}"}


def import_file(ctx: Ctx) -> dict:
    """A file for the URL's zorggebied; sent to /gent/ with Kortrijk's ids as its extern_id
    (tests/catalogue/test_import_jobs.py checks that its import then touches no Kortrijk row)."""
    url, role = ctx.case.url_region, ctx.case.role
    if ctx.case.target == "kortrijk-via-gent":
        externs = [f"dw-{ctx.id('service')}", "kortrijk-archief"]
    else:
        externs = [f"{url}-import-{role}"]
    rows = [
        service_row(
            extern_id=e,
            naam=f"{SERVICE_NAME[url]} import {role} {i}",
            aanbieder=f"{PROVIDER_NAME[url]} import {role}",
            **PLACE[url],
        )
        for i, e in enumerate(externs)
    ]
    return {"file": (io.BytesIO(csv_text(rows).encode()), f"{url}-import-{role}.csv")}


def user_form(ctx: Ctx) -> dict:
    u = ctx.user()
    return {
        "email": u.email,
        "name": f"{u.name} gewijzigd",
        "role": "consulent",
        "region": ctx.case.obj_region,
        "active": "y",
    }


def new_user_form(ctx: Ctx) -> dict:
    return {
        "email": f"nieuw-{ctx.case.role}@example.org",
        "name": "Nieuwe consulent",
        "role": "consulent",
        "region": "gent",
        "active": "y",
    }


def history_filter(ctx: Ctx) -> dict:
    return {"soort": "service", "id": ctx.id("service")}


def desk_form(ctx: Ctx) -> dict:
    return {
        "need": f"{NEED_WORD[ctx.case.url_region]} aan de balie {ctx.case.role}",
        "municipality": "",
        "urgency": "",
        "frequency": "",
    }


def niche_form(ctx: Ctx) -> dict:
    return {
        "title": f"{ctx.niche().title} gewijzigd",
        "status": "onderzocht",
        "service_id": "0",
        "reason": "",
    }


def merge_form(ctx: Ctx) -> dict:
    return {"merge-into": str(ctx.id("other-niche")), "bevestigd": "ja"}  # past the confirm page


def split_form(ctx: Ctx) -> dict:
    first = min(s.id for s in ctx.niche().signals)
    return {
        "signal": [str(first)],
        "title": f"{NEED_WORD[ctx.case.obj_region]} deel {ctx.case.role}",
        "bevestigd": "ja",
    }  # past the confirm page


def new_synonym_form(ctx: Ctx) -> dict:
    """ "Dit bedoelden ze": the object's niche met by the object's service (/gent/ with
    Kortrijk's: the niche is not found)."""
    return {
        "term": f"{TAUGHT_WORD[ctx.case.url_region]} nieuw {ctx.case.role}",
        "target": f"dienst:{ctx.id('service')}",
        "niche": str(ctx.id("niche")),
    }


def synonym_form(ctx: Ctx) -> dict:
    return {
        "term": f"{TAUGHT_WORD[ctx.case.obj_region]} {ctx.case.role} gewijzigd",
        "target": "categorie:strijkatelier",
    }


def archive_services(session: Session, world: World) -> None:
    for (kind, _, tag), object_id in world.ids.items():
        if kind == "service" and tag != "archief":
            editing.archive_service(session, session.get(Service, object_id))


def archive_providers(session: Session, world: World) -> None:
    for (kind, _, tag), object_id in world.ids.items():
        if kind == "provider" and tag != "archief":
            editing.archive_provider(session, session.get(Provider, object_id))


# -- the expectations table ---------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """What a role that may use the endpoint gets; who may is decided by `kind`:

    catalogue   the zorggebied's regisseur and admins (consulenten: 403); objects of another
                zorggebied addressed through the URL's zorggebied: 404 (for everyone)
    zorggebied  as catalogue, and the zorggebied's consulenten too
    admin       admins only
    staff-home  every member of staff; admins see it, others are sent to their own dashboard
    """

    kind: str
    ok: dict[str, int]  # method -> status
    form: Callable[[Ctx], dict] | None = None  # POST body
    query: Callable[[Ctx], dict] | None = None  # GET query string
    changes: bool = True  # an allowed POST changes the URL's zorggebied (admin: accounts)
    # Endpoints without an object id: the status when /gent/ is sent Kortrijk's data.
    foreign: dict[str, int] = field(default_factory=dict)
    prepare: Callable[[Session, World], None] | None = (
        None  # e.g. archive what "restore" brings back
    )
    check: Callable[[str], None] | None = None  # more checks on an allowed answer's body
    # Sent another zorggebied's data, the request may still change the URL's zorggebied
    # (an upload queues an import job there; what its import may touch is tested apart).
    foreign_changes: bool = False
    args: dict[str, str] = field(default_factory=dict)  # URL arguments that are not objects


GET, POST, BOTH = {"GET": 200}, {"POST": 302}, {"GET": 200, "POST": 302}
EXPECTATIONS: dict[str, Expect] = {
    "catalogue.dashboard": Expect(CATALOGUE, GET),
    "catalogue.services": Expect(CATALOGUE, GET),
    "catalogue.new_service": Expect(CATALOGUE, BOTH, form=new_service_form, foreign={"POST": 400}),
    "catalogue.edit_service": Expect(CATALOGUE, BOTH, form=service_form),
    "catalogue.preview_service": Expect(CATALOGUE, GET),
    "catalogue.archive_service": Expect(CATALOGUE, BOTH),
    "catalogue.restore_service": Expect(CATALOGUE, POST, prepare=archive_services),
    "catalogue.check_service": Expect(CATALOGUE, POST),
    "catalogue.stale": Expect(CATALOGUE, GET),
    "catalogue.providers": Expect(CATALOGUE, GET),
    "catalogue.new_provider": Expect(CATALOGUE, BOTH, form=new_provider_form),
    "catalogue.edit_provider": Expect(CATALOGUE, BOTH, form=provider_form),
    "catalogue.archive_provider": Expect(CATALOGUE, BOTH),
    "catalogue.restore_provider": Expect(CATALOGUE, POST, prepare=archive_providers),
    "catalogue.history": Expect(CATALOGUE, GET, query=history_filter, foreign={"GET": 200}),
    "catalogue.reports": Expect(CATALOGUE, GET),
    "catalogue.handle": Expect(CATALOGUE, POST, form=lambda ctx: {"note": "Nummer aangepast."}),
    "catalogue.import_csv": Expect(
        CATALOGUE,
        {"GET": 200, "POST": 302},
        form=import_file,
        foreign={"POST": 302},
        foreign_changes=True,
    ),
    "catalogue.import_job": Expect(CATALOGUE, GET),
    "catalogue.confirm_import": Expect(CATALOGUE, POST),
    "catalogue.cancel_import": Expect(CATALOGUE, POST),
    "catalogue.export_csv": Expect(CATALOGUE, GET),
    "demand.desk_need": Expect(ZORGGEBIED, BOTH, form=desk_form),
    "demand.board": Expect(CATALOGUE, GET),
    "demand.niche_detail": Expect(CATALOGUE, BOTH, form=niche_form),
    "demand.merge": Expect(CATALOGUE, POST, form=merge_form),
    "demand.split": Expect(CATALOGUE, POST, form=split_form),
    "demand.undo": Expect(CATALOGUE, POST),
    "demand.dismiss_alert": Expect(CATALOGUE, POST),
    "demand.region_monitoring": Expect(CATALOGUE, GET),
    "demand.region_monitoring_csv": Expect(CATALOGUE, GET, args={"name": "needs"}),
    "teaching.synonyms": Expect(CATALOGUE, GET),
    "teaching.new_synonym": Expect(CATALOGUE, BOTH, form=new_synonym_form, foreign={"POST": 404}),
    "teaching.edit_synonym": Expect(CATALOGUE, BOTH, form=synonym_form),
    "teaching.delete_synonym": Expect(CATALOGUE, BOTH),
    "demand.all_monitoring": Expect(ADMIN, GET),
    "demand.all_monitoring_csv": Expect(ADMIN, GET),
    "accounts_admin.overview": Expect(STAFF_HOME, GET),
    "accounts_admin.users": Expect(ADMIN, GET),
    "accounts_admin.new_user": Expect(ADMIN, {"GET": 200, "POST": 200}, form=new_user_form),
    "accounts_admin.edit_user": Expect(ADMIN, BOTH, form=user_form),
    "accounts_admin.new_link": Expect(ADMIN, {"POST": 200}, changes=False),
}
OBJECT_ARGS = {
    "service_id": "service",
    "provider_id": "provider",
    "report_id": "report",
    "user_id": "user",
    "niche_id": "niche",
    "alert_id": "alert",
    "job_id": "import_job",
    "synonym_id": "synonym",
    "event_id": "niche_event",
}


# -- the URL map --------------------------------------------------------------------------------

BACK_OFFICE_RULE = re.compile(r"^/(<gebied>/)?beheer(/|$)")


def _back_office_rules() -> dict[str, tuple[frozenset[str], frozenset[str]]]:
    """endpoint -> (methods, URL arguments) of every back-office rule, from the app's URL map."""
    app = create_app(
        {"DATABASE_URL": "sqlite://", "INDEX_DIR": "/nonexistent/index", "SECRET_KEY": "x"}
    )
    found: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for rule in app.url_map.iter_rules():
        if BACK_OFFICE_RULE.match(rule.rule):
            methods, args = found.get(rule.endpoint, (frozenset(), frozenset()))
            found[rule.endpoint] = (
                methods | (rule.methods - {"HEAD", "OPTIONS"}),
                args | rule.arguments,
            )
    with app.app_context():
        db.engine.dispose()
    return found


BACK_OFFICE = _back_office_rules()
ENDPOINT_METHODS = sorted(
    (endpoint, method) for endpoint, (methods, _) in BACK_OFFICE.items() for method in methods
)


def targets(endpoint: str, method: str) -> list[str]:
    expect = EXPECTATIONS[endpoint]
    args = BACK_OFFICE[endpoint][1]
    has_object = bool(args & OBJECT_ARGS.keys())
    if "gebied" not in args:
        return ["gent", "kortrijk"] if has_object else ["-"]
    if has_object or method in expect.foreign:
        return ["gent", "kortrijk", "kortrijk-via-gent"]
    return ["gent", "kortrijk"]


def expected(case: Case) -> tuple[int | str, str | None]:
    """(status or LOGIN, where a 302 must lead: a path or the start of one) for one case."""
    expect = EXPECTATIONS[case.endpoint]
    ok = expect.ok[case.method]
    if case.role == "anonymous":
        return LOGIN, "/aanmelden"
    if expect.kind == ADMIN:
        return (ok, None) if case.role == "admin" else (403, None)
    if expect.kind == STAFF_HOME:
        if case.role == "admin":
            return ok, None
        return 302, f"/{STAFF[case.role][2]}/"  # somewhere in their own zorggebied
    may = case.role == "admin" or (case.role, case.url_region) in {
        ("regisseur", "gent"),
        ("other", "kortrijk"),
    }
    if expect.kind == ZORGGEBIED:
        may = may or (case.role, case.url_region) == ("consulent", "gent")
    if not may:
        return 403, None
    if case.target == "kortrijk-via-gent":
        if BACK_OFFICE[case.endpoint][1] & OBJECT_ARGS.keys():
            return 404, None  # the object is not in the URL's zorggebied: not found, for admins too
        return expect.foreign[case.method], None
    return ok, None


def count_cases() -> int:
    return sum(len(targets(e, m)) * len(ROLES) for e, m in ENDPOINT_METHODS if e in EXPECTATIONS)


# -- the database before and after --------------------------------------------------------------


def _tables() -> dict:
    """name -> select of (id, zorggebied id, what a change would alter...); TEXT: shown names."""
    return {
        "service": select(
            Service.id,
            Service.region_id,
            Service.name,
            Service.provider_id,
            Service.description,
            Service.status,
            Service.last_checked,
            Service.updated_at,
        ),
        "provider": select(
            Provider.id, Provider.region_id, Provider.name, Provider.status, Provider.updated_at
        ),
        "niche": select(
            Niche.id,
            Niche.region_id,
            Niche.title,
            Niche.status,
            Niche.service_id,
            Niche.reason,
            Niche.purged_count,
            Niche.updated_at,
        ),
        "report": select(
            Report.id, Report.region_id, Report.handled_at, Report.handled_by_id, Report.note
        ),
        "user": select(
            User.id,
            User.region_id,
            User.email,
            User.name,
            User.role,
            User.active,
            User.password_hash,
        ),
        "demand_signal": select(
            DemandSignal.id, DemandSignal.region_id, DemandSignal.niche_id, DemandSignal.text
        ),
        "niche_alert": select(
            NicheAlert.id, Niche.region_id, NicheAlert.niche_id, NicheAlert.dismissed_at
        ).join(Niche, NicheAlert.niche_id == Niche.id),
        "import_job": select(
            ImportJob.id,
            ImportJob.region_id,
            ImportJob.filename,
            ImportJob.status,
            ImportJob.confirmed_by_id,
        ),
        "region_synonym": select(
            RegionSynonym.id,
            RegionSynonym.region_id,
            RegionSynonym.term,
            RegionSynonym.category_id,
            RegionSynonym.service_id,
        ),
    }


TEXT = (
    "service",
    "provider",
    "niche",
    "import_job",
    "region_synonym",
)  # tables whose third column is a name shown on pages


def snapshot(app: Flask) -> dict:
    with app.app_context(), Session(db.engine) as s:
        state = {
            name: {r[0]: (r[1], tuple(r)) for r in s.execute(query)}
            for name, query in _tables().items()
        }
        state["outbox"] = {
            r.id: r.service_id for r in s.execute(select(IndexOutbox.id, IndexOutbox.service_id))
        }
        state["audit"] = {
            r.id: r.region_id for r in s.execute(select(AuditEntry.id, AuditEntry.region_id))
        }
        return state


def differences(before: dict, after: dict) -> tuple[list, list, list]:
    """Changed rows as (table, id, zorggebied id); the zorggebieden of new outbox and audit rows."""
    changed = []
    for table in _tables():
        old, new = before[table], after[table]
        for key in sorted(old.keys() | new.keys()):
            if old.get(key) != new.get(key):
                changed.append((table, key, (new.get(key) or old.get(key))[0]))
    services = {**before["service"], **after["service"]}
    outbox = [
        services.get(sid, (None,))[0]
        for i, sid in after["outbox"].items()
        if i not in before["outbox"]
    ]
    audit = [region for i, region in after["audit"].items() if i not in before["audit"]]
    return changed, outbox, audit


def names_by_region(state: dict) -> dict[int, set[str]]:
    names: dict[int, set[str]] = {}
    for table in TEXT:
        for region_id, row in state[table].values():
            names.setdefault(region_id, set()).add(row[2])
    return names


# -- running the matrix -------------------------------------------------------------------------


def run_case(world: World, case: Case) -> None:
    expect = EXPECTATIONS[case.endpoint]
    args = BACK_OFFICE[case.endpoint][1]
    with world.app.app_context(), Session(db.engine) as session:
        ctx = Ctx(case, world, session)
        values = {}
        for arg in args:
            if arg == "gebied":
                values[arg] = case.url_region
            elif arg in OBJECT_ARGS:
                values[arg] = ctx.id(OBJECT_ARGS[arg])
            elif arg in expect.args:
                values[arg] = expect.args[arg]
            else:
                pytest.fail(f"{case.endpoint}: teach the isolation matrix how to fill <{arg}>")
        if case.method == "GET" and expect.query:
            values.update(expect.query(ctx))
        data = expect.form(ctx) if case.method == "POST" and expect.form else {}
        with world.app.test_request_context():
            url = url_for(case.endpoint, **values)

    before = snapshot(world.app)
    response = world.client(case.role).open(url, method=case.method, data=data)
    after = snapshot(world.app)
    status, location = expected(case)
    body = response.get_data(as_text=True)

    if status == LOGIN:
        assert response.status_code == 302, (
            f"anonymous got {response.status_code}, not a redirect to log in"
        )
    else:
        assert response.status_code == status, f"got {response.status_code}, expected {status}"
    if location is not None:
        assert urlsplit(response.headers["Location"]).path.startswith(location), response.headers[
            "Location"
        ]

    refused = status in (LOGIN, 403, 404)
    url_region_id = world.region_ids.get(case.url_region)
    names = names_by_region(before)
    if refused or expect.kind not in (CATALOGUE, ZORGGEBIED):
        shown = sorted(n for group in names.values() for n in group if n in body)
        assert not shown, f"the answer shows {shown}"
    else:
        shown = sorted(
            n
            for region_id, group in names.items()
            if region_id != url_region_id
            for n in group
            if n in body
        )
        assert not shown, f"a page of {case.url_region} shows another zorggebied's {shown}"
        if response.status_code == 302:
            path = urlsplit(response.headers["Location"]).path
            assert path.startswith(f"/{case.url_region}/"), f"sent to {path}"
        if expect.check and case.method == "POST" and response.status_code == 200:
            expect.check(body)

    changed, outbox, audit = differences(before, after)
    own_change = (
        case.method == "POST"
        and expect.changes
        and status == expect.ok["POST"]
        and location is None
        and (case.target != "kortrijk-via-gent" or expect.foreign_changes)
    )
    if own_change:
        assert changed, "an allowed POST changed nothing: is the test's form still valid?"
        if expect.kind in (CATALOGUE, ZORGGEBIED):
            assert all(region == url_region_id for _, _, region in changed), f"changed {changed}"
            assert all(region == url_region_id for region in outbox), f"outbox rows for {outbox}"
            assert all(region == url_region_id for region in audit), f"audit rows for {audit}"
            tables = {table for table, _, _ in changed}
            if tables & {"service", "provider"}:
                assert audit, "a catalogue change without its audit rows"
            if "service" in tables:
                assert outbox, "a service changed without its outbox rows"
        else:
            assert {table for table, _, _ in changed} == {"user"}, f"changed {changed}"
            assert not outbox and not audit
    else:
        assert (changed, outbox, audit) == ([], [], []), (
            f"changed {changed}, outbox {outbox}, audit {audit}"
        )


def test_every_back_office_endpoint_has_an_expectation():
    """Whoever adds a back-office endpoint decides here who may use it."""
    missing = sorted(BACK_OFFICE.keys() - EXPECTATIONS.keys())
    assert not missing, f"add these endpoints to EXPECTATIONS in {__file__}: {missing}"
    stale = sorted(EXPECTATIONS.keys() - BACK_OFFICE.keys())
    assert not stale, f"these endpoints are gone from the URL map: {stale}"
    assert {
        "catalogue.edit_service",
        "accounts_admin.users",
    } <= BACK_OFFICE.keys()  # the map was read


@pytest.mark.parametrize(
    ("endpoint", "method"), ENDPOINT_METHODS, ids=[f"{e}-{m}" for e, m in ENDPOINT_METHODS]
)
def test_isolation_matrix(world, endpoint, method):
    expect = EXPECTATIONS.get(endpoint)
    if expect is None:
        pytest.fail(f"{endpoint} has no entry in EXPECTATIONS: decide who may use it")
    if method not in expect.ok:
        pytest.fail(f"{endpoint} now accepts {method}: add it to its entry in EXPECTATIONS")
    if expect.prepare:
        with world.app.app_context(), Session(db.engine) as session:
            expect.prepare(session, world)
            session.commit()
            search.sync(wait=5)
    failures = []
    for target in targets(endpoint, method):
        for role in ROLES:
            case = Case(endpoint, method, role, target)
            try:
                run_case(world, case)
            except AssertionError as exc:
                failures.append(f"{case}: {exc}")
    assert not failures, "\n".join(failures)


# -- list pages ----------------------------------------------------------------------------------

LIST_PAGES = [  # (path under /<gebied>/beheer/, query, shows own names)
    ("", {}, False),
    ("diensten", {}, True),
    ("diensten", {"status": "archived"}, True),
    ("diensten", {"versheid": "te-controleren"}, True),
    ("diensten", {"q": "{other_service}"}, False),
    ("diensten", {"q": "{other_provider}"}, False),
    ("diensten", {"gemeente": "{other_nis}"}, False),
    ("aanbieders", {}, True),
    ("aanbieders", {"status": "archived"}, True),
    ("aanbieders", {"q": "{other_provider}"}, False),
    ("meldingen", {}, True),
    ("meldingen", {"afgehandeld": "1"}, True),
    ("geschiedenis", {}, True),
    ("geschiedenis", {"soort": "service", "id": "{other_service_id}"}, False),
    ("geschiedenis", {"soort": "provider", "id": "{other_provider_id}"}, False),
    ("te-controleren", {}, True),
    ("export.csv", {}, True),
    ("niches", {}, True),
    ("niches", {"status": "nieuw"}, True),
    ("monitoring", {}, True),
    ("monitoring/needs.csv", {}, True),
    ("zoekwoorden", {}, True),
    ("zoekwoorden", {"q": "{other_word}"}, False),
]


@pytest.mark.parametrize(
    ("role", "own", "other"),
    [
        ("regisseur", "gent", "kortrijk"),
        ("admin", "gent", "kortrijk"),
        ("other", "kortrijk", "gent"),
    ],
)
def test_list_pages_never_show_another_zorggebieds_services_providers_or_niches(
    world, role, own, other
):
    state = snapshot(world.app)
    names = names_by_region(state)
    own_names, other_names = names[world.region_ids[own]], names[world.region_ids[other]]
    with world.app.app_context():
        other_nis = db.session.scalar(
            select(Municipality.nis_code).where(Municipality.name == PLACE[other]["gemeente"])
        )
    # Searching for the other's words: the search box repeats them, never a whole name.
    fill = {
        "other_service": SERVICE_NAME[other],
        "other_word": TAUGHT_WORD[other],
        "other_provider": PROVIDER_NAME[other],
        "other_nis": other_nis,
        "other_service_id": world.ids[("service", other, "regisseur")],
        "other_provider_id": world.ids[("provider", other, "regisseur")],
    }
    problems = []
    for path, query, shows_own in LIST_PAGES:
        query = {k: str(v).format(**fill) for k, v in query.items()}
        response = world.client(role).get(f"/{own}/beheer/{path}", query_string=query)
        body = response.get_data(as_text=True)
        where = f"/{own}/beheer/{path}?{query}"
        if response.status_code != 200:
            problems.append(f"{where}: {response.status_code}")
            continue
        leaked = sorted(n for n in other_names if n in body)
        if leaked:
            problems.append(f"{where} shows {leaked}")
        if shows_own and not any(n in body for n in own_names):
            problems.append(f"{where} shows none of {own}'s own names: the check proves nothing")
    assert not problems, "\n".join(problems)


def test_a_gent_import_never_touches_kortrijk_services_with_the_same_reference(world):
    """The import's lookup by extern_id or "dw-<id>" stays inside the URL's zorggebied."""
    kortrijk_id = world.ids[("service", "kortrijk", "regisseur")]
    rows = [
        service_row(extern_id=f"dw-{kortrijk_id}", naam="Scheldedienst via dw"),
        service_row(extern_id="kortrijk-archief", naam="Scheldedienst via extern"),
    ]
    client = world.client("regisseur")
    before = snapshot(world.app)
    upload = client.post(
        "/gent/beheer/import", data={"file": (io.BytesIO(csv_text(rows).encode()), "d.csv")}
    )
    assert upload.status_code == 302
    job_url = upload.headers["Location"]
    with world.app.app_context():
        import_jobs.run_pending_jobs()
    dry_run = client.get(job_url).get_data(as_text=True)
    assert (
        "<strong>2</strong> nieuwe diensten" in dry_run
        and "<strong>0</strong> bijgewerkte" in dry_run
    )
    assert client.post(f"{job_url}/bevestigen").status_code == 302
    with world.app.app_context():
        import_jobs.run_pending_jobs()
    assert "2 nieuw, 0 bijgewerkt" in client.get(job_url).get_data(as_text=True)
    changed, outbox, audit = differences(before, snapshot(world.app))
    gent = world.region_ids["gent"]
    assert changed and all(region == gent for _, _, region in changed)
    assert all(region == gent for region in outbox + audit)


CROSS_LINKS = {  # a Gent object tied to a Kortrijk one through /gent/: (path, form), expected status
    "niche filled by a Kortrijk service": (
        (
            "/gent/beheer/niches/{niche}",
            {
                "title": "Scheldewens regisseur",
                "status": "ingevuld",
                "service_id": "{kortrijk_service}",
                "reason": "",
            },
        ),
        400,
    ),
    "niche merged into a Kortrijk niche": (
        ("/gent/beheer/niches/{niche}/samenvoegen", {"merge-into": "{kortrijk_niche}"}),
        404,
    ),
    "Kortrijk signals split off a Gent niche": (
        (
            "/gent/beheer/niches/{niche}/splitsen",
            {"signal": "{kortrijk_signal}", "title": "Gestolen"},
        ),
        302,
    ),
    "Gent word for a Kortrijk service": (
        (
            "/gent/beheer/zoekwoorden/nieuw",
            {"term": "gestolen woord", "target": "dienst:{kortrijk_service}"},
        ),
        400,
    ),
    "Kortrijk niche met from Gent": (
        (
            "/gent/beheer/zoekwoorden/nieuw",
            {"term": "gestolen woord", "target": "categorie:poetsen", "niche": "{kortrijk_niche}"},
        ),
        404,
    ),
    "service of a Kortrijk provider": (
        ("/gent/beheer/diensten/{service}", {"provider_id": "{kortrijk_provider}"}),
        400,
    ),
}


@pytest.mark.parametrize("link", CROSS_LINKS)
def test_a_gent_object_cannot_be_tied_to_a_kortrijk_object(world, link):
    (path, form), status = CROSS_LINKS[link]
    ids = world.ids
    with world.app.app_context(), Session(db.engine) as session:
        kortrijk_niche = session.get(Niche, ids[("niche", "kortrijk", "regisseur")])
        fill = {
            "niche": ids[("niche", "gent", "regisseur")],
            "service": ids[("service", "gent", "regisseur")],
            "kortrijk_service": ids[("service", "kortrijk", "regisseur")],
            "kortrijk_provider": ids[("provider", "kortrijk", "regisseur")],
            "kortrijk_niche": ids[("other-niche", "kortrijk", "regisseur")],
            "kortrijk_signal": min(s.id for s in kortrijk_niche.signals),
        }
        ctx = Ctx(Case("-", "POST", "regisseur", "gent"), world, session)
        data = service_form(ctx) if "diensten" in path else {}
    data.update({k: v.format(**fill) for k, v in form.items()})
    before = snapshot(world.app)
    response = world.client("regisseur").post(path.format(**fill), data=data)
    assert response.status_code == status
    assert differences(before, snapshot(world.app)) == ([], [], [])
    names = names_by_region(before)[world.region_ids["kortrijk"]]
    assert not [n for n in names if n in response.get_data(as_text=True)]
