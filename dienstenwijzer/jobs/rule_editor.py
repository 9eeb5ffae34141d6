"""The rule-set editor: a form's answers in Dutch become a rule set in the rules module's schema
(and its YAML, kept for export), and an instrument's rules in force fill the form back in.

Only conditions the form can show are offered; every rule set, also one imported as YAML,
goes through the same validation (eligibility_rules.parse_data) before it is stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import RuleSet
from ..models.jobs import INSTRUMENTS
from . import eligibility_rules

# Form field of a rule -> (fact, operator). Booleans are answered "ja", "nee" or "" (any).
NUMBER_FIELDS = {
    "age_at_least": ("age", "at_least"),
    "age_below": ("age", "below"),
    "age_at_most": ("age", "at_most"),
    "months_at_least": ("months_job_seeker", "at_least"),
    "months_above": ("months_job_seeker", "above"),
    "diploma_at_most": ("diploma", "at_most"),
}
YES_NO_FIELDS = (
    "registered_job_seeker",
    "social_assistance",
    "work_disability",
    "part_time_learner",
)
RULE_FIELDS = ("reason", *NUMBER_FIELDS, *YES_NO_FIELDS)


def conditions_of(answers: dict[str, Any]) -> list[dict]:
    out = []
    for name, (fact, operator) in NUMBER_FIELDS.items():
        value = answers.get(name)
        if value not in (None, ""):
            out.append({"fact": fact, operator: value})
    for fact in YES_NO_FIELDS:
        if answers.get(fact) in ("ja", "nee"):
            out.append({"fact": fact, "is": answers[fact] == "ja"})
    return out


def rule_set_data(
    *,
    instrument: str,
    title: str,
    legal_title: str,
    legal_date: dt.date | None,
    legal_reference: str | None,
    effective_from: dt.date,
    valid_until: dt.date | None,
    not_eligible: str,
    rule_answers: list[dict[str, Any]],
    key: str,
    version: int,
) -> dict:
    """A rule set (as the YAML schema has it) for one instrument; rules without reason are blanks."""
    rule_list = []
    for answers in rule_answers:
        if not (answers.get("reason") or "").strip():
            continue
        rule_list.append(
            {
                "id": f"{instrument}-{len(rule_list) + 1}",
                "reason": answers["reason"].strip(),
                "all": conditions_of(answers),
            }
        )
    legal: dict[str, Any] = {"title": legal_title.strip()}
    if legal_date:
        legal["date"] = legal_date
    if legal_reference and legal_reference.strip():
        legal["reference"] = legal_reference.strip()
    data: dict[str, Any] = {
        "id": key,
        "version": version,
        "title": title.strip(),
        "effective_from": effective_from,
        "legal_source": legal,
    }
    if valid_until:
        data["valid_until"] = valid_until
    body: dict[str, Any] = {"rules": rule_list}
    if not_eligible.strip():
        body = {"not_eligible": not_eligible.strip(), **body}
    data["instruments"] = {instrument: body}
    return data


def key_for(instrument: str, effective_from: dt.date) -> str:
    return f"{instrument}-{effective_from.isoformat()}"


def next_version(session: Session, key: str) -> int:
    return (session.scalar(select(func.max(RuleSet.version)).where(RuleSet.key == key)) or 0) + 1


def save(session: Session, data: dict, actor: str) -> RuleSet:
    """Store the rule set with its YAML (for export and the next version); never commits."""
    document = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return eligibility_rules.store(session, document, actor=actor)


def answers_in_force(session: Session, instrument: str) -> dict[str, Any] | None:
    """The form's answers for the rules of `instrument` in force today, to start a new version
    from; None when there are none or they use a condition the form cannot show."""
    found = eligibility_rules.in_force(session).by_instrument.get(instrument)
    if found is None:
        return None
    rule_set, instrument_rules = found
    rule_answers = []
    for rule in instrument_rules.rules:
        answers: dict[str, Any] = {"reason": rule.reason}
        for condition in rule.conditions:
            if condition.fact in YES_NO_FIELDS:
                answers[condition.fact] = "ja" if condition.value else "nee"
                continue
            name = next(
                (
                    n
                    for n, fo in NUMBER_FIELDS.items()
                    if fo == (condition.fact, condition.operator)
                ),
                None,
            )
            if name is None:
                return None
            answers[name] = condition.value
        rule_answers.append(answers)
    legal = rule_set.legal
    return {
        "instrument": instrument,
        "title": rule_set.title if len(rule_set.instruments) == 1 else INSTRUMENTS[instrument],
        "legal_title": legal.title if legal else "",
        "legal_date": legal.date if legal else None,
        "legal_reference": legal.reference if legal else "",
        "not_eligible": instrument_rules.not_eligible,
        "rules": rule_answers,
    }
