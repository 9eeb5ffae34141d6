"""General Dutch decompounding: split a word into common words of the lexicon.

"ramenwasser" -> ramen + wasser, "tuinonderhoudsbedrijf" -> tuin + onderhoud + bedrijf (with
the linking -s-). Every way to cut the word into lexicon words (with an optional linking -s-,
-e- or -en- before each next part) is scored by the mean Zipf frequency of its parts (the log of
their geometric mean), minus a penalty per extra part so that fewer, longer parts win. The word
stays whole when it is itself at least as common as its best split: "boodschappen" is a word,
not "bood" + "schappen".
"""

from __future__ import annotations

from functools import lru_cache

from whoosh.lang.stopwords import stoplists

from . import cache_sizes
from .lemmas import SEPARABLE_PARTICLES, doer_verb
from .lexicon import zipf

MIN_WORD_LENGTH = 7
MIN_PART_LENGTH = 3
MAX_PARTS = 4
LINKS = ("s", "en", "e")
# Zipf points an extra part costs: a three-part split must be clearly better than a two-part one.
PART_PENALTY = 1.0
# Three-letter parts are mostly noise ("ser", "tje", "ram"): they must be very common words.
SHORT_PART_LENGTH = 3
SHORT_PART_ZIPF = 4.5
# A word at least this common is a word in its own right ("onderhoud", "ziekenhuis"): whole.
COMMON_WORD_ZIPF = 4.0
# Function words carry no meaning of their own: "onderhoud" is not "onder" + "houd".
FUNCTION_WORDS = frozenset(stoplists["nl"]) | {
    "erop",
    "eraan",
    "erin",
    "eruit",
    "ervan",
    "ter",
    "ten",
    "des",
}
# Endings that look like words: "werkster" is a woman who works, not "werk" + "ster".
SUFFIX_WORDS = frozenset({"ster", "tje", "heid", "schap"})
# A new doer's noun counts as a part at its verb's frequency, a little lower ("kuiser").
DOER_PENALTY = 1.0


def _part_score(part: str) -> float:
    if len(part) < MIN_PART_LENGTH or part in FUNCTION_WORDS or part in SUFFIX_WORDS:
        return 0.0
    z = zipf(part)
    if not z:
        verb = doer_verb(part)
        z = max(zipf(verb) - DOER_PENALTY, 0.0) if verb else 0.0
    if len(part) <= SHORT_PART_LENGTH and z < SHORT_PART_ZIPF:
        return 0.0
    return z


def _is_particle_verb(parts: tuple[str, ...]) -> bool:
    # "weghalen", "weggeven": a verb with its particle, not two things the resident needs.
    return parts[0] in SEPARABLE_PARTICLES


@lru_cache(maxsize=cache_sizes.PARTS)
def _splits(rest: str, first: bool) -> tuple[tuple[tuple[str, ...], float], ...]:
    """Every segmentation of `rest` into scored parts: ((parts, sum of Zipf), ...)."""
    out = []
    links = ("",) if first else ("", *LINKS)
    for link in links:
        if not rest.startswith(link):
            continue
        body = rest[len(link) :]
        whole = _part_score(body)
        if whole and not first:
            out.append(((body,), whole))
        for i in range(MIN_PART_LENGTH, len(body) - MIN_PART_LENGTH + 1):
            head = _part_score(body[:i])
            if not head:
                continue
            for parts, total in _splits(body[i:], False):
                if len(parts) < MAX_PARTS:
                    out.append(((body[:i], *parts), head + total))
    return tuple(out)


def _score(parts: tuple[str, ...], total: float) -> float:
    return total / len(parts) - PART_PENALTY * (len(parts) - 1)


@lru_cache(maxsize=cache_sizes.PARTS)
def decompound(word: str) -> tuple[str, ...]:
    """The parts of a folded compound word, or () when it is best left whole."""
    if len(word) < MIN_WORD_LENGTH or not word.isalpha() or zipf(word) >= COMMON_WORD_ZIPF:
        return ()
    candidates = _splits(word, True)
    if not candidates:
        return ()
    parts, total = max(candidates, key=lambda c: (_score(*c), -len(c[0])))
    if zipf(word) >= _score(parts, total) or _is_particle_verb(parts):
        return ()
    return parts
