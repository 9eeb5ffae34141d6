"""Privacy by default for what residents type (DESIGN.md invariant 5).

Before a search text or a need is stored (counts, signals), what looks like personal data is
cut out: e-mail addresses, phone and national numbers (any run of six or more digits, which
covers the Belgian formats 0470 12 34 56, +32 9 123 45 67, 09/123.45.67, 85.07.30-033.61 and
bank accounts) and street addresses (a street name with a house number). Postcodes (four
digits) stay: "poetshulp 9000" is a need with a place, not a person.

Clients are told apart only by a keyed hash of their address and the day: it limits how much
one client can count without storing who they are, and cannot be linked across days.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

from ..search.analysis import fold

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[0-9A-Z]{4}){2,7}\b", re.IGNORECASE)
# Six or more digits with the separators people type between them: phones, national numbers.
LONG_NUMBER = re.compile(r"(?:\+|\b)\d(?:[\s./()-]{0,3}\d){5,}\b")
STREET_WORDS = (
    "straat|str|laan|lei|weg|plein|dreef|kaai|markt|baan|dijk|pad|hof|singel|gracht|vest|wal|"
    "kouter|dries|plaats|poort|reke|berg|veld|steeg|meers|kerkhof"
)
# "Kerkstraat 12", "Sint-Pietersnieuwstraat 41 bus 3", "Grote Markt 7A", "Kouter 2".
STREET_ADDRESS = re.compile(
    rf"\b[\w'-]*(?:{STREET_WORDS})\.?\s+\d{{1,4}}(?:\s?[a-z])?\b(?:\s*(?:bus|/)\s*\d+[a-z]?)?",
    re.IGNORECASE | re.UNICODE,
)
SPACES = re.compile(r"\s+")


def strip_personal_data(text: str) -> str:
    """The text without e-mail addresses, phone/national/account numbers and street addresses."""
    for pattern in (EMAIL, IBAN, STREET_ADDRESS, LONG_NUMBER):
        text = pattern.sub(" ", text)
    return SPACES.sub(" ", text).strip(" ,;:-/")


def as_typed(text: str, max_length: int) -> str:
    """A search as residents typed it, for "Meest gezocht": folded, personal data removed."""
    return SPACES.sub(" ", fold(strip_personal_data(text))).strip()[:max_length]


def client_key(secret: str, address: str | None, day: dt.date) -> str:
    """A keyed hash of the client address and the day; the address itself is never kept."""
    message = f"{address or '?'}|{day.isoformat()}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
