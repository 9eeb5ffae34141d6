"""Dutch text analysis shared by indexing and querying.

Each word is lowercased, accent-folded, dropped if it is a stop word, stemmed with the new
Snowball Dutch stemmer, and, when it is a compound of known parts (poetshulp, tuinonderhoud),
also emitted as its parts. Stemming runs to a fixpoint because Snowball maps "poetsen" to
"poets" but "poets" to "poet": applying it twice makes every form meet.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import snowballstemmer
from whoosh.analysis import Filter, RegexTokenizer
from whoosh.lang.stopwords import stoplists

# Bump when what the analyzer emits changes: an index built by another version is rebuilt.
ANALYSIS_VERSION = "1"

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


@lru_cache(maxsize=200_000)
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


@lru_cache(maxsize=100_000)
def split_compound(word: str) -> tuple[str, ...]:
    """Split a folded word into known parts, or return () if it is not such a compound.

    "poetshulp" -> ("poets", "hulp"); "tuinonderhoudsbedrijf" -> ("tuin", "onderhoud", "bedrijf").
    The last part may be inflected ("kinderoppassen" -> ("kinder", "oppassen")).
    """
    if len(word) < MIN_COMPOUND_LENGTH:
        return ()
    return _split(word) or ()


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
        if tail.startswith(link) and _is_part(tail[len(link):]):
            return (tail[len(link):],)
    for link in ("", *LINKING_MORPHEMES):
        if tail.startswith(link) and len(tail) - len(link) >= 2 * MIN_PART_LENGTH:
            deeper = _split(tail[len(link):])
            if deeper:
                return deeper
    return None


@lru_cache(maxsize=200_000)
def index_forms(word: str) -> tuple[str, ...]:
    """What a folded word is indexed as: its stem, then the stems of its compound parts."""
    if word in STOP_WORDS or len(word) < 2:
        return ()
    forms = [stem(word)]
    for part in split_compound(word):
        s = stem(part)
        if s not in forms:
            forms.append(s)
    return tuple(forms)


@lru_cache(maxsize=500_000)
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
