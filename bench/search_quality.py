#!/usr/bin/env python
"""Search quality: how well the resident search finds the right demo services.

    python bench/search_quality.py
    python bench/search_quality.py --verbose          # also list every query that missed
    python bench/search_quality.py --json /tmp/q.json

1. a fresh SQLite database and index in a temp directory, filled by `dienstenwijzer init`
   (reference data, taxonomy, the demo catalogue) in a subprocess, as the README does;
2. every labelled query of bench/quality/queries.yaml through dienstenwijzer.search.search(),
   the function the public search page calls, with the filters a resident gets by default;
3. per kind and overall: recall@5, MRR@10 and nDCG@10 against the hand-made labels, and for
   the nothing-exists queries the share whose results the search presents as meeting the need
   (false positives: the resident is misled and no demand is recorded), beside the share shown
   as a weak match (the page says which words no service offers, offers the request form, and
   the search counts as unmet demand) and the share with any result at all.

tests/search/test_quality.py runs `evaluate` on the same labels and holds floors.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "bench" / "quality" / "queries.yaml"
NOTHING = "nothing-exists"
KINDS = ("plain", "inflected", "synonym", "colloquial", "compound", "typo", "sentence", NOTHING)
TOP = 10
RECALL_AT = 5


@dataclass(frozen=True)
class LabelledQuery:
    region: str
    kind: str
    text: str
    relevant: dict[str, int]  # external id -> grade (2 exactly right, 1 acceptable)


@dataclass
class Outcome:
    query: LabelledQuery
    ranked: list[str]  # external ids of the first TOP results
    total: int
    searched_text: str
    weak: bool = False  # shown as a weak match: names what no service offers (engine.py)

    @property
    def recall(self) -> float:
        found = set(self.ranked[:RECALL_AT]) & self.query.relevant.keys()
        return len(found) / len(self.query.relevant)

    @property
    def reciprocal_rank(self) -> float:
        for rank, ext in enumerate(self.ranked, start=1):
            if ext in self.query.relevant:
                return 1 / rank
        return 0.0

    @property
    def ndcg(self) -> float:
        gains = [self.query.relevant.get(ext, 0) for ext in self.ranked]
        ideal = sorted(self.query.relevant.values(), reverse=True)[:TOP]
        return _dcg(gains) / _dcg(ideal)

    @property
    def missed(self) -> bool:
        if self.query.kind == NOTHING:
            return self.total > 0  # weak ones too: listed with --verbose, marked "weak"
        return self.recall < 1 or self.reciprocal_rank < 1


def _dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


@dataclass
class KindScore:
    kind: str
    queries: int
    recall_at_5: float | None = None
    mrr_at_10: float | None = None
    ndcg_at_10: float | None = None
    false_positive_rate: float | None = None  # results not shown as a weak match
    weak_rate: float | None = None  # results shown as a weak match
    any_result_rate: float | None = None  # either


@dataclass
class Report:
    kinds: dict[str, KindScore]
    overall: KindScore
    outcomes: list[Outcome] = field(repr=False)

    def as_dict(self) -> dict:
        return {
            "overall": asdict(self.overall),
            "kinds": {k: asdict(s) for k, s in self.kinds.items()},
            "missed": [_miss_dict(o) for o in self.outcomes if o.missed],
        }


def load_queries(path: Path = QUERIES) -> list[LabelledQuery]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    prefix = data.get("external_id_prefix", "")
    out = []
    for row in data["queries"]:
        if row["kind"] not in KINDS:
            raise ValueError(f"{path.name}: unknown kind {row['kind']!r} for {row['q']!r}")
        relevant = {prefix + ext: int(grade) for ext, grade in (row["relevant"] or {}).items()}
        if (row["kind"] == NOTHING) != (not relevant):
            raise ValueError(
                f"{path.name}: {row['q']!r}: only nothing-exists queries have no labels"
            )
        out.append(LabelledQuery(row["region"], row["kind"], str(row["q"]), relevant))
    return out


def evaluate(queries: list[LabelledQuery]) -> Report:
    """Run every query through the public search; needs an app context with the demo loaded."""
    from sqlalchemy import select

    from dienstenwijzer import search
    from dienstenwijzer.db import db
    from dienstenwijzer.freshness import hide_before
    from dienstenwijzer.models import Service

    external = dict(db.session.execute(select(Service.id, Service.external_id)).all())
    # What the public page asks for when a resident only types words.
    filters = search.Filters(checked_since=hide_before().toordinal())
    outcomes = []
    for q in queries:
        result = search.search(
            q.region, search.SearchRequest(text=q.text, filters=filters, per_page=TOP)
        )
        ranked = [external.get(h.service_id) or f"#{h.service_id}" for h in result.hits]
        outcomes.append(Outcome(q, ranked, result.total, result.searched_text, result.weak))
    return score(outcomes)


def score(outcomes: list[Outcome]) -> Report:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.query.kind].append(o)
    kinds = {k: _score(k, by_kind[k]) for k in KINDS if by_kind.get(k)}
    labelled = [o for o in outcomes if o.query.kind != NOTHING]
    overall = _score("overall", labelled)
    if NOTHING in kinds:
        nothing = kinds[NOTHING]
        overall.false_positive_rate = nothing.false_positive_rate
        overall.weak_rate, overall.any_result_rate = nothing.weak_rate, nothing.any_result_rate
    return Report(kinds, overall, outcomes)


def _score(kind: str, outcomes: list[Outcome]) -> KindScore:
    n = len(outcomes)
    if kind == NOTHING:
        shown = [o for o in outcomes if o.total > 0]
        return KindScore(
            kind,
            n,
            false_positive_rate=sum(not o.weak for o in shown) / n,
            weak_rate=sum(o.weak for o in shown) / n,
            any_result_rate=len(shown) / n,
        )
    return KindScore(
        kind,
        n,
        recall_at_5=sum(o.recall for o in outcomes) / n,
        mrr_at_10=sum(o.reciprocal_rank for o in outcomes) / n,
        ndcg_at_10=sum(o.ndcg for o in outcomes) / n,
    )


def _miss_dict(o: Outcome) -> dict:
    return {
        "region": o.query.region,
        "kind": o.query.kind,
        "query": o.query.text,
        "searched": o.searched_text,
        "expected": o.query.relevant,
        "got": o.ranked[:5],
        "total": o.total,
        "weak": o.weak,
    }


def _fmt(value: float | None) -> str:
    return "   -  " if value is None else f"{value:6.3f}"


def format_report(report: Report, verbose: bool = False) -> str:
    fmt = _fmt
    lines = [f"{'kind':<15}{'n':>4}  recall@5  MRR@10  nDCG@10  false pos.  weak  any result"]
    for s in [*report.kinds.values(), report.overall]:
        if s.kind == "overall":
            lines.append("-" * 78)
        lines.append(
            f"{s.kind:<15}{s.queries:>4}  {fmt(s.recall_at_5)}    {fmt(s.mrr_at_10)}  "
            f"{fmt(s.ndcg_at_10)}   {fmt(s.false_positive_rate)}  {fmt(s.weak_rate)}  "
            f"{fmt(s.any_result_rate)}"
        )
    if verbose:
        lines.append("\nMissed (first 5 results; * = labelled relevant):")
        for o in report.outcomes:
            if not o.missed:
                continue
            got = ", ".join(f"{e}{'*' if e in o.query.relevant else ''}" for e in o.ranked[:5])
            searched = (
                f" -> searched {o.searched_text!r}" if o.searched_text != o.query.text else ""
            )
            expected = ", ".join(f"{e}:{g}" for e, g in o.query.relevant.items()) or "nothing"
            weak = " (weak match)" if o.weak else ""
            lines.append(
                f"  [{o.query.kind}] {o.query.region}: {o.query.text!r}{searched}{weak}\n"
                f"      expected {expected}; got {o.total} results: {got or '-'}"
            )
    return "\n".join(lines)


def _init_demo(workdir: Path) -> dict:
    config = {
        "DATABASE_URL": f"sqlite:///{workdir / 'quality.sqlite3'}",
        "INDEX_DIR": str(workdir / "index"),
        "SECRET_KEY": "bench-quality",
    }
    env = dict(os.environ, **{f"DIENSTENWIJZER_{k}": v for k, v in config.items()})
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    cmd = [sys.executable, "-c", "from dienstenwijzer.cli import main; main()", "init"]
    proc = subprocess.run(
        cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900, check=False
    )
    if proc.returncode != 0:
        sys.exit(f"dienstenwijzer init failed:\n{proc.stdout}\n{proc.stderr}")
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--verbose", "-v", action="store_true", help="list every missed query")
    parser.add_argument("--json", type=Path, help="also write the report as JSON")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    with tempfile.TemporaryDirectory(prefix="dw-quality-") as tmp:
        config = _init_demo(Path(tmp))
        from dienstenwijzer import create_app

        app = create_app(config)
        with app.app_context():
            report = evaluate(queries)
    print(format_report(report, args.verbose))
    if args.json:
        args.json.write_text(
            json.dumps(report.as_dict(), indent=2, ensure_ascii=False), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
