"""The ONE rules module: versioned eligibility rule sets, their schema, and which rule is in force.

A rule set is data (YAML), stored in the database so that an admin can add a newer one without a
deploy (`dienstenwijzer init` loads the shipped ones from fixtures/regels/). Each set has an id,
a version, the date it takes effect and its source, and a list of rules per instrument:

    id: sociale-economie-vlaanderen
    version: 1
    title: Doelgroepen van de sociale economie
    effective_from: 2006-01-01
    source: Beleidsbrief Sociale Economie 2006-2007 ...
    instruments:
      invoegeconomie:
        not_eligible: Geen doelgroepwerknemer voor de invoegeconomie.
        rules:
          - id: invoeg-laaggeschoold-jonger-dan-50
            reason: Hoogstens een diploma secundair onderwijs, jonger dan 50 ...
            all:
              - {fact: diploma, at_most: secundair}
              - {fact: age, below: 50}
              - {fact: months_job_seeker, at_least: 12}

A person is eligible for an instrument when every condition of at least one of its rules holds
(a rule without conditions: open to everyone). On a given date, each instrument is judged by the
newest rule set in force that date which mentions it, so a new set may cover one instrument only
(for example wijk-werken) and the others stay as they were.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models.jobs import INSTRUMENTS, RuleSet

# Highest diploma, lowest first. Code -> label.
DIPLOMAS: dict[str, str] = {
    "geen": "Geen diploma of enkel lager onderwijs",
    "tweede-graad": "Getuigschrift tweede graad secundair onderwijs (geen diploma secundair)",
    "secundair": "Diploma secundair onderwijs",
    "hoger": "Diploma hoger onderwijs (bachelor of master)",
}
DIPLOMA_RANK = {code: rank for rank, code in enumerate(DIPLOMAS)}
DIPLOMA_SHORT = {
    "geen": "geen diploma",
    "tweede-graad": "getuigschrift tweede graad",
    "secundair": "diploma secundair onderwijs",
    "hoger": "diploma hoger onderwijs",
}

# Facts about a person that rules may use: name -> kind.
FACTS: dict[str, str] = {
    "age": "number",
    "diploma": "diploma",
    "months_job_seeker": "number",
    "registered_job_seeker": "bool",
    "social_assistance": "bool",
    "work_disability": "bool",
    "part_time_learner": "bool",
}
NUMBER_OPERATORS = ("at_least", "at_most", "below", "above")
OPERATORS = {"number": NUMBER_OPERATORS, "diploma": ("at_most", "at_least"), "bool": ("is",)}

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,78}$")


class RuleSetError(ValueError):
    """A rule set that does not follow the schema: one Dutch message per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    fact: str
    operator: str
    value: Any

    def holds(self, facts: dict[str, Any]) -> bool:
        actual = facts[self.fact]
        if FACTS[self.fact] == "diploma":
            actual, wanted = DIPLOMA_RANK[actual], DIPLOMA_RANK[self.value]
        else:
            wanted = self.value
        return {
            "at_least": lambda: actual >= wanted,
            "at_most": lambda: actual <= wanted,
            "below": lambda: actual < wanted,
            "above": lambda: actual > wanted,
            "is": lambda: bool(actual) is bool(wanted),
        }[self.operator]()

    def describe(self) -> str:
        """The condition in plain Dutch."""
        v = self.value
        if self.fact == "age":
            return {
                "at_least": f"{v} jaar of ouder",
                "at_most": f"hoogstens {v} jaar",
                "below": f"jonger dan {v} jaar",
                "above": f"ouder dan {v} jaar",
            }[self.operator]
        if self.fact == "months_job_seeker":
            months = ngettext("%(num)d maand", "%(num)d maanden", v)
            return {
                "at_least": f"minstens {months} werkzoekend",
                "at_most": f"hoogstens {months} werkzoekend",
                "below": f"minder dan {months} werkzoekend",
                "above": f"meer dan {months} werkzoekend",
            }[self.operator]
        if self.fact == "diploma":
            if self.operator == "at_most":
                return f"hoogstens {DIPLOMA_SHORT[v]}"
            return f"minstens {DIPLOMA_SHORT[v]}"
        positive = {
            "registered_job_seeker": "ingeschreven als werkzoekende bij VDAB",
            "social_assistance": "leefloon of financiële maatschappelijke hulp",
            "work_disability": "erkende arbeidshandicap",
            "part_time_learner": "deeltijds lerend",
        }[self.fact]
        return positive if v else f"niet: {positive}"


@dataclass(frozen=True)
class Rule:
    id: str
    reason: str
    conditions: tuple[Condition, ...]
    source: str | None = None

    @property
    def open_to_all(self) -> bool:
        return not self.conditions

    def unmet(self, facts: dict[str, Any]) -> list[Condition]:
        return [c for c in self.conditions if not c.holds(facts)]


@dataclass(frozen=True)
class InstrumentRules:
    instrument: str
    rules: tuple[Rule, ...]
    not_eligible: str
    source: str | None = None


@dataclass
class ParsedRuleSet:
    key: str
    version: int
    title: str
    effective_from: dt.date
    source: str
    instruments: dict[str, InstrumentRules] = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    legal: LegalSource | None = None
    valid_until: dt.date | None = None

    @property
    def ref(self) -> tuple[str, int]:
        return (self.key, self.version)


@dataclass(frozen=True)
class LegalSource:
    """The regulation a rule set follows: "Decreet van 7 juli 2017 betreffende wijk-werken"."""

    title: str
    date: dt.date | None = None
    reference: str | None = None  # a link (https://…) or where it is published

    @property
    def link(self) -> str | None:
        return (
            self.reference
            if self.reference and self.reference.startswith(("https://", "http://"))
            else None
        )


@dataclass(frozen=True)
class RuleRef:
    """Which rule of which rule set: what a referral records."""

    rule_set_key: str
    rule_set_version: int
    rule_id: str


@dataclass
class Judgement:
    """Eligibility for one instrument, with the reason in plain Dutch."""

    instrument: str
    eligible: bool | None  # None: no rule set in force says anything about this instrument
    reason: str
    rule: RuleRef | None = None
    source: str | None = None
    rule_set_title: str | None = None
    open_to_all: bool = False
    missing: list[str] = field(default_factory=list)
    rule_set: ParsedRuleSet | None = None

    @property
    def label(self) -> str:
        return INSTRUMENTS.get(self.instrument, self.instrument)


def cited_rule_sets(judgements: list[Judgement]) -> tuple[list[ParsedRuleSet], dict[str, int]]:
    """The rule sets a verdict follows, in order, and per instrument the number of its set: each
    set's regulation and start date are shown once above the table, the rows refer to it."""
    sets: list[ParsedRuleSet] = []
    number: dict[str, int] = {}
    for judgement in judgements:
        if judgement.rule_set is None:
            continue
        refs = [s.ref for s in sets]
        if judgement.rule_set.ref not in refs:
            sets.append(judgement.rule_set)
            refs.append(judgement.rule_set.ref)
        number[judgement.instrument] = refs.index(judgement.rule_set.ref) + 1
    return sets, number


# -- parsing and validation -------------------------------------------------------------------


def parse_document(text: str) -> ParsedRuleSet:
    """Parse and validate a rule set's YAML; RuleSetError lists every problem in Dutch."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" op regel {mark.line + 1}" if mark is not None else ""
        raise RuleSetError(
            [
                (
                    f"Dit is geen geldige YAML: fout{where}. Zet een zin met een dubbelepunt tussen "
                    "aanhalingstekens of gebruik >- en schrijf hem op de volgende regel."
                )
            ]
        ) from None
    return parse_data(data)


def parse_data(data: Any) -> ParsedRuleSet:
    problems: list[str] = []
    if not isinstance(data, dict):
        raise RuleSetError(
            [
                (
                    "Een regelset is een YAML-document met de sleutels id, version, title, "
                    "effective_from, source en instruments."
                )
            ]
        )
    unknown = set(data) - {
        "id",
        "version",
        "title",
        "effective_from",
        "source",
        "instruments",
        "legal_source",
        "valid_until",
    }
    if unknown:
        problems.append(f"Onbekende sleutel(s): {', '.join(sorted(map(str, unknown)))}.")
    key = data.get("id")
    if not isinstance(key, str) or not SLUG.match(key):
        problems.append(
            "id: geef een korte naam in kleine letters, cijfers en streepjes (bv. wijk-werken-2018)."
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version: geef een geheel getal vanaf 1.")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip() or len(title) > 200:
        problems.append("title: geef een titel van hoogstens 200 tekens.")
    effective = data.get("effective_from")
    if isinstance(effective, str):
        try:
            effective = dt.date.fromisoformat(effective)
        except ValueError:
            effective = None
    if not isinstance(effective, dt.date) or isinstance(effective, dt.datetime):
        problems.append("effective_from: geef de datum waarop de regels ingaan als JJJJ-MM-DD.")
    legal = _parse_legal_source(data.get("legal_source"), problems)
    valid_until = _date(data.get("valid_until"))
    if data.get("valid_until") is not None and valid_until is None:
        problems.append("valid_until: geef de laatste dag waarop de regels gelden als JJJJ-MM-DD.")
    elif valid_until and isinstance(effective, dt.date) and valid_until < effective:
        problems.append("valid_until: de laatste dag ligt vóór de eerste dag (effective_from).")
    source = data.get("source")
    if source is None and legal is not None:
        source = legal_text(legal)
    if not isinstance(source, str) or len(source.strip()) < 10:
        problems.append(
            "source: vermeld de bron (de regelgeving of beleidsbrief waar de regels uit komen)."
        )
    instruments: dict[str, InstrumentRules] = {}
    raw_instruments = data.get("instruments")
    if not isinstance(raw_instruments, dict) or not raw_instruments:
        problems.append(f"instruments: geef minstens één instrument ({', '.join(INSTRUMENTS)}).")
        raw_instruments = {}
    rule_ids: set[str] = set()
    for name, body in raw_instruments.items():
        where = f"instruments.{name}"
        if name not in INSTRUMENTS:
            problems.append(f"{where}: onbekend instrument. Kies uit: {', '.join(INSTRUMENTS)}.")
            continue
        if not isinstance(body, dict):
            problems.append(f"{where}: verwacht de sleutels rules en not_eligible.")
            continue
        extra = set(body) - {"rules", "not_eligible", "source"}
        if extra:
            problems.append(f"{where}: onbekende sleutel(s): {', '.join(sorted(map(str, extra)))}.")
        not_eligible = body.get("not_eligible", "")
        if not isinstance(not_eligible, str):
            problems.append(f"{where}.not_eligible: verwacht een zin.")
            not_eligible = ""
        rules = body.get("rules")
        if not isinstance(rules, list) or not rules:
            problems.append(f"{where}.rules: geef minstens één regel.")
            continue
        parsed_rules = []
        for i, raw in enumerate(rules, start=1):
            rule = _parse_rule(raw, f"{where}.rules[{i}]", problems, rule_ids)
            if rule is not None:
                parsed_rules.append(rule)
        if not not_eligible.strip() and any(r.conditions for r in parsed_rules):
            problems.append(
                f"{where}.not_eligible: schrijf in gewone taal wanneer iemand niet in aanmerking komt."
            )
        inst_source = body.get("source")
        instruments[name] = InstrumentRules(
            name,
            tuple(parsed_rules),
            not_eligible.strip(),
            inst_source if isinstance(inst_source, str) else None,
        )
    if problems:
        raise RuleSetError(problems)
    return ParsedRuleSet(
        key=key,
        version=version,
        title=title.strip(),
        effective_from=effective,
        source=source.strip(),
        instruments=instruments,
        raw=_jsonable(data),
        legal=legal,
        valid_until=valid_until,
    )


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None


def _parse_legal_source(raw: Any, problems: list[str]) -> LegalSource | None:
    """legal_source: {title: ..., date: JJJJ-MM-DD, reference: link or publication}."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or set(raw) - {"title", "date", "reference"}:
        problems.append("legal_source: verwacht title, date en reference (een link of vindplaats).")
        return None
    title = raw.get("title")
    if not isinstance(title, str) or len(title.strip()) < 10 or len(title) > 300:
        problems.append("legal_source.title: geef de titel van de regelgeving (10 tot 300 tekens).")
        return None
    date = _date(raw.get("date"))
    if raw.get("date") is not None and date is None:
        problems.append("legal_source.date: geef de datum van de regelgeving als JJJJ-MM-DD.")
    reference = raw.get("reference")
    if reference is not None and (not isinstance(reference, str) or len(reference) > 500):
        problems.append("legal_source.reference: een link of vindplaats van hoogstens 500 tekens.")
        reference = None
    return LegalSource(title.strip(), date, reference.strip() if reference else None)


def legal_text(legal: LegalSource) -> str:
    """The regulation in one line, for rule sets' `source` text and exports."""
    return ", ".join(part for part in (legal.title, legal.reference) if part)


def _parse_rule(raw: Any, where: str, problems: list[str], seen: set[str]) -> Rule | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: verwacht id, reason en all.")
        return None
    extra = set(raw) - {"id", "reason", "all", "source"}
    if extra:
        problems.append(f"{where}: onbekende sleutel(s): {', '.join(sorted(map(str, extra)))}.")
    rule_id = raw.get("id")
    ok = True
    if not isinstance(rule_id, str) or not SLUG.match(rule_id):
        problems.append(f"{where}.id: geef een korte naam in kleine letters, cijfers en streepjes.")
        ok = False
    elif rule_id in seen:
        problems.append(f"{where}.id: '{rule_id}' komt twee keer voor.")
        ok = False
    else:
        seen.add(rule_id)
    reason = raw.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        problems.append(f"{where}.reason: leg in gewone taal uit waarom iemand in aanmerking komt.")
        ok = False
    conditions = raw.get("all", [])
    if not isinstance(conditions, list):
        problems.append(f"{where}.all: verwacht een lijst van voorwaarden (leeg: iedereen).")
        return None
    parsed = []
    for j, cond in enumerate(conditions, start=1):
        c = _parse_condition(cond, f"{where}.all[{j}]", problems)
        if c is None:
            ok = False
        else:
            parsed.append(c)
    if not ok:
        return None
    source = raw.get("source")
    return Rule(rule_id, reason.strip(), tuple(parsed), source if isinstance(source, str) else None)


def _parse_condition(raw: Any, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(raw, dict) or "fact" not in raw or len(raw) != 2:
        problems.append(f"{where}: verwacht {{fact: ..., <operator>: <waarde>}}.")
        return None
    fact = raw["fact"]
    if fact not in FACTS:
        problems.append(f"{where}.fact: onbekend gegeven '{fact}'. Kies uit: {', '.join(FACTS)}.")
        return None
    kind = FACTS[fact]
    operator = next(k for k in raw if k != "fact")
    if operator not in OPERATORS[kind]:
        problems.append(
            f"{where}: '{operator}' kan niet bij {fact}. Kies uit: {', '.join(OPERATORS[kind])}."
        )
        return None
    value = raw[operator]
    if kind == "number" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
        problems.append(f"{where}.{operator}: verwacht een geheel getal vanaf 0.")
        return None
    if kind == "diploma" and value not in DIPLOMAS:
        problems.append(
            f"{where}.{operator}: onbekend diploma '{value}'. Kies uit: {', '.join(DIPLOMAS)}."
        )
        return None
    if kind == "bool" and not isinstance(value, bool):
        problems.append(f"{where}.{operator}: verwacht true of false.")
        return None
    return Condition(fact, operator, value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# -- storage ----------------------------------------------------------------------------------


def store(session: Session, document: str, actor: str = "systeem") -> RuleSet:
    """Validate and store a new rule set. A stored set never changes: a change is a new version."""
    parsed = parse_document(document)
    existing = session.scalar(
        select(RuleSet).where(RuleSet.key == parsed.key, RuleSet.version == parsed.version)
    )
    if existing is not None:
        raise RuleSetError(
            [
                (
                    f"Regelset {parsed.key} versie {parsed.version} bestaat al. "
                    "Geef de nieuwe regels een hoger versienummer."
                )
            ]
        )
    legal = parsed.legal
    rule_set = RuleSet(
        key=parsed.key,
        version=parsed.version,
        title=parsed.title,
        effective_from=parsed.effective_from,
        source=parsed.source,
        document=document,
        rules=parsed.raw,
        created_by=actor,
        valid_until=parsed.valid_until,
        source_title=legal.title if legal else None,
        source_date=legal.date if legal else None,
        source_reference=legal.reference if legal else None,
    )
    session.add(rule_set)
    session.flush()
    return rule_set


def load_directory(session: Session, directory: Path) -> int:
    """Store the shipped rule sets (fixtures/regels/*.yaml) that are not there yet; idempotent."""
    added = 0
    for path in sorted(directory.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text)
        exists = session.scalar(
            select(RuleSet.id).where(RuleSet.key == parsed.key, RuleSet.version == parsed.version)
        )
        if exists is None:
            store(session, text, actor=f"{path.name} (init)")
            added += 1
    return added


def all_sets(session: Session) -> list[RuleSet]:
    return list(
        session.scalars(
            select(RuleSet).order_by(
                RuleSet.effective_from.desc(), RuleSet.version.desc(), RuleSet.id.desc()
            )
        )
    )


# -- which rules are in force -----------------------------------------------------------------


@dataclass
class InForce:
    """For each instrument, the rules in force on a date and the set they come from."""

    on: dt.date
    by_instrument: dict[str, tuple[ParsedRuleSet, InstrumentRules]]


def in_force(session: Session, on: dt.date | None = None) -> InForce:
    on = on or dt.date.today()
    chosen: dict[str, tuple[ParsedRuleSet, InstrumentRules]] = {}
    for row in all_sets(session):  # newest first
        if row.effective_from > on or (row.valid_until is not None and row.valid_until < on):
            continue
        parsed = parse_data(row.rules)
        for instrument, rules in parsed.instruments.items():
            chosen.setdefault(instrument, (parsed, rules))
    return InForce(on, chosen)


def judge(rules: InForce, facts: dict[str, Any]) -> list[Judgement]:
    """Per instrument (in the usual order): eligible or not, why, and by which rule."""
    judgements = []
    for instrument in INSTRUMENTS:
        found = rules.by_instrument.get(instrument)
        if found is None:
            judgements.append(
                Judgement(
                    instrument,
                    None,
                    "Er zijn (nog) geen regels voor dit instrument "
                    "in de regels die vandaag gelden. Vraag het na bij de aanbieder.",
                )
            )
            continue
        rule_set, instrument_rules = found
        source = instrument_rules.source or rule_set.source
        for rule in instrument_rules.rules:
            if not rule.unmet(facts):
                judgements.append(
                    Judgement(
                        instrument,
                        True,
                        rule.reason,
                        RuleRef(rule_set.key, rule_set.version, rule.id),
                        rule.source or source,
                        rule_set.title,
                        rule.open_to_all,
                        rule_set=rule_set,
                    )
                )
                break
        else:
            # Each rule is one way to qualify: what is missing per rule are alternatives ("óf"),
            # the conditions within one rule all count ("en").
            missing = []
            for rule in instrument_rules.rules:
                missing.append(" en ".join(c.describe() for c in rule.unmet(facts)))
            judgements.append(
                Judgement(
                    instrument,
                    False,
                    instrument_rules.not_eligible,
                    None,
                    source,
                    rule_set.title,
                    missing=missing,
                    rule_set=rule_set,
                )
            )
    return judgements


def rule_reason(session: Session, ref: RuleRef) -> str | None:
    """The plain-Dutch reason of a recorded rule, to show with a referral."""
    row = session.scalar(
        select(RuleSet).where(
            RuleSet.key == ref.rule_set_key, RuleSet.version == ref.rule_set_version
        )
    )
    if row is None:
        return None
    for instrument in (row.rules.get("instruments") or {}).values():
        for rule in instrument.get("rules") or []:
            if rule.get("id") == ref.rule_id:
                return rule.get("reason")
    return None
