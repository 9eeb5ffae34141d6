"""Dictionary forms beside Snowball stems: participles and irregular forms meet their verb.

Snowball cannot know that "gestreken" belongs to "strijken" or "gemaaid" to "maaien";
`simplemma` (MIT, Dutch lemma lists shipped in the package) does. Two regular rules cover what
its lists miss: a weak participle ge-STEM-d/t whose infinitive STEM-en is a Dutch word
("gekuist" -> "kuisen", Flemish), and a doer's noun STEM-er/-ster whose verb is ("wasser" ->
"wassen", "naaister" -> "naaien").
"""

from __future__ import annotations

from functools import lru_cache

import simplemma

from . import cache_sizes
from .lexicon import KNOWN_ZIPF, is_word, zipf

# A participle starting with ge- is never of a separable verb (that one is "afgestreken"),
# so a lemma with one of these particles in front is a mix-up in the lemma list.
SEPARABLE_PARTICLES = (
    "aan",
    "af",
    "bij",
    "door",
    "in",
    "mee",
    "na",
    "om",
    "op",
    "over",
    "terug",
    "toe",
    "uit",
    "voor",
    "weg",
)
# A participle of a verb with one of these prefixes takes no ge-: "hersteld", "betaald".
INSEPARABLE_PREFIXES = ("be", "er", "her", "ont", "ver")
VOWELS = frozenset("aeiou")
SHORT_INFINITIVES = ("aan", "oen", "ien")  # gaan, staan, doen, zien: the -n alone is the ending
MIN_LENGTH = 5
# Only participles (ge-...), diminutives (-je) and comparatives (-er: "veiliger" -> "veilig")
# get a lemma: for other words the lists mix up meanings Snowball keeps apart ("kapper", a
# hairdresser, would become "kap").
DIMINUTIVE = "je"
COMPARATIVE = "er"


@lru_cache(maxsize=cache_sizes.PARTS)
def lemma(word: str) -> str | None:
    """The dictionary form of a folded word when it differs from the word, else None."""
    if len(word) < MIN_LENGTH or not word.isalpha():
        return None
    if not (word.startswith("ge") or word.endswith((DIMINUTIVE, COMPARATIVE))):
        return _other_participle(word)
    found = dictionary_form(word)
    if (
        word.endswith(COMPARATIVE)
        and not word.startswith("ge")
        and not _is_comparative(word, found)
    ):
        return None
    if word.startswith("ge"):
        found = _unseparated(word, found)
        if found == word:
            found = _weak_participle(word) or found
    return found if found != word else None


def dictionary_form(word: str) -> str:
    """simplemma's lemma of a folded word, or the word itself; not checked against meaning."""
    # low_memory: the same lists read from their compressed stream on demand (+10 MB a process
    # instead of +51 MB for the decoded dict; the same 17 085 answers, 16 % slower per new word).
    return simplemma.lemmatize(word, lang="nl", low_memory=True)


def _other_participle(word: str) -> str | None:
    """The verb of a weak participle without a leading ge-: "hersteld" (herstellen), "betaald",
    "opgehaald" (ophalen). Only when the word is spelled as that verb's participle: a noun
    such as "bestand" or "verband" keeps its own meaning."""
    if word[-1] not in "dt" or not (
        word.startswith(INSEPARABLE_PREFIXES)
        or any(word.startswith(p + "ge") for p in SEPARABLE_PARTICLES)
    ):
        return None
    found = dictionary_form(word)
    if found != word and found.endswith("en") and word in participles(found):
        return found
    return None


def verb_stems(infinitive: str) -> set[str]:
    """The stem of a Dutch infinitive as in "ik haal": halen -> haal, vellen -> vel,
    geven -> geef. Stress decides between "betalen" -> "betaal" and "leveren" -> "lever", and
    spelling does not show it: both are returned."""
    # doen -> doe(t), gaan -> gaa(t), zien -> zie(t); not "maaien" -> maai: both are tried
    short = {infinitive[:-1]} if infinitive.endswith(SHORT_INFINITIVES) else set()
    base = infinitive[:-2]
    if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in VOWELS:
        bases = {base[:-1]}
    elif (
        len(base) >= 3
        and base[-1] not in VOWELS
        and base[-2] in VOWELS
        and base[-3] not in VOWELS
        and base[-2:] != "ie"
    ):
        bases = {base, base[:-1] + base[-2] + base[-1]}  # an open syllable: hal -> haal
    else:
        bases = {base}
    return short | {b[:-1] + {"v": "f", "z": "s"}.get(b[-1], b[-1]) for b in bases if b}


def participles(infinitive: str) -> set[str]:
    """Weak participles of a verb, with ge- or without (an inseparable prefix: "hersteld") and
    with a separable particle in front ("aangenaaid", "opgeruimd")."""
    out = set()
    for stem in verb_stems(infinitive):
        for ending in "dt":
            out |= {stem + ending, "ge" + stem + ending}
            for particle in SEPARABLE_PARTICLES:
                rest = stem[len(particle) :]
                if stem.startswith(particle) and len(rest) >= 2:
                    out.add(particle + "ge" + rest + ending)
    return out


def _is_comparative(word: str, found: str) -> bool:
    # "goedkoper" -> "goedkoop", "duurder" -> "duur"; not a doer ("werker" -> "werkster").
    return (
        found != word
        and len(found) < len(word)
        and found[:3] == word[:3]
        and not (found.endswith("ster"))
    )


def _unseparated(participle: str, found: str) -> str:
    for particle in SEPARABLE_PARTICLES:
        rest = found[len(particle) :]
        if found.startswith(particle) and is_word(rest) and rest[:2] in participle:
            return rest
    return found


def _weak_participle(word: str) -> str | None:
    if word[-1] not in "dt":
        return None
    verb = word[2:-1] + "en"
    return verb if is_word(verb) else None


@lru_cache(maxsize=cache_sizes.PARTS)
def doer_verb(word: str) -> str | None:
    """The verb of a doer's noun: "wasser" -> "wassen", "naaister" -> "naaien", else None.

    Only for rare or new nouns: a common one has a meaning of its own ("kapper" is a
    hairdresser, not someone who fells trees, "water" has nothing to do with wading).
    """
    if len(word) < MIN_LENGTH or not word.isalpha() or zipf(word) >= KNOWN_ZIPF:
        return None
    for suffix in ("ster", "er"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            verb = word[: -len(suffix)] + "en"
            if is_word(verb):
                return verb
    return None
