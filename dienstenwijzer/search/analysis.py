"""Dutch text analysis shared by indexing and querying.

Each word is lowercased, accent-folded, dropped if it is a stop word, stemmed with the new
Snowball Dutch stemmer, also emitted as the stem of its dictionary form when that differs
("gestreken" -> strijk, see lemmas.py), and, when it is a compound (poetshulp, ramenwasser),
also as its parts. Stemming runs to a fixpoint because Snowball maps "poetsen" to "poets" but
"poets" to "poet": applying it twice makes every form meet.

Compounds split on the curated parts of compound_parts.txt first (an override for the domain's
own words), else on a general Dutch lexicon (decompound.py).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.lang.stopwords import stoplists

from . import cache_sizes
from .decompound import decompound
from .lemmas import doer_verb, lemma
from .word_kinds import is_act_noun

# Bump whenever what is indexed for a text changes: an index built with another version is
# rebuilt. 2: general decompounding and lemmas; 3: participles without ge- ("hersteld").
ANALYSIS_VERSION = "3"

# "was" is laundry here ("de was doen"), not only the verb.
STOP_WORDS = frozenset(stoplists["nl"]) - {"was"}

# Forms Snowball leaves apart that residents mean as one word.
STEM_ALIASES = {"kinder": "kind", "kinderen": "kind", "klusj": "klus"}

WORD_RE = re.compile(r"\w+", re.UNICODE)
MIN_COMPOUND_LENGTH = 7
MIN_PART_LENGTH = 3
LINKING_MORPHEMES = ("s", "en", "e")

_stemmer = snowballstemmer.stemmer("dutch")


def fold(text: str) -> str:
    """Lowercase and strip accents: "Café Één" -> "cafe een"."""
    if text.isascii():  # most Dutch text: skip the per-character loop
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, stop words included, in order."""
    return WORD_RE.findall(fold(text))


@lru_cache(maxsize=cache_sizes.PARTS)
def stem(word: str) -> str:
    """Stem a folded word to a fixpoint and apply the aliases."""
    once = _stemmer.stemWord(word)
    twice = _stemmer.stemWord(once) if len(once) > 3 else once
    return STEM_ALIASES.get(twice, twice)


def _load_parts() -> tuple[frozenset[str], frozenset[str]]:
    path = Path(__file__).with_name("compound_parts.txt")
    raw = {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    return frozenset(raw), frozenset(stem(p) for p in raw)


_PARTS_RAW, _PARTS_STEMMED = _load_parts()


def _is_part(word: str) -> bool:
    return len(word) >= MIN_PART_LENGTH and (word in _PARTS_RAW or stem(word) in _PARTS_STEMMED)


@lru_cache(maxsize=cache_sizes.PARTS)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a folded word into its parts, or return () if it is not a compound.

    "poetshulp" -> ("poets", "hulp"); "tuinonderhoudsbedrijf" -> ("tuin", "onderhoud", "bedrijf").
    The last part may be inflected ("kinderoppassen" -> ("kinder", "oppassen")).
    """
    if len(word) < MIN_COMPOUND_LENGTH:
        return ()
    return decompound(word) or _split(word) or ()


def _split(word: str) -> tuple[str, ...] | None:
    for i in range(len(word) - MIN_PART_LENGTH, MIN_PART_LENGTH - 1, -1):
        head, tail = word[:i], word[i:]
        if not _is_part(head):
            continue
        rest = _split_tail(tail)
        if rest is not None:
            return (head, *rest)
    return None


def _split_tail(tail: str) -> tuple[str, ...] | None:
    if _is_part(tail):
        return (tail,)
    for link in LINKING_MORPHEMES:
        if tail.startswith(link) and _is_part(tail[len(link) :]):
            return (tail[len(link) :],)
    for link in ("", *LINKING_MORPHEMES):
        if tail.startswith(link) and len(tail) - len(link) >= 2 * MIN_PART_LENGTH:
            deeper = _split(tail[len(link) :])
            if deeper:
                return deeper
    return None


@dataclass(frozen=True)
class WordForms:
    """How one folded word is indexed and searched."""

    stem: str
    variants: tuple[str, ...]  # stems of its dictionary form or verb, when they differ
    parts: tuple[tuple[str, ...], ...]  # per compound part: its stem, then its variants
    # per compound part: the forms of its own parts when it is a rare compound too
    # ("kinderoppas" in "kinderoppasdienst"), else (); searched only, never indexed
    subparts: tuple[tuple[tuple[str, ...], ...], ...] = ()
    # The last part names an act ("maaltijdbezorging", "dakgootreiniging"): the compound asks
    # for what its other parts name, as "maaltijden bezorgen" does (word_kinds.py); searched
    # only, never indexed.
    act_head: bool = False


def variants(word: str, word_stem: str) -> tuple[str, ...]:
    """Stems of the word's lemma and, for a new doer's noun, of its verb ("wasser" -> was)."""
    out: list[str] = []
    for other in (lemma(word), doer_verb(word)):
        if other and other not in STOP_WORDS:
            s = stem(other)
            if s != word_stem and s not in out:
                out.append(s)
    return tuple(out)


@lru_cache(maxsize=cache_sizes.WORDS)
def word_forms(word: str) -> WordForms | None:
    """The forms of a folded word, or None for a stop word or a single letter."""
    if word in STOP_WORDS or len(word) < 2:
        return None
    word_stem = stem(word)
    parts, subparts = [], []
    surface = split_compound(word)
    for part in surface:
        parts.append(_forms(part))
        # By the general lexicon only, which keeps a common word whole ("huiswerk" in
        # "huiswerkhulp" is homework, not a house and work); the curated list splits it.
        subparts.append(tuple(_forms(p) for p in decompound(part)))
    return WordForms(
        word_stem,
        variants(word, word_stem),
        tuple(parts),
        tuple(subparts) if any(subparts) else (),
        act_head=len(surface) >= 2 and is_act_noun(surface[-1]),
    )


def _forms(word: str) -> tuple[str, ...]:
    """A compound part's stem, then its variants."""
    word_stem = stem(word)
    return (word_stem, *variants(word, word_stem))


@lru_cache(maxsize=cache_sizes.WORDS)
def index_forms(word: str) -> tuple[str, ...]:
    """What a folded word is indexed as: its stem, its variants, then its parts' variants and
    last its parts' stems (synonyms.py reads a compound's head from the end)."""
    wf = word_forms(word)
    if wf is None:
        return ()
    part_stems = [p[0] for p in wf.parts]
    forms = [wf.stem]
    for form in (*wf.variants, *(v for p in wf.parts for v in p[1:])):
        if form not in forms and form not in part_stems:
            forms.append(form)
    for form in part_stems:
        if form not in forms:
            forms.append(form)
    return tuple(forms)


@lru_cache(maxsize=cache_sizes.WORDS)
def token_forms(token: str) -> tuple[str, ...]:
    """Index forms of a raw token as the tokenizer gives it (case and accents still in)."""
    return index_forms(fold(token))


def analyse(text: str) -> list[str]:
    """All index forms of a text, in order (used for snippets and tests)."""
    return [form for w in words(text) for form in index_forms(w)]


class DutchFilter(Filter):
    """Whoosh filter: folded, stop words out, stemmed, compounds also as parts."""

    def __eq__(self, other):
        return other is not None and self.__class__ is other.__class__

    def __call__(self, tokens):
        for t in tokens:
            for form in token_forms(t.text):
                t.text = form
                yield t


def dutch_analyzer():
    return RegexTokenizer(r"\w+") | DutchFilter()
