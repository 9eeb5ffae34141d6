"""Services that come to the resident's home, and queries that ask for one.

"kapper aan huis", "pedicure bij mij thuis": the resident asks for a service that comes to
them. A hairdresser in the local service centre is a place they must go to: that is not what
was asked, and it must not hide the unmet demand. The catalogue has no field for it, but a
service that comes to the home says so in its own words ("wij poetsen bij u thuis", "Maaltijden
aan huis", "een ploegbaas komt langs"); `comes_home` reads those when the service is indexed
(the `reach` field, schema.py), and `at_home_spans` finds the same intent in a query.
"""

from __future__ import annotations

import re

HOME = "home"  # the `reach` term of a service that comes to the home

_WHOM = r"(?:u|jou|je|mij|me|hen|ze|mensen|de mensen|ouderen|senioren|de klant|klanten|gezinnen)"
# "Kom langs" (imperative: the resident comes) and "aan de deur" (a menu on the door) are no
# visit; "komt langs", "in uw woning", "schoonmaak van de woning" are.
_COMES_HOME = re.compile(
    r"\b(?:aan huis|bij " + _WHOM + r" (?:thuis|langs|in huis|aan huis)"
    r"|(?:komt|komen) (?:\w+ ){0,3}(?:bij " + _WHOM + r" )?(?:langs|aan huis)"
    r"|(?:in|van|aan) (?:uw|de) woning|in uw huis|huisbezoeke?n?)\b",
    re.IGNORECASE,
)


def comes_home(text: str) -> bool:
    """Whether a service's text says it comes to the resident's home."""
    return _COMES_HOME.search(text) is not None


# What residents type for "at my home", as folded words.
AT_HOME_PHRASES = (
    ("aan", "huis"),
    ("bij", "mij", "thuis"),
    ("bij", "me", "thuis"),
    ("bij", "ons", "thuis"),
    ("bij", "mijn", "moeder", "thuis"),
    ("bij", "mijn", "vader", "thuis"),
    ("aan", "huis", "komen"),
    ("aan", "huis", "komt"),
    ("naar", "mijn", "huis"),
    ("bij", "mij", "langs"),
    ("aan", "huis", "langs"),
    ("thuis", "bij", "mij"),
)  # not "thuis" alone: "als ik alleen thuis ben" says where the resident is, not what they ask


def at_home_spans(folded: list[str]) -> list[tuple[int, int]]:
    """(start, end) of each at-home phrase in a query's folded words, longest first."""
    spans = []
    i = 0
    phrases = sorted(AT_HOME_PHRASES, key=len, reverse=True)
    while i < len(folded):
        for phrase in phrases:
            if tuple(folded[i : i + len(phrase)]) == phrase:
                spans.append((i, i + len(phrase)))
                i += len(phrase)
                break
        else:
            i += 1
    return spans
