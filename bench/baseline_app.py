"""The plain-Whoosh baseline: a minimal WSGI app over the same generated documents.

What a developer would write in an afternoon with Whoosh alone: one index per zorggebied (a
service is in every zorggebied whose municipalities it serves, as in the project), a Dutch
StemmingAnalyzer (Snowball via PyStemmer, Dutch stop words), a MultifieldParser over name,
description, provider and category labels (AND, Whoosh's default; BASELINE_GROUP=or for OR), BM25F,
top 10 per page, facet counts by category and municipality, highlighted snippets, filters on
category, municipality, dienstencheques and distance (municipalities within reach). It answers the
project's URLs (/<gebied>/zoeken and /<gebied>/api/v1/services) with the same parameters.

    python bench/baseline_app.py build CATALOGUE_DIR INDEX_DIR   # index the import CSVs
    BASELINE_INDEX_DIR=... gunicorn --pythonpath bench baseline_app:app

BASELINE_PAD_BYTES adds that much static page chrome (header, footer, navigation) to the HTML
page, so that both servers send pages of about the same size.
"""

from __future__ import annotations

import html
import json
import math
import os
import sys
import urllib.parse
from pathlib import Path

import Stemmer
from whoosh import index
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import BOOLEAN, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup
from whoosh.query import And, Every, Or, Term

sys.path.insert(0, str(Path(__file__).resolve().parent))

PER_PAGE = 10
TEXT_FIELDS = ["name", "description", "provider", "category_labels"]
KM_PER_DEGREE_LAT = 111.0


_STEMMER = Stemmer.Stemmer("dutch")


def dutch_stem(word: str) -> str:
    return _STEMMER.stemWord(word)


def analyzer():
    # The schema is pickled into the index: the stem function must be importable by name.
    return StemmingAnalyzer(
        stemfn=dutch_stem, stoplist=frozenset(stopwords_for_language("nl")), cachesize=50_000
    )


def schema() -> Schema:
    text = analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        name=TEXT(analyzer=text, stored=True, field_boost=3.0),
        description=TEXT(analyzer=text, stored=True),
        provider=TEXT(analyzer=text, stored=True),
        category_labels=TEXT(analyzer=text),
        categories=KEYWORD(stored=True, commas=True, vector=True),
        municipalities=KEYWORD(stored=True, commas=True, vector=True),
        dienstencheques=BOOLEAN(stored=True),
        lat=NUMERIC(float, stored=True),
        lon=NUMERIC(float, stored=True),
        city=STORED,
        phone=STORED,
        email=STORED,
        website=STORED,
        price=STORED,
    )


# --- building ------------------------------------------------------------------------------
def build(catalogue_dir: Path, index_dir: Path, root: Path) -> int:
    """Index every generated service into each zorggebied it serves; returns documents written."""
    from bench_catalogue import read_catalogue
    from bench_reference import load_reference

    ref = load_reference(root)
    nis_of = {m.name: m.nis_code for r in ref.regions for m in r.municipalities}
    region_of = {m.nis_code: r.slug for r in ref.regions for m in r.municipalities}
    labels = {c.id: c.label for c in ref.categories.values()}
    parents = {c.id: c.parent for c in ref.categories.values()}
    writers = {}
    for r in ref.regions:
        path = index_dir / r.slug
        path.mkdir(parents=True, exist_ok=True)
        writers[r.slug] = index.create_in(str(path), schema()).writer(limitmb=128)
    written = 0
    for rows in read_catalogue(catalogue_dir).values():
        for row in rows:
            munis = [nis_of[n] for n in row["gemeenten"].split(";") if n in nis_of]
            cats = [c for c in row["categorie"].split(";") if c]
            cats += [parents[c] for c in cats if parents.get(c)]
            lat, lon = ref.postcode_coords.get(row["postcode"], (0.0, 0.0))
            doc = {
                "id": row["extern_id"],
                "name": row["naam"],
                "description": row["omschrijving"],
                "provider": row["aanbieder"],
                "category_labels": " ".join(labels[c] for c in cats),
                "categories": ",".join(dict.fromkeys(cats)),
                "municipalities": ",".join(munis),
                "dienstencheques": row["dienstencheques"] == "ja",
                "lat": lat,
                "lon": lon,
                "city": row["gemeente"],
                "phone": row["telefoon"],
                "email": row["email"],
                "website": row["website"],
                "price": row["prijs"],
            }
            for slug in dict.fromkeys(region_of[m] for m in munis if m in region_of):
                writers[slug].add_document(**doc)
                written += 1
    for w in writers.values():
        w.commit()
    return written


# --- serving -------------------------------------------------------------------------------
_searchers: dict[str, object] = {}
_parser = None
_places = None
FACETS = {"categorie": "categories", "gemeente": "municipalities"}
# Per zorggebied and facet field: value -> the documents that have it, read once per worker.
# Whoosh's own overlapping facets (FieldFacet with allow_overlap) read two term vectors per
# matching document: at 100 000 services that took 175 ms a request, so the baseline counts
# facets the way one would after a first profile: intersect the matches with these sets.
_facet_docs: dict[tuple[str, str], dict[str, set[int]]] = {}


def _searcher(slug: str):
    global _parser
    if slug not in _searchers:
        path = Path(os.environ["BASELINE_INDEX_DIR"]) / slug
        if not path.is_dir():
            return None
        ix = index.open_dir(str(path))
        _searchers[slug] = ix.searcher()
        if _parser is None:
            # AND is Whoosh's default; OR finds more for sentences but scores far more documents.
            group = OrGroup.factory(0.9) if os.environ.get("BASELINE_GROUP") == "or" else AndGroup
            _parser = MultifieldParser(TEXT_FIELDS, ix.schema, group=group)
    return _searchers[slug]


def close_all() -> None:
    """Close the open searchers (a worker keeps them for its lifetime; tests do not)."""
    for searcher in _searchers.values():
        searcher.close()
    _searchers.clear()
    _facet_docs.clear()


def _reference():
    """Postcode coordinates, and the postal places of every municipality (for distances)."""
    global _places
    if _places is None:
        from bench_reference import load_reference

        root = Path(os.environ.get("BASELINE_PROJECT_ROOT", Path(__file__).resolve().parent.parent))
        ref = load_reference(root)
        points = {
            m.nis_code: [ref.postcode_coords[p] for p in m.postcodes]
            for r in ref.regions
            for m in r.municipalities
        }
        _places = ref.postcode_coords, points
    return _places


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * KM_PER_DEGREE_LAT
    dlon = (a[1] - b[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians(a[0]))
    return math.hypot(dlat, dlon)


def _filter(args: dict[str, list[str]]):
    terms = [Term("categories", c) for c in args.get("categorie", [])]
    terms += [Term("municipalities", m) for m in args.get("gemeente", [])]
    if args.get("dienstencheques"):
        terms.append(Term("dienstencheques", True))
    coords, points = _reference()
    origin = coords.get(args["postcode"][0]) if args.get("postcode") else None
    if origin and args.get("km"):
        # Services that serve a municipality with a postal place within the distance (a
        # NumericRange box on lat/lon cost 300 ms a request at 100 000 services).
        km = float(args["km"][0])
        near = [nis for nis, pts in points.items() if any(_km(origin, p) <= km for p in pts)]
        terms.append(Or([Term("municipalities", nis) for nis in near]))
    return And(terms) if terms else None


def facet_counts(slug: str, searcher, docs: set[int]) -> dict[str, dict[str, int]]:
    counts = {}
    for facet, field in FACETS.items():
        key = (slug, field)
        if key not in _facet_docs:
            reader = searcher.reader()
            _facet_docs[key] = {
                value: set(reader.postings(field, value).all_ids())
                for value in reader.field_terms(field)
            }
        found = ((value, len(docs & with_value)) for value, with_value in _facet_docs[key].items())
        counts[facet] = {value: n for value, n in found if n}
    return counts


def search(slug: str, args: dict[str, list[str]]):
    searcher = _searcher(slug)
    if searcher is None:
        return None
    text = (args.get("q") or args.get("search") or [""])[0].strip()
    query = _parser.parse(text) if text else Every()
    page = max(1, int((args.get("page") or ["1"])[0]))
    results = searcher.search_page(
        query, page, pagelen=PER_PAGE, filter=_filter(args), terms=bool(text)
    )
    return results, facet_counts(slug, searcher, results.results.docs())


def _html_page(slug: str, args, results, facets, pad: int) -> str:
    e = html.escape
    text = (args.get("q") or [""])[0]
    head = (
        f'<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Zoeken - {e(slug)}'
        f'</title></head><body><form action="/{e(slug)}/zoeken"><label for="q">Wat zoekt u?</label>'
        f'<input id="q" name="q" value="{e(text)}"><button>Zoeken</button></form>'
    )
    out = [head, f"<p>{results.total} diensten gevonden</p>"]
    for facet, counts in facets.items():
        out.append(f"<h2>{facet}</h2><ul>")
        out.extend(
            f'<li><a href="?{e(urllib.parse.urlencode({facet: k}))}">{e(str(k))}</a> ({n})</li>'
            for k, n in sorted(counts.items(), key=lambda kv: -kv[1])
        )
        out.append("</ul>")
    out.append("<ol>")
    for hit in results:
        snippet = hit.highlights("description", top=2) or e(hit["description"][:200])
        out.append(
            f'<li><h3><a href="/{e(slug)}/diensten/{e(hit["id"])}">{e(hit["name"])}</a></h3>'
            f"<p>{e(hit['provider'])} - {e(hit['city'])}</p><p>{snippet}</p></li>"
        )
    out.append(f"</ol><p>Pagina {results.pagenum} van {results.pagecount}</p>")
    if pad > 0:
        out.append(
            "<footer>"
            + ("Dienstenwijzer - lokale diensten in uw buurt. " * (pad // 46 + 1))[:pad]
            + "</footer>"
        )
    out.append("</body></html>")
    return "".join(out)


def _json_page(slug: str, results, facets) -> str:
    items = [
        {
            k: hit.get(k)
            for k in (
                "id",
                "name",
                "description",
                "provider",
                "city",
                "phone",
                "email",
                "website",
                "price",
                "categories",
                "municipalities",
                "dienstencheques",
            )
        }
        for hit in results
    ]
    return json.dumps(
        {
            "total_items": results.total,
            "page": results.pagenum,
            "contents": items,
            "facets": facets,
        },
        ensure_ascii=False,
    )


def app(environ, start_response):
    parts = environ.get("PATH_INFO", "").strip("/").split("/")
    args = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    pid = ("X-Worker-Pid", str(os.getpid()))
    is_api = parts[1:] == ["api", "v1", "services"]
    if len(parts) < 2 or not (parts[1:] == ["zoeken"] or is_api):
        start_response("404 Not Found", [("Content-Type", "text/plain"), pid])
        return [b"niet gevonden"]
    found = search(parts[0], args)
    if found is None:
        start_response("404 Not Found", [("Content-Type", "text/plain"), pid])
        return [b"onbekend zorggebied"]
    results, facets = found
    if is_api:
        body, ctype = _json_page(parts[0], results, facets), "application/json"
    else:
        body = _html_page(
            parts[0], args, results, facets, int(os.environ.get("BASELINE_PAD_BYTES", "0"))
        )
        ctype = "text/html; charset=utf-8"
    data = body.encode("utf-8")
    start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data))), pid])
    return [data]


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[1] != "build":
        sys.exit(__doc__)
    n = build(Path(sys.argv[2]), Path(sys.argv[3]), Path(__file__).resolve().parent.parent)
    print(f"{n} documents indexed")


if __name__ == "__main__":
    import baseline_app  # by its module name, so the pickled schema names baseline_app.dutch_stem

    baseline_app.main()
