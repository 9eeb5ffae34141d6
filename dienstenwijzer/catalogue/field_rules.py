"""Field rules for catalogue data, shared by the CSV import and the back-office forms.

Each check returns the cleaned value or raises RuleError with a Dutch message for residents'
and regisseurs' eyes.
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from email_validator import EmailNotValidError, validate_email

from ..search.analysis import fold


class RuleError(ValueError):
    pass


class FieldRuleError(RuleError):
    """A rule broken by one field of several checked together (column: import name)."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column


MAX_LENGTHS = {
    "naam": 200,
    "aanbieder": 200,
    "straat": 200,
    "telefoon": 40,
    "email": 200,
    "website": 300,
    "prijs": 300,
    "doelgroep": 300,
    "openingsuren": 300,
    "extern_id": 100,
    "omschrijving": 5000,
}

YES = {"ja", "j", "yes", "y", "1", "true", "waar"}
NO = {"nee", "n", "no", "0", "false", "onwaar", ""}


def check_length(column: str, value: str) -> str:
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        raise RuleError(f"te lang ({len(value)} tekens, maximum {limit})")
    return value


def phone(value: str) -> str:
    """A Belgian or international phone number, kept as typed (spaces tidied)."""
    cleaned = " ".join(value.split())
    if not re.fullmatch(r"\+?[0-9 ./()-]+", cleaned):
        raise RuleError(f"'{value}' is geen telefoonnummer: gebruik alleen cijfers, spaties en +")
    digits = re.sub(r"\D", "", cleaned)
    if cleaned.startswith("+"):
        if digits.startswith("32"):
            digits = "0" + digits[2:]
        elif not 8 <= len(digits) <= 15:
            raise RuleError(f"'{value}' is geen geldig internationaal telefoonnummer")
        else:
            return cleaned
    if not digits.startswith("0") or len(digits) not in (9, 10):
        raise RuleError(
            f"'{value}' is geen Belgisch telefoonnummer: verwacht 9 of 10 cijfers, "
            "beginnend met 0 (bv. 09 123 45 67 of 0470 12 34 56)"
        )
    return cleaned


def email(value: str) -> str:
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        raise RuleError(f"'{value}' is geen geldig e-mailadres (bv. naam@voorbeeld.be)") from None


def website(value: str) -> str:
    value = value.strip()
    if not re.match(r"^https?://", value, re.IGNORECASE):
        value = "https://" + value
    parsed = urlparse(value)
    host = parsed.hostname or ""
    if not host or "." not in host or " " in value:
        raise RuleError(f"'{value}' is geen geldig webadres (bv. https://www.voorbeeld.be)")
    return value


def yes_no(value: str) -> bool:
    folded = fold(value.strip())
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise RuleError(f"'{value}' is geen ja of nee")


def postcode(value: str) -> str:
    value = value.strip()
    if not re.fullmatch(r"[1-9][0-9]{3}", value):
        raise RuleError(f"'{value}' is geen Belgische postcode (4 cijfers)")
    return value


def split_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def municipality(places, text: str, column: str):
    """The municipality someone typed, or FieldRuleError with a suggestion."""
    place = places.municipality(text)
    if place is None:
        hint = places.suggest(text)
        raise FieldRuleError(
            column, f"onbekende gemeente '{text}'" + (f" (bedoelt u {hint}?)" if hint else "")
        )
    return place


def address(places, code: str | None, town: str | None) -> str | None:
    """The NIS code of an address from its postcode and/or municipality; checks they agree."""
    nis = municipality(places, town, "gemeente").nis_code if town else None
    if code:
        owners = places.municipalities_for_postcode(code)
        if not owners:
            raise FieldRuleError("postcode", f"postcode {code} bestaat niet")
        if nis and not places.postcode_belongs_to(code, nis):
            raise FieldRuleError(
                "postcode", f"postcode {code} hoort niet bij {town} maar bij {owners[0].name}"
            )
        nis = nis or owners[0].nis_code
    return nis


def dienstencheques_allowed(categories) -> bool:
    """Dienstencheques may pay only for some household activities (see the taxonomy)."""
    return any(c.dienstencheques for c in categories)


DIENSTENCHEQUES_REFUSED = "dienstencheques kunnen niet betalen voor deze categorie"
