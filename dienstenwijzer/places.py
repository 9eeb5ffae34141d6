"""Municipalities and postcodes: resolve what people type to a place and its coordinates."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Municipality, Postcode, Region
from .search.analysis import words

CACHE_SECONDS = 300


def name_key(text: str) -> str:
    """Names compared without case, accents, hyphens or extra spaces: "Kessel-Lo" = "kessel lo"."""
    return " ".join(words(text))


@dataclass(frozen=True)
class Place:
    nis_code: str
    name: str
    lat: float | None
    lon: float | None
    region_slug: str | None
    flemish: bool


@dataclass(frozen=True)
class PostalPlace:
    code: str
    place_name: str | None
    nis_code: str
    lat: float | None
    lon: float | None


class Places:
    def __init__(self, session: Session):
        slug_of = dict(session.execute(select(Region.id, Region.slug)).all())
        self.by_nis: dict[str, Place] = {}
        self.by_name: dict[str, Place] = {}
        for m in session.scalars(select(Municipality)):
            place = Place(m.nis_code, m.name, m.lat, m.lon, slug_of.get(m.region_id), m.flemish)
            self.by_nis[m.nis_code] = place
            for name in (m.name, m.name_fr):
                # Dutch names win over a French name that happens to be the same.
                if name and (name_key(name) not in self.by_name or name == m.name):
                    self.by_name[name_key(name)] = place
        self.postcodes: dict[str, list[PostalPlace]] = defaultdict(list)
        self.by_place_name: dict[str, PostalPlace] = {}
        for p in session.scalars(select(Postcode)):
            postal = PostalPlace(p.code, p.place_name, p.nis_code, p.lat, p.lon)
            self.postcodes[p.code].append(postal)
            if p.place_name:
                self.by_place_name.setdefault(name_key(p.place_name), postal)

    def municipality(self, text: str) -> Place | None:
        """By NIS code or by Dutch or French name, case and accents ignored."""
        text = text.strip()
        if text.isdigit():
            return self.by_nis.get(text)
        return self.by_name.get(name_key(text))

    def municipalities_for_postcode(self, code: str) -> list[Place]:
        seen = dict.fromkeys(p.nis_code for p in self.postcodes.get(code, []))
        return [self.by_nis[n] for n in seen if n in self.by_nis]

    def postcode_belongs_to(self, code: str, nis_code: str) -> bool:
        return any(p.nis_code == nis_code for p in self.postcodes.get(code, []))

    def coordinates(self, code: str, nis_code: str | None = None) -> tuple[float, float] | None:
        """Mean of the postal places with this postcode (in this municipality, if given)."""
        points = [
            (p.lat, p.lon)
            for p in self.postcodes.get(code, [])
            if p.lat is not None and (nis_code is None or p.nis_code == nis_code)
        ]
        if not points:
            return None
        return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))

    def point_for(
        self, postcode: str | None, nis_code: str | None, served: list[str]
    ) -> tuple[float, float] | None:
        """Where a service is, for distances: its postal place, else its or its first served municipality."""
        point = self.coordinates(postcode, nis_code) if postcode else None
        for nis in (nis_code, *served[:1]):
            if point is None and nis in self.by_nis and self.by_nis[nis].lat is not None:
                point = (self.by_nis[nis].lat, self.by_nis[nis].lon)
        return point

    def find(self, text: str) -> tuple[Place | None, tuple[float, float] | None]:
        """What a resident typed in "postcode or municipality": the place and a point."""
        text = text.strip()
        if text[:4].isdigit():
            code = text[:4]
            places = self.municipalities_for_postcode(code)
            if places:
                return places[0], self.coordinates(code, places[0].nis_code)
            return None, None
        place = self.municipality(text)
        if place is None:
            postal = self.by_place_name.get(name_key(text))
            if postal is not None:
                place = self.by_nis.get(postal.nis_code)
                return place, (postal.lat, postal.lon) if postal.lat is not None else None
        if place is None:
            return None, None
        return place, (place.lat, place.lon) if place.lat is not None else None

    def suggest(self, text: str) -> str | None:
        """The municipality name nearest to a misspelt one."""
        typed = name_key(text)
        limit = 1 if len(typed) <= 4 else 2
        found = process.extract(
            typed, list(self.by_name), scorer=OSA.distance, score_cutoff=limit, limit=5
        )
        if not found:
            return None
        # Nearest first; among equals a Flemish municipality, then the alphabet.
        best = min(found, key=lambda c: (c[1], not self.by_name[c[0]].flemish, c[0]))
        return self.by_name[best[0]].name


_cache: dict[str, tuple[float, Places]] = {}


def cached_places(session: Session, key: str) -> Places:
    """Reference data changes only with `init`; each process keeps it a few minutes."""
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    places = Places(session)
    _cache[key] = (time.monotonic(), places)
    return places


def app_places() -> Places:
    """The places of the current app's database, for views of any area."""
    from flask import current_app

    from .db import db

    return cached_places(db.session, current_app.config["DATABASE_URL"])
