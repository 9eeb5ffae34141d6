"""Eligibility check: an anonymous profile, judged by the rules in force, and matching vacancies.

The profile lives only in this request: it is never written to the database, the session or a
log. What a referral needs later (vacancy and rule) travels in a signed form field
(`eligibility_token`), which holds no profile data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from ..models import Region, Vacancy
from ..models.jobs import VACANCY_OPEN
from ..places import Places
from ..search.facets import distance_km
from . import eligibility_rules
from .vacancies import vacancies_query

TOKEN_SALT = "jobs-eligibility"
TOKEN_MAX_AGE = 4 * 3600  # a referral form left open longer is refused: check again


@dataclass(frozen=True)
class Profile:
    """What the consulent enters about a job seeker. Never stored."""

    age: int
    diploma: str
    months_job_seeker: int
    registered_job_seeker: bool = False
    social_assistance: bool = False
    work_disability: bool = False
    part_time_learner: bool = False

    def facts(self) -> dict:
        return {
            "age": self.age,
            "diploma": self.diploma,
            "months_job_seeker": self.months_job_seeker,
            # Someone with months of registration is registered, whatever the checkbox says.
            "registered_job_seeker": self.registered_job_seeker or self.months_job_seeker > 0,
            "social_assistance": self.social_assistance,
            "work_disability": self.work_disability,
            "part_time_learner": self.part_time_learner,
        }


def check(
    session: Session, profile: Profile, on: dt.date | None = None
) -> list[eligibility_rules.Judgement]:
    return eligibility_rules.judge(eligibility_rules.in_force(session, on), profile.facts())


@dataclass
class Match:
    vacancy: Vacancy
    judgement: eligibility_rules.Judgement
    km: float | None
    token: str

    @property
    def fit(self) -> int:
        """2: a job of an instrument meant for this person's target group; 1: open to all."""
        return 1 if self.judgement.open_to_all else 2


def matching_vacancies(
    session: Session,
    region: Region,
    judgements: list[eligibility_rules.Judgement],
    places: Places,
    origin: tuple[float, float] | None,
    secret: str,
    limit: int = 50,
) -> list[Match]:
    """Open vacancies of the zorggebied the person may take: best fit first, then nearest."""
    eligible = {j.instrument: j for j in judgements if j.eligible}
    if not eligible:
        return []
    query = vacancies_query(region, status=VACANCY_OPEN).where(Vacancy.instrument.in_(eligible))
    matches = []
    for vacancy in session.scalars(query):
        km = None
        place = places.by_nis.get(vacancy.municipality_nis)
        if origin and place and place.lat is not None:
            km = distance_km(origin[0], origin[1], place.lat, place.lon)
        judgement = eligible[vacancy.instrument]
        matches.append(Match(vacancy, judgement, km, make_token(secret, vacancy, judgement.rule)))
    matches.sort(
        key=lambda m: (
            -m.fit,
            m.km if m.km is not None else 1e9,
            m.vacancy.start_date or dt.date.max,
            m.vacancy.id,
        )
    )
    return matches[:limit]


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT)


def make_token(secret: str, vacancy: Vacancy, rule: eligibility_rules.RuleRef) -> str:
    return _serializer(secret).dumps(
        {
            "v": vacancy.id,
            "i": vacancy.instrument,
            "k": rule.rule_set_key,
            "n": rule.rule_set_version,
            "r": rule.rule_id,
        }
    )


class TokenProblem(ValueError):
    pass


def read_token(
    secret: str, token: str, max_age: int = TOKEN_MAX_AGE
) -> tuple[int, str, eligibility_rules.RuleRef]:
    """(vacancy id, instrument, rule) from a token made by make_token; TokenProblem in Dutch."""
    try:
        data = _serializer(secret).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenProblem(
            "Deze controle is te oud. Doe de controle opnieuw en verwijs dan door."
        ) from None
    except BadSignature:
        raise TokenProblem(
            "Deze doorverwijzing hoort niet bij een controle. Doe de controle opnieuw."
        ) from None
    return data["v"], data["i"], eligibility_rules.RuleRef(data["k"], data["n"], data["r"])
