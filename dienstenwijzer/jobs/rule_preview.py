"""The rule-set editor's preview: the rules as edited (not saved) judged against a few made-up
job seekers, so an admin sees what a consulent will read before the rules are stored.

The profiles are data, described in plain Dutch; they are fictional and cover the usual
target groups (young without diploma, long-term job seeker, leefloon, work disability, older
with a degree, part-time learner), so most rules say "ja" to one and "nee" to another.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .eligibility import Profile
from .eligibility_rules import InForce, Judgement, judge, parse_data


@dataclass(frozen=True)
class SampleProfile:
    name: str
    description: str
    profile: Profile


SAMPLE_PROFILES: tuple[SampleProfile, ...] = (
    SampleProfile(
        "Jonge schoolverlater",
        "19 jaar, geen diploma, sinds 3 maanden ingeschreven bij VDAB.",
        Profile(age=19, diploma="geen", months_job_seeker=3, registered_job_seeker=True),
    ),
    SampleProfile(
        "Langdurig werkzoekende",
        "45 jaar, getuigschrift tweede graad, al 30 maanden werkzoekend.",
        Profile(age=45, diploma="tweede-graad", months_job_seeker=30, registered_job_seeker=True),
    ),
    SampleProfile(
        "Leefloner",
        "34 jaar, diploma secundair onderwijs, 6 maanden werkzoekend, krijgt een leefloon.",
        Profile(
            age=34,
            diploma="secundair",
            months_job_seeker=6,
            registered_job_seeker=True,
            social_assistance=True,
        ),
    ),
    SampleProfile(
        "Met een arbeidshandicap",
        "52 jaar, geen diploma, 18 maanden werkzoekend, erkende arbeidshandicap.",
        Profile(
            age=52,
            diploma="geen",
            months_job_seeker=18,
            registered_job_seeker=True,
            work_disability=True,
        ),
    ),
    SampleProfile(
        "Oudere werkzoekende met een diploma hoger onderwijs",
        "58 jaar, bachelor, 14 maanden werkzoekend.",
        Profile(age=58, diploma="hoger", months_job_seeker=14, registered_job_seeker=True),
    ),
    SampleProfile(
        "Deeltijds lerende jongere",
        "17 jaar, volgt deeltijds onderwijs, niet ingeschreven als werkzoekende.",
        Profile(age=17, diploma="geen", months_job_seeker=0, part_time_learner=True),
    ),
)


@dataclass(frozen=True)
class PreviewRow:
    sample: SampleProfile
    judgement: Judgement


def preview(data: dict[str, Any]) -> list[PreviewRow]:
    """Each sample profile judged by the rule set `data` (one instrument, as the editor makes
    it) as if it were the only one in force. Validation problems raise RuleSetError."""
    parsed = parse_data(data)
    ((instrument, rules),) = parsed.instruments.items()
    only_these = InForce(parsed.effective_from, {instrument: (parsed, rules)})
    rows = []
    for sample in SAMPLE_PROFILES:
        judgements = judge(only_these, sample.profile.facts())
        rows.append(PreviewRow(sample, next(j for j in judgements if j.instrument == instrument)))
    return rows
