#!/usr/bin/env python
"""Search benchmark: build a synthetic catalogue, time a full rebuild, measure search latency.

    python bench/search_bench.py --services 10000
    python bench/search_bench.py --services 100000 --json /tmp/bench-100k.json

Steps (all on 127.0.0.1, every loop bounded in count and time):
  1. a fresh SQLite database + index dir in a temp directory (or --workdir), prepared by
     `dienstenwijzer init --no-demo` (migrations + reference data) in a subprocess;
  2. a synthetic catalogue of N services bulk-inserted with SQLAlchemy Core;
  3. a full rebuild with `dienstenwijzer reindex` (timed; index size on disk);
  4. in-process latency: dienstenwijzer.search.search() inside an app context, one thread;
  5. HTTP latency: gunicorn (2 sync workers), 4 client threads with keep-alive
     connections, against the HTML search page and the JSON API of the largest zorggebied.

Query classes: plain, filtered, typo, browse. Each is measured twice: a cold pass in which
every query is distinct (per-generation result cache misses) and a Zipf-like mix.
"""
from __future__ import annotations

import argparse
import bisect
import contextlib
import datetime as dt
import http.client
import itertools
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--src" in sys.argv:  # measure another checkout of the project (e.g. a baseline)
    ROOT = Path(sys.argv[sys.argv.index("--src") + 1]).resolve()
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 50.0
TARGET_BUILD_S = 120.0
TARGET_TEXT = "p95 ≤ 50 ms over HTTP at 4 concurrent clients at 100 000 services; full rebuild ≤ 120 s"
CLASSES = ("plain", "filtered", "typo", "browse")
N_REGIONS = 11
LARGEST_SHARE = 0.20
TWO_REGION_SHARE = 0.05

# --------------------------------------------------------------------------------------------
# Vocabulary: function words, general service words, and the taxonomy (read from the database).
FUNCTION_WORDS = (
    "de het een en van in op voor met bij aan om te u uw wij we onze ons ook of als dan die dat "
    "er door naar tot na per zo zich wie wat waar hoe elke iedere week dag uur maand jaar graag "
    "samen mee al nog meer minder veel altijd soms vaak eerst daarna kunnen komen helpen doen"
).split()
GENERAL_WORDS = (
    "hulp thuis woning huis tuin keuken badkamer sanitair vloer vloeren ramen deur trap zolder "
    "kelder garage terras oprit gras haag hagen bomen struiken bladeren onkruid composteren "
    "afval containers glas papier karton kleding kleren lakens handdoeken gordijnen strijk was "
    "wasgoed droger strijkijzer naald draad knopen zoom rits herstelling herstellen repareren "
    "fiets fietsen band ketting rem licht auto rolstoel rollator bus taxi vervoer rit ritten "
    "chauffeur vrijwilliger vrijwilligers begeleider begeleiding consulent medewerker medewerkers "
    "ploeg team kantoor loket afspraak aanvraag inschrijving wachtlijst prijs tarief korting "
    "cheque cheques attest premie factuur betalen gratis goedkoop betaalbaar senioren ouderen "
    "gezinnen kinderen baby peuters kleuters jongeren ouders alleenstaanden mantelzorgers "
    "personen beperking handicap ziekte herstel ziekenhuis opname dokter apotheek medicatie "
    "maaltijd maaltijden soep middagmaal avondmaal boterhammen koken bereiden levering leveren "
    "boodschappen winkel markt supermarkt lijstje bestellen ophalen brengen afhalen wegbrengen "
    "verhuis verhuizen dozen meubels kasten bed bedden kast lamp lampen schilderen behangen "
    "muren plafond verf tegels voegen dakgoot goot lekkage kraan stopcontact elektriciteit "
    "verwarming ketel isolatie energie energiescan zonnepanelen ventilatie renovatie advies "
    "premies lening subsidie besparen verbruik meter water gas stroom contract leverancier "
    "buurt wijk straat dorp stad gemeente deelgemeente centrum rand platteland regio "
    "ontmoeting koffie activiteit activiteiten uitstap wandeling sport bewegen turnen yoga "
    "dans muziek zang lezen computer internet smartphone tablet cursus les lessen opleiding "
    "huiswerk school studie taal nederlands oefenen spelen speelplein vakantie woensdag "
    "zaterdag zondag maandag dinsdag donderdag vrijdag ochtend namiddag avond nacht weekend "
    "dringend snel flexibel vast vaste betrouwbaar vriendelijk ervaren opgeleid erkend "
    "verzekerd veilig proper netjes zorgvuldig geduldig discreet persoonlijk rustig "
    "kringloop tweedehands herbruikbaar gebruikt spullen speelgoed boeken gereedschap "
    "ladder boormachine grasmaaier aanhangwagen uitlenen lenen delen ruilen geven schenken "
    "voedsel voedselpakket pakket sociaal restaurant tafel eten drinken dranken brood "
    "opvang oppas oppassen babysit crèche kinderopvang onthaalouder spelen slapen ziek "
    "alarm personenalarm noodoproep val vallen toestel knop bellen telefoon bezoek bezoeken "
    "gezelschap eenzaamheid praten luisteren wandelen voorlezen brieven papieren "
    "administratie formulieren belastingen aangifte bank post brievenbus sleutel sleutels"
).split()
SERVICE_SUFFIXES = (
    "aan huis", "in de buurt", "op maat", "voor senioren", "voor gezinnen", "De Bezem",
    "Het Klavertje", "Sint-Jozef", "De Schakel", "Buurtpunt", "Plus", "Thuis", "Express",
    "De Brug", "Zonnebloem", "Het Anker", "De Linde", "Vlot", "Samen", "Handig",
)
PROVIDER_PREFIXES = ("Vzw", "Dienstenchequebedrijf", "Ocmw", "Wijk-werken", "Sociale werkplaats",
                     "Bvba", "Coöperatie", "Buurtwerk", "Kringloopcentrum", "Zelfstandige")
TARGET_GROUPS = ("Alle inwoners", "Senioren", "Gezinnen met kinderen", "Personen met een beperking",
                 "Mensen met een laag inkomen", "Jongeren", None)
PRICES = ("1 dienstencheque per uur", "Gratis", "€ 5 per rit", "Volgens inkomen", "€ 12 per uur",
          "Op aanvraag", None)
MANUAL_TYPOS = ("poetsn", "strijkn", "kinderopvnag", "kusien", "boodschapen", "tuinonderhod",
                "snoeiwrek", "vervoerr", "maaltijdn", "klusjesdients", "babysitt", "ramne",
                "strijkatelir", "huishoudhlp", "gezinszrog", "oppsa", "verhuishlup", "enrgiescan")


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    return [1.0 / (r + 1) ** s for r in range(n)]


class Sampler:
    """Weighted sampling with precomputed cumulative weights (random.choices is slow per call)."""

    def __init__(self, items, weights, rng: random.Random):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))
        self.rng = rng

    def one(self):
        return self.items[bisect.bisect_right(self.cum, self.rng.random() * self.cum[-1])]


# --------------------------------------------------------------------------------------------
# Setup: database, catalogue, index


def env_for(workdir: Path) -> dict:
    env = dict(os.environ)
    env["DIENSTENWIJZER_DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    env["DIENSTENWIJZER_INDEX_DIR"] = str(workdir / "index")
    env["DIENSTENWIJZER_SECRET_KEY"] = "bench-secret"
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env.pop("DIENSTENWIJZER_TEST_DATABASE_URL", None)
    return env


def cli(args: list[str], env: dict, timeout: float) -> float:
    """Run `dienstenwijzer <args>` in a subprocess; returns the wall time in seconds."""
    cmd = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", *args]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"`dienstenwijzer {' '.join(args)}` failed ({proc.returncode})")
    return elapsed


def prepare_database(workdir: Path) -> None:
    """Alembic migrations and reference data, like `dienstenwijzer init --no-demo` (no index)."""
    for path in (workdir / "bench.sqlite3", workdir / "index"):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    code = (
        "import os\n"
        "from flask_migrate import upgrade\n"
        "from dienstenwijzer import MIGRATIONS_DIR, create_app\n"
        "from dienstenwijzer.db import db\n"
        "from dienstenwijzer.reference_data import load_reference_data\n"
        "from pathlib import Path\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        "    upgrade(directory=MIGRATIONS_DIR, revision='heads')\n"
        "    load_reference_data(db.session, Path(app.config['FIXTURES_DIR']))\n"
        "    db.session.commit()\n"
    )
    subprocess.run([sys.executable, "-c", code], env=env_for(workdir), cwd=ROOT, timeout=300,
                   check=True, capture_output=True)


def load_reference(engine):
    from sqlalchemy import select

    from dienstenwijzer.models import Category, CategorySynonym, Municipality, Postcode, Region

    with engine.connect() as conn:
        regions = conn.execute(select(Region.id, Region.slug).order_by(Region.slug)).all()
        munis = conn.execute(
            select(Municipality.nis_code, Municipality.name, Municipality.region_id,
                   Municipality.lat, Municipality.lon).where(Municipality.region_id.is_not(None))
        ).all()
        postcodes = conn.execute(select(Postcode.code, Postcode.nis_code)).all()
        cats = conn.execute(
            select(Category.id, Category.parent_id, Category.label, Category.dienstencheques)
            .order_by(Category.position)
        ).all()
        syns = conn.execute(select(CategorySynonym.category_id, CategorySynonym.term)).all()
    return regions, munis, postcodes, cats, syns


def region_layout(regions, munis, largest: str | None):
    by_region: dict[int, list] = {}
    for m in munis:
        by_region.setdefault(m.region_id, []).append(m)
    regions = [r for r in regions if r.id in by_region]
    if largest is None:
        largest = max(regions, key=lambda r: (len(by_region[r.id]), r.slug)).slug
    big = next(r for r in regions if r.slug == largest)
    others = [r for r in regions if r.id != big.id]
    # The largest gets 20 %; the others share the rest with a mild skew (each below 20 %).
    skew = zipf_weights(len(others), 0.6)
    total = sum(skew)
    shares = {big.id: LARGEST_SHARE}
    for r, w in zip(others, skew, strict=True):
        shares[r.id] = (1 - LARGEST_SHARE) * w / total
    return big, regions, by_region, shares


def generate_catalogue(engine, n: int, seed: int, largest: str | None):
    """Bulk-insert providers and services; returns what the query generator needs."""
    from sqlalchemy import insert

    from dienstenwijzer.models import Provider, Service, service_categories, service_municipalities
    from dienstenwijzer.search.analysis import fold

    rng = random.Random(seed)
    regions, munis, postcodes, cats, syns = load_reference(engine)
    big, regions, by_region, shares = region_layout(regions, munis, largest)
    postcodes_of: dict[str, list[str]] = {}
    for p in postcodes:
        postcodes_of.setdefault(p.nis_code, []).append(p.code)

    children = {c.parent_id for c in cats if c.parent_id}
    leaves = [c for c in cats if c.parent_id or c.id not in children]
    syn_of: dict[str, list[str]] = {}
    for s in syns:
        syn_of.setdefault(s.category_id, []).append(s.term)
    cat_words: dict[str, list[str]] = {}
    for c in leaves:
        ws = [w for t in syn_of.get(c.id, []) + [c.label] for w in fold(t).replace("-", " ").split()
              if w.isalpha() and len(w) > 3 and w not in FUNCTION_WORDS]
        cat_words[c.id] = ws or [c.id.split("-")[0]]
    rng.shuffle(leaves)
    cat_sampler = Sampler(leaves, zipf_weights(len(leaves), 0.8), rng)
    general = list(GENERAL_WORDS)
    rng.shuffle(general)
    general_sampler = Sampler(general, zipf_weights(len(general), 1.0), rng)
    region_sampler = Sampler([r.id for r in regions], [shares[r.id] for r in regions], rng)

    today = dt.date.today()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    providers, services, svc_cats, svc_munis = [], [], [], []
    providers_of: dict[int, list[int]] = {}
    pid = 0
    for r in regions:
        count = max(5, int(n * shares[r.id] / 4))
        ids = []
        for i in range(count):
            pid += 1
            m = rng.choice(by_region[r.id])
            name = f"{rng.choice(PROVIDER_PREFIXES)} {rng.choice(general).capitalize()} {m.name} {i + 1}"
            providers.append({
                "id": pid, "region_id": r.id, "name": name, "street": f"Kerkstraat {i % 200 + 1}",
                "postcode": rng.choice(postcodes_of.get(m.nis_code, ["9000"])),
                "municipality_nis": m.nis_code, "phone": "09 000 00 00",
                "email": f"info{pid}@aanbieder.example", "website": f"https://aanbieder{pid}.example",
                "created_at": now, "updated_at": now,
            })
            ids.append(pid)
        providers_of[r.id] = ids

    region_ids = [r.id for r in regions]
    for sid in range(1, n + 1):
        rid = region_sampler.one()
        own = by_region[rid]
        served = rng.sample(own, rng.randint(1, min(3, len(own))))
        if rng.random() < TWO_REGION_SHARE:
            other = rng.choice([x for x in region_ids if x != rid])
            served.append(rng.choice(by_region[other]))
        served = served[:3]
        ncat = 1 if rng.random() < 0.75 else 2
        chosen = []
        while len(chosen) < ncat:
            c = cat_sampler.one()
            if c not in chosen:
                chosen.append(c)
        words = []
        for _ in range(rng.randint(30, 90)):
            x = rng.random()
            if x < 0.40:
                words.append(rng.choice(FUNCTION_WORDS))
            elif x < 0.85:
                words.append(general_sampler.one())
            else:
                words.append(rng.choice(cat_words[rng.choice(chosen).id]))
        sentences, i = [], 0
        while i < len(words):
            k = rng.randint(6, 14)
            part = words[i:i + k]
            sentences.append(" ".join(part).capitalize() + ".")
            i += k
        home = served[0]
        dc = any(c.dienstencheques for c in chosen)
        checked = today - dt.timedelta(days=rng.randint(600, 900) if rng.random() < 0.03
                                       else rng.randint(0, 500))
        services.append({
            "id": sid, "region_id": rid, "provider_id": rng.choice(providers_of[rid]),
            "external_id": f"bench-{sid}",
            "name": f"{rng.choice(cat_words[chosen[0].id]).capitalize()} {rng.choice(SERVICE_SUFFIXES)}",
            "description": " ".join(sentences),
            "street": f"Dorpsstraat {sid % 300 + 1}",
            "postcode": rng.choice(postcodes_of.get(home.nis_code, ["9000"])),
            "municipality_nis": home.nis_code,
            "lat": (home.lat or 51.0) + rng.uniform(-0.03, 0.03),
            "lon": (home.lon or 4.0) + rng.uniform(-0.03, 0.03),
            "phone": "09 000 00 00", "email": f"dienst{sid}@aanbieder.example",
            "website": None if sid % 3 else f"https://dienst{sid}.example",
            "dienstencheques": dc and rng.random() < 0.8 or rng.random() < 0.05,
            "price": rng.choice(PRICES), "target_group": rng.choice(TARGET_GROUPS),
            "opening_hours": "ma–vr 9.00–16.00",
            "status": "archived" if rng.random() < 0.01 else "active",
            "last_checked": checked, "created_at": now, "updated_at": now,
        })
        for c in chosen:
            svc_cats.append({"service_id": sid, "category_id": c.id})
        for m in dict.fromkeys(x.nis_code for x in served):
            svc_munis.append({"service_id": sid, "nis_code": m})

    with engine.begin() as conn:
        for table, rows in ((Provider.__table__, providers), (Service.__table__, services),
                            (service_categories, svc_cats), (service_municipalities, svc_munis)):
            for start in range(0, len(rows), 10_000):
                conn.execute(insert(table), rows[start:start + 10_000])
    big_munis = [m.nis_code for m in by_region[big.id]]
    big_postcodes = sorted({p for m in big_munis for p in postcodes_of.get(m, [])})
    count_big = sum(1 for s in services if s["region_id"] == big.id)
    return {
        "largest": big.slug, "largest_municipalities": big_munis, "largest_postcodes": big_postcodes,
        "largest_primary_services": count_big,
        "categories": [c.id for c in cats], "leaf_categories": [c.id for c in leaves],
        "category_words": sorted({w for ws in cat_words.values() for w in ws}),
        "general_words": general, "providers": len(providers),
    }


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --------------------------------------------------------------------------------------------
# Queries: each a dict of form parameters (q, categorie, gemeente, dienstencheques, postcode, km)


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiouklmnrst") + word[i + 1:]


def query_pools(info: dict, seed: int) -> dict[str, list[dict]]:
    """Per class, a long list of distinct queries in random order."""
    rng = random.Random(seed + 1)
    common = info["general_words"][:40] + info["category_words"][:20]
    rare = info["general_words"][120:] + info["category_words"][20:]
    allwords = info["general_words"] + info["category_words"]
    cats, leaves = info["categories"], info["leaf_categories"]
    munis, postcodes = info["largest_municipalities"], info["largest_postcodes"]
    known = set(allwords) | set(FUNCTION_WORDS)

    def unique(gen, n):
        seen, out = set(), []
        for _ in range(n * 20):
            q = gen()
            key = json.dumps(q, sort_keys=True)
            if key not in seen:
                seen.add(key)
                out.append(q)
                if len(out) >= n:
                    break
        return out

    def plain():
        kind = rng.random()
        if kind < 0.35:
            return {"q": rng.choice(common)}
        if kind < 0.6:
            return {"q": rng.choice(rare)}
        return {"q": f"{rng.choice(allwords)} {rng.choice(allwords)}"}

    def filtered():
        q = {"q": rng.choice(allwords)} if rng.random() < 0.7 else {}
        kind = rng.randrange(4)
        if kind == 0:
            q["categorie"] = rng.choice(cats)
        elif kind == 1:
            q["gemeente"] = rng.choice(munis)
        elif kind == 2:
            q["dienstencheques"] = "y"
        else:
            q["postcode"] = rng.choice(postcodes)
            q["km"] = str(rng.choice((2, 5, 10, 20)))
        if not q.get("q") or rng.random() < 0.3:
            q.setdefault("q", rng.choice(allwords))
            q["page"] = str(rng.randint(1, 3))
        return q

    def typo():
        if rng.random() < 0.08:
            return {"q": rng.choice(MANUAL_TYPOS)}
        w = rng.choice([x for x in allwords if len(x) >= 6])
        t = _typo(w, rng)
        if t in known:
            t = _typo(t, rng)
        if rng.random() < 0.2:
            return {"q": f"{t} {rng.choice(allwords)}"}
        return {"q": t}

    def browse():
        q = {"categorie": rng.choice(cats)}
        x = rng.random()
        if x < 0.3:
            q["gemeente"] = rng.choice(munis)
        elif x < 0.45:
            q["dienstencheques"] = "y"
        elif x < 0.6:
            q["postcode"] = rng.choice(postcodes)
            q["km"] = str(rng.choice((5, 10, 20)))
        if rng.random() < 0.5:
            q["page"] = str(rng.randint(1, 5))
        return q

    gens = {"plain": plain, "filtered": filtered, "typo": typo, "browse": browse}
    return {name: unique(gen, 6000) for name, gen in gens.items()}


def split_pools(pools: dict[str, list[dict]], cold_n: int, mix_n: int, warm_n: int):
    """Disjoint slices: warm-up, in-process cold, HTML cold, API cold, HTML mix, API mix."""
    out = {}
    for cls, qs in pools.items():
        sizes = [("warm", warm_n), ("inproc_cold", cold_n), ("html_cold", cold_n),
                 ("api_cold", cold_n), ("html_mix", mix_n), ("api_mix", mix_n)]
        need = sum(s for _, s in sizes)
        if len(qs) < need:  # shrink proportionally when the generator ran out of distinct ones
            factor = len(qs) / need
            sizes = [(k, max(1, int(s * factor))) for k, s in sizes]
        pos, slices = 0, {}
        for key, size in sizes:
            slices[key] = qs[pos:pos + size]
            pos += size
        out[cls] = slices
    return out


def zipf_sequence(pool: list, length: int, rng: random.Random, s: float = 1.1) -> list:
    sampler = Sampler(pool, zipf_weights(len(pool), s), rng)
    return [sampler.one() for _ in range(length)]


def html_path(slug: str, q: dict) -> str:
    return f"/{slug}/zoeken?" + urllib.parse.urlencode(q)


def api_path(slug: str, q: dict) -> str:
    params = {("search" if k == "q" else k): v for k, v in q.items()}
    return f"/{slug}/api/v1/services?" + urllib.parse.urlencode(params)


# --------------------------------------------------------------------------------------------
# Measuring


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, int(round(p / 100 * len(s) + 0.5)) - 1))
    return s[k]


def summary(latencies: list[float], elapsed: float, errors: int = 0) -> dict:
    ms = [x * 1000 for x in latencies]
    return {
        "n": len(ms), "errors": errors, "p50": pct(ms, 50), "p95": pct(ms, 95), "p99": pct(ms, 99),
        "rps": len(ms) / elapsed if elapsed > 0 else 0.0,
    }


class InProcess:
    def __init__(self, workdir: Path):
        from dienstenwijzer import create_app

        env = env_for(workdir)
        self.app = create_app({
            "DATABASE_URL": env["DIENSTENWIJZER_DATABASE_URL"],
            "INDEX_DIR": env["DIENSTENWIJZER_INDEX_DIR"], "SECRET_KEY": "bench-secret",
        })
        self.ctx = self.app.app_context()
        self.ctx.push()
        from dienstenwijzer.db import db
        from dienstenwijzer.places import Places

        self.places = Places(db.session)
        days = int(self.app.config["HIDE_AFTER_DAYS"])
        self.checked_since = (dt.date.today() - dt.timedelta(days=days)).toordinal()
        self.per_page = int(self.app.config["SEARCH_PER_PAGE"])

    def request(self, q: dict):
        from dienstenwijzer.search import Filters, SearchRequest

        origin = self.places.coordinates(q["postcode"]) if q.get("postcode") else None
        filters = Filters(
            categories=frozenset([q["categorie"]]) if q.get("categorie") else frozenset(),
            municipalities=frozenset([q["gemeente"]]) if q.get("gemeente") else frozenset(),
            dienstencheques=bool(q.get("dienstencheques")),
            origin=origin,
            km=float(q["km"]) if q.get("km") and origin else None,
            checked_since=self.checked_since,
        )
        return SearchRequest(text=q.get("q", ""), filters=filters, page=int(q.get("page", 1)),
                             per_page=self.per_page)

    def run(self, slug: str, queries: list[dict], duration: float, cap: int) -> dict:
        from dienstenwijzer import search

        requests_ = [self.request(q) for q in queries[:cap]]
        lat = []
        start = time.perf_counter()
        deadline = start + duration
        for r in requests_:
            t0 = time.perf_counter()
            search.search(slug, r)
            lat.append(time.perf_counter() - t0)
            if t0 > deadline:
                break
        return summary(lat, time.perf_counter() - start)

    def close(self):
        self.ctx.pop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, workdir: Path, workers: int = 2):
        self.port = free_port()
        self.log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT), "-w", str(workers),
             "-b", f"127.0.0.1:{self.port}", "--timeout", "120", "wsgi:app"],
            env=env_for(workdir), cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.proc.returncode}; see {self.log.name}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/over")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # the gunicorn master stops its workers
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)  # the session we started
                self.proc.wait(timeout=5)
        self.log.close()


def run_http(port: int, paths: list[str], duration: float, cap: int, clients: int) -> dict:
    paths = paths[:cap]
    lock = threading.Lock()
    counter = itertools.count()
    lat: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + duration

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                i = next(counter)
            if i >= len(paths) or time.perf_counter() > deadline:
                break
            t0 = time.perf_counter()
            try:
                conn.request("GET", paths[i], headers={"Connection": "keep-alive"})
                resp = conn.getresponse()
                resp.read()
                ok = resp.status == 200
                if resp.will_close:
                    conn.close()  # sync workers close after each response; reopened on next request
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
            elapsed = time.perf_counter() - t0
            with lock:
                if ok:
                    lat.append(elapsed)
                else:
                    errors[0] += 1
        conn.close()

    start = time.perf_counter()
    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 120)
    return summary(lat, time.perf_counter() - start, errors[0])


# --------------------------------------------------------------------------------------------
# Report


def fmt(r: dict | None) -> str:
    if not r or not r.get("n"):
        return f"{'-':>30}"
    err = f" E{r['errors']}" if r.get("errors") else ""
    return f"{r['p50']:7.1f} {r['p95']:7.1f} {r['p99']:7.1f} {r['rps']:6.1f}{err}"


def print_table(results: dict) -> None:
    cols = ("inproc", "html", "api")
    head = "  ".join(f"{c + ' p50/p95/p99 ms, req/s':>30}" for c in cols)
    print(f"\n{'class':<9}{'pass':<5} {'n':>5}  {head}")
    for cls in CLASSES:
        for mode in ("cold", "mix"):
            row = [results.get(f"{c}_{mode}", {}).get(cls) for c in cols]
            n = "/".join(str(r["n"]) if r else "-" for r in row)
            print(f"{cls:<9}{mode:<5} {n:>5}  " + "  ".join(fmt(r) for r in row))


def verdict(results: dict, n: int) -> list[str]:
    lines = []
    p95s = [(r["p95"], f"{k}/{cls}") for k in ("html_cold", "html_mix", "api_cold", "api_mix")
            for cls, r in results.get(k, {}).items() if r.get("n")]
    worst = max(p95s) if p95s else None
    build = results["build_seconds"]
    lines.append(f"target: {TARGET_TEXT}")
    if worst:
        ok = worst[0] <= TARGET_P95_MS
        lines.append(f"worst HTTP p95: {worst[0]:.1f} ms ({worst[1]}) -> {'OK' if ok else 'MISS'}"
                     + ("" if n >= 100_000 else " (target is stated for 100 000)"))
    lines.append(f"full rebuild: {build:.1f} s -> {'OK' if build <= TARGET_BUILD_S else 'MISS'}")
    return lines


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--services", type=int, default=10_000)
    ap.add_argument("--workdir", type=Path, help="use (and keep) this directory; default: a temp dir")
    ap.add_argument("--keep", action="store_true", help="keep the temp dir")
    ap.add_argument("--reuse", action="store_true",
                    help="reuse the database and index of an earlier run in --workdir (no rebuild)")
    ap.add_argument("--src", type=Path, help="project checkout to measure (default: this one)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--largest", help="slug of the largest zorggebied (default: most municipalities)")
    ap.add_argument("--seconds", type=float, default=15.0, help="time bound per query class and pass")
    ap.add_argument("--max-requests", type=int, default=3000, help="request cap per class and pass")
    ap.add_argument("--cold", type=int, default=600, help="distinct queries per cold pass")
    ap.add_argument("--mix-pool", type=int, default=800, help="distinct queries in the Zipf mix")
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--skip-inproc", action="store_true")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args()

    def on_term(signum, frame):  # noqa: ARG001
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    tmp = None
    if args.reuse and not args.workdir:
        ap.error("--reuse needs --workdir")
    if args.workdir:
        workdir = args.workdir.resolve()
        if workdir.exists() and not args.reuse:
            shutil.rmtree(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmp = workdir = Path(tempfile.mkdtemp(prefix="dw-bench-"))
    env = env_for(workdir)
    results: dict = {"services": args.services, "workdir": str(workdir), "clients": args.clients,
                     "workers": args.workers, "seconds_per_pass": args.seconds, "src": str(ROOT)}
    server = None
    inproc = None
    try:
        print(f"workdir {workdir}; source {ROOT}", flush=True)
        saved = workdir / "bench-setup.json"
        if args.reuse:
            setup = json.loads(saved.read_text())
            info = setup.pop("info")
            results.update(setup)
            print(f"reusing catalogue of {results['services']} services and its index "
                  f"(built in {results['build_seconds']:.1f} s)", flush=True)
        else:
            try:
                t = cli(["init", "--no-demo"], env, timeout=300)
                print(f"init --no-demo: {t:.1f} s", flush=True)
            except SystemExit as exc:
                # `init` also loads data other parts of the app own; when that fails, prepare
                # the database the way `init` does for search: migrations + reference data.
                print(f"{exc}; falling back to migrations + reference data", flush=True)
                prepare_database(workdir)

            from sqlalchemy import create_engine

            engine = create_engine(env["DIENSTENWIJZER_DATABASE_URL"])
            t0 = time.perf_counter()
            info = generate_catalogue(engine, args.services, args.seed, args.largest)
            engine.dispose()
            results["generate_seconds"] = time.perf_counter() - t0
            results["largest"] = info["largest"]
            print(f"catalogue: {args.services} services, {info['providers']} providers, "
                  f"{results['generate_seconds']:.1f} s; largest zorggebied {info['largest']} "
                  f"({info['largest_primary_services']} own services)", flush=True)

            results["build_seconds"] = cli(["reindex"], env, timeout=1800)
            current = workdir / "index" / "current"
            gen = (workdir / "index" / os.readlink(current)).resolve()
            results["index_bytes"] = dir_size(gen)
            sizes = {p.name: dir_size(p) for p in (gen / "regions").iterdir()}
            results["largest_index_bytes"] = sizes.get(info["largest"], 0)
            print(f"full rebuild (dienstenwijzer reindex): {results['build_seconds']:.1f} s; index "
                  f"{results['index_bytes'] / 1e6:.1f} MB ({info['largest']}: "
                  f"{results['largest_index_bytes'] / 1e6:.1f} MB)", flush=True)
            keys = ("services", "generate_seconds", "largest", "build_seconds", "index_bytes",
                    "largest_index_bytes")
            saved.write_text(json.dumps({**{k: results[k] for k in keys}, "info": info}))

        slug = info["largest"]
        slices = split_pools(query_pools(info, args.seed), args.cold, args.mix_pool, 40)
        rng = random.Random(args.seed + 2)
        mix_len = args.max_requests
        mixes = {cls: {k: zipf_sequence(s[k], mix_len, rng) for k in ("html_mix", "api_mix")}
                 for cls, s in slices.items()}

        if not args.skip_inproc:
            inproc = InProcess(workdir)
            inproc.run(slug, [q for s in slices.values() for q in s["warm"]], 60, 10_000)
            results["inproc_cold"], results["inproc_mix"] = {}, {}
            for cls in CLASSES:
                r = inproc.run(slug, slices[cls]["inproc_cold"], args.seconds, args.max_requests)
                results["inproc_cold"][cls] = r
                print(f"in-process {cls:<8} cold {fmt(r)}", flush=True)
            for cls in CLASSES:
                r = inproc.run(slug, mixes[cls]["html_mix"], args.seconds, args.max_requests)
                results["inproc_mix"][cls] = r
                print(f"in-process {cls:<8} mix  {fmt(r)}", flush=True)
            inproc.close()
            inproc = None

        if not args.skip_http:
            server = Gunicorn(workdir, args.workers)
            server.wait_ready()
            warm = [q for s in slices.values() for q in s["warm"]]
            run_http(server.port, [html_path(slug, q) for q in warm] + [api_path(slug, q) for q in warm],
                     120, 10_000, args.clients)
            for kind, to_path in (("html", html_path), ("api", api_path)):
                for mode in ("cold", "mix"):
                    results[f"{kind}_{mode}"] = {}
                    for cls in CLASSES:
                        qs = slices[cls][f"{kind}_cold"] if mode == "cold" else mixes[cls][f"{kind}_mix"]
                        r = run_http(server.port, [to_path(slug, q) for q in qs], args.seconds,
                                     args.max_requests, args.clients)
                        r["loadavg_1min"] = os.getloadavg()[0]
                        results[f"{kind}_{mode}"][cls] = r
                        print(f"HTTP {kind:<4} {cls:<8} {mode:<4} {fmt(r)}  "
                              f"(load average {r['loadavg_1min']:.1f})", flush=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            server.stop()
        if inproc is not None:
            with contextlib.suppress(Exception):
                inproc.close()
        if tmp is not None and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n=== search bench: {args.services} services, largest zorggebied {results['largest']}, "
          f"{args.clients} clients, {args.workers} gunicorn workers ===")
    print(f"full rebuild: {results['build_seconds']:.1f} s   index on disk: "
          f"{results['index_bytes'] / 1e6:.1f} MB (largest zorggebied {results['largest_index_bytes'] / 1e6:.1f} MB)")
    print("latency in ms; cold = every query distinct (cache misses), mix = Zipf-like repetition;"
          " html = /<gebied>/zoeken, api = /<gebied>/api/v1/services")
    print_table(results)
    loads = [r["loadavg_1min"] for k, v in results.items() if k.startswith(("html_", "api_"))
             for r in v.values() if "loadavg_1min" in r]
    if loads:
        cores = len(os.sched_getaffinity(0))
        print(f"\n1-min load average during the HTTP passes: {min(loads):.1f}–{max(loads):.1f} "
              f"on {cores} cores (bench client + {args.workers} workers ≈ {args.workers + 1}; "
              "more means other processes shared the CPU and inflated the HTTP numbers)")
    print()
    for line in verdict(results, args.services):
        print(line)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
        print(f"results written to {args.json}")
    if tmp is not None and args.keep:
        print(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
