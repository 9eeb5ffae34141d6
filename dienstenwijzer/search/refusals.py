"""What a service says it does *not* do is not what it is found by.

Providers write their limits into the description: "Grote bomen vellen doen we niet", "een
trouwkleed aanpassen, doen we niet", "werken waarvoor een erkende elektricien nodig is, nemen
we niet aan". Indexed, those words make the service the answer to exactly the need it turns
away (and no demand is recorded). Such sentences are left out of the indexed text; the page
still shows the whole description.

A refusal is a statement (not a question) where "we"/"wij" follows the verb and is negated:
the Dutch word order of "X doen we niet" / "X nemen we niet aan". A sentence that starts with
a relative or conditional word ("Wat we niet verkopen, brengen we naar het recyclagepark")
says what happens instead and stays.
"""

from __future__ import annotations

import re

# Sentences, and the clauses a comma and "maar"/"want" join: "Kom op tijd, want na vier uur
# nemen we geen toestellen meer aan" loses only its second half.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+|,\s+(?=(?:maar|want)\b)")
# verb, then "we/wij", then the negation: "doen we niet", "nemen wij geen ... aan"
_REFUSAL = re.compile(
    r"\b\w+\s+(?:we|wij)\s+(?:niet|geen)\b|\bhoren\s+er\s+niet\s+bij\b", re.IGNORECASE
)
_NOT_A_REFUSAL_START = frozenset({"wat", "wie", "waar", "als", "wanneer", "omdat", "indien"})


def is_refusal(sentence: str) -> bool:
    """Whether a sentence states something the service does not do."""
    sentence = sentence.strip()
    if not sentence or sentence.endswith("?"):
        return False
    first = re.match(r"\W*(\w+)", sentence)
    if first and first.group(1).lower() in _NOT_A_REFUSAL_START:
        return False
    return _REFUSAL.search(sentence) is not None


def without_refusals(text: str) -> str:
    """The text without the sentences in which the service says what it does not do."""
    if not text:
        return text
    return " ".join(s for s in _SENTENCE_END.split(text) if not is_refusal(s))


def refused_text(text: str) -> str:
    """Only the sentences in which the service says what it does not do."""
    if not text:
        return ""
    return " ".join(s for s in _SENTENCE_END.split(text) if is_refusal(s))
