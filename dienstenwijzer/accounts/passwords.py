"""Password rules and hashing (scrypt, memory-hard, via Werkzeug).

Besides the length, a password must not be guessable: zxcvbn (Dropbox's estimator) knows the
common passwords, keyboard patterns, repeats, sequences and dates that guessing tools try first.
"""

from __future__ import annotations

import re
from functools import cache

from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 12
MAX_LENGTH = 128
# zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
MIN_SCORE = 3
# zxcvbn's word lists are English: add the Dutch and site words people here reach for first.
GUESSABLE_WORDS = (
    "wachtwoord",
    "paswoord",
    "welkom",
    "geheim",
    "dienstenwijzer",
    "werkwinkel",
    "regisseur",
    "consulent",
    "beheerder",
    "vlaanderen",
    "belgie",
    "azerty",
    "zomer",
    "winter",
    "lente",
    "herfst",
    "liefde",
    "voetbal",
    "schatje",
    "hallo",
)
# zxcvbn's warnings (feedback.py), in plain Dutch.
WARNINGS_NL = {
    "Straight rows of keys are easy to guess.": "Toetsen die op een rij naast elkaar liggen, zijn makkelijk te raden.",
    "Short keyboard patterns are easy to guess.": "Korte patronen op het toetsenbord zijn makkelijk te raden.",
    'Repeats like "aaa" are easy to guess.': "Hetzelfde teken herhalen (zoals “aaa”) is makkelijk te raden.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "Iets herhalen (zoals “abcabc”) is bijna even makkelijk te raden als één keer.",
    'Sequences like "abc" or "6543" are easy to guess.': "Reeksen zoals “abc” of “6543” zijn makkelijk te raden.",
    "Recent years are easy to guess.": "Jaartallen zijn makkelijk te raden.",
    "Dates are often easy to guess.": "Datums zijn makkelijk te raden.",
    "This is a top-10 common password.": "Dit is een van de meest gebruikte wachtwoorden.",
    "This is a top-100 common password.": "Dit is een van de meest gebruikte wachtwoorden.",
    "This is a very common password.": "Dit is een veelgebruikt wachtwoord.",
    "This is similar to a commonly used password.": "Dit lijkt op een veelgebruikt wachtwoord.",
    "A word by itself is easy to guess.": "Eén woord alleen is makkelijk te raden.",
    "Names and surnames by themselves are easy to guess.": "Een naam alleen is makkelijk te raden.",
    "Common names and surnames are easy to guess.": "Gewone voornamen en achternamen zijn makkelijk te raden.",
}
ADVICE = (
    "Kies bijvoorbeeld een zin van drie of vier gewone woorden die niet bij elkaar horen, "
    "zoals “paarse olifant danst op zolder”."
)


@cache
def _dummy_hash() -> str:
    """A valid hash to compare against when the account does not exist, so timing does not tell.
    Made on first use: every web worker imports this module, few of them ever log anyone in."""
    return generate_password_hash("dummy-password-for-timing", method="scrypt")


def personal_words(*values: str | None) -> list[str]:
    """The words of an account's e-mail address and name: a password must not be built on them."""
    words = (w for value in values if value for w in re.split(r"[\s@._+-]+", value.lower()))
    return [w for w in words if len(w) > 2]


def password_problem(password: str, personal: list[str] | tuple[str, ...] = ()) -> str | None:
    """Why this password cannot be used, in Dutch, or None when it is fine."""
    if len(password) < MIN_LENGTH:
        return f"Kies een wachtwoord van minstens {MIN_LENGTH} tekens."
    if len(password) > MAX_LENGTH:
        return f"Een wachtwoord mag hoogstens {MAX_LENGTH} tekens lang zijn."
    # Imported here: its word lists take 11 MB in every process that imports it, and only the
    # few requests that set a password need them.
    from zxcvbn import zxcvbn

    result = zxcvbn(password, user_inputs=[*GUESSABLE_WORDS, *personal])
    if result["score"] >= MIN_SCORE:
        return None
    warning = WARNINGS_NL.get(result["feedback"]["warning"])
    warning = warning or _word_warning(password.lower(), personal)
    return " ".join(filter(None, ["Dit wachtwoord is te makkelijk te raden.", warning, ADVICE]))


def _word_warning(password: str, personal) -> str:
    if any(w in password for w in personal):
        return "Het bevat uw naam of een deel van uw e-mailadres."
    common = next((w for w in GUESSABLE_WORDS if w in password), None)
    return f"Een woord als “{common}” proberen raders als eerste." if common else ""


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
