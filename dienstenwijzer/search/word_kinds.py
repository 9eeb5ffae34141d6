"""Which words of a query name the thing a resident needs, and which only say something about it.

When a query finds services for some of its words and not for others, what is missing decides
what the resident sees:
- a *thing* ("rijbewijs halen", "trouwkleed laten aanpassen"): no service offers it, and the
  services that matched the rest ("halen", "aanpassen") are beside the point;
- a *detail*: a verb or participle ("kleding versteld", "meubels weggeven"), an adjective
  ("te hoog", "goedkoop") or whom it is for ("chauffeur voor mijn oma"). The services found do
  offer the thing; the missing word does not make it another need.

No Dutch part-of-speech tagger installs from the package index without downloading a model, so
the word's own inflections in the general lexicon tell instead: a verb has a present tense in
-t ("haalt", "velt", "leent"), an adjective a superlative in -ste ("hoogste", "oudste") and a
comparative. A word the lexicon does not know is read by its last part when it is a compound
("trouwkleed" is a "kleed"), else taken for a thing: better to say plainly that nothing matched
it than to present services for the rest as the answer.
"""

from __future__ import annotations

from functools import lru_cache

from . import cache_sizes
from .decompound import decompound
from .lemmas import (
    SEPARABLE_PARTICLES,
    SHORT_INFINITIVES,
    VOWELS,
    dictionary_form,
    lemma,
    participles,
    verb_stems,
)
from .lexicon import is_word

# Whom the service is for, not what it is: "vervoer voor mijn oma", "opvang voor de kinderen".
PEOPLE = frozenset(
    {
        "baby",
        "babys",
        "broer",
        "buren",
        "buurman",
        "buurvrouw",
        "dochter",
        "echtgenoot",
        "echtgenote",
        "grootmoeder",
        "grootouders",
        "grootvader",
        "kind",
        "kinderen",
        "kleinkind",
        "kleinkinderen",
        "mama",
        "man",
        "moeder",
        "oma",
        "opa",
        "ouders",
        "papa",
        "partner",
        "peuter",
        "schoonmoeder",
        "schoonvader",
        "vader",
        "vriend",
        "vriendin",
        "vrouw",
        "zoon",
        "zus",
        "zuster",
    }
)
MIN_LENGTH = 3


@lru_cache(maxsize=cache_sizes.WORDS)
def names_thing(word: str) -> bool:
    """Whether a folded word names a thing (a noun), rather than an act, a quality or a person."""
    if len(word) < MIN_LENGTH or not word.isalpha() or word in PEOPLE:
        return False
    if not is_word(word):
        parts = decompound(word)
        return names_thing(parts[-1]) if parts else True
    return not (is_verb_form(word) or is_adjective(word))


def is_verb_form(word: str) -> bool:
    """An infinitive, a participle or a third person of a verb ("halen", "hersteld", "haalt").

    Not the bare stem ("fiets", "strijk", "kleed"): in a query that is the noun."""
    if word.endswith(("en", *SHORT_INFINITIVES)) and _is_infinitive(word):
        # A plural noun ("boodschappen", "bomen") has no present tense ("boodschapt").
        return True
    for infinitive in _infinitives(word):
        if word in participles(infinitive) or word in {s + "t" for s in verb_stems(infinitive)}:
            return True
        if word.endswith("n") and any(
            word.startswith(p + "ge") for p in ("", *SEPARABLE_PARTICLES)
        ):
            return True  # a strong participle the lemma list knows: "gedaan", "gestreken"
    return False


def is_act_noun(word: str) -> bool:
    """A noun for the act of a verb: "bezorging" (bezorgen), "reiniging", "herstelling"."""
    return (
        len(word) > 6
        and word.endswith("ing")
        and is_word(word[:-3] + "en")
        and _has_present_tense(word[:-3] + "en")
    )


def _is_infinitive(word: str) -> bool:
    if _has_present_tense(word):
        return True
    return any(
        word.startswith(p) and len(word) - len(p) >= 4 and _has_present_tense(word[len(p) :])
        for p in SEPARABLE_PARTICLES
    )  # "wegdoen": "doet"


def _infinitives(word: str) -> set[str]:
    """The verbs a conjugated form or participle may belong to."""
    out = {
        found
        for found in (dictionary_form(word), lemma(word))
        if found and found != word and found.endswith("en") and len(found) >= 4
    }
    if word[-1:] in ("d", "t"):  # a regular participle the lemma list lacks: "opgeruimd"
        for particle in ("", *SEPARABLE_PARTICLES):
            if word.startswith(particle + "ge"):
                stem = word[len(particle) + 2 : -1]
                # "geisoleerd": isoleer -> isoleren (the long vowel of an open syllable)
                for base in {stem, stem[:-3] + stem[-2:] if stem[-3:-2] == stem[-2:-1] else stem}:
                    if is_word(particle + base + "en"):
                        out.add(particle + base + "en")
    return out


def is_adjective(word: str) -> bool:
    """An adjective, inflected or not ("hoog", "oude", "goedkope", "grote")."""
    for base in {word, dictionary_form(word), word.removesuffix("e")}:
        if len(base) >= MIN_LENGTH and is_word(base + "ste") and _has_comparative(base):
            return True
    return False


def _has_present_tense(infinitive: str) -> bool:
    # A stem in -t takes no second one ("zet"), and a noun looks like it ("kast" of "kasten"):
    # its participle tells instead ("gezet").
    return any(is_word("ge" + s if s.endswith("t") else s + "t") for s in verb_stems(infinitive))


def _has_comparative(base: str) -> bool:
    # groot -> groter, dik -> dikker, duur -> duurder, hoog -> hoger
    candidates = {base + "er", base + "der", base + base[-1] + "er"}
    if len(base) >= 3 and base[-2] == base[-3] and base[-2] in VOWELS:
        candidates.add(base[:-2] + base[-1] + "er")
    return any(is_word(c) for c in candidates)
