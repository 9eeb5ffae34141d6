"""Which searches are too meaningless to count as a need ("111 22 33", "AND", "xyzzy", "a", "ab").

A search is a need only when, after personal data is cut out, it holds at least one real word:
two or more letters, a vowel (Dutch words without a, e, i, o or u are abbreviations or keyboard
noise), more than one distinct letter, not a stop word or search operator, not absurdly long;
and when it has at least three letters in all (one or two letters name no need: "ab", "x 1").
"""

from __future__ import annotations

import re

from ..search.analysis import STOP_WORDS, fold

MAX_NEED_LENGTH = 150  # longer than any sentence a resident types in a search box
MIN_NEED_LETTERS = 3  # "ab", "x y" and "ok" are no need
MAX_WORD_LENGTH = 30  # longer than Dutch compounds people type ("kinderopvangtoeslag" is 19)
LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
VOWELS = frozenset("aeiou")
OPERATORS = frozenset({"and", "or", "not", "en", "of", "niet", "near"})


def real_words(text: str) -> list[str]:
    """The folded words of a text that can carry a need."""
    return [w for w in LETTERS.findall(fold(text)) if _is_real(w)]


def _is_real(word: str) -> bool:
    return (
        2 <= len(word) <= MAX_WORD_LENGTH
        and len(set(word)) > 1
        and not VOWELS.isdisjoint(word)
        and word not in STOP_WORDS
        and word not in OPERATORS
    )


def is_junk(text: str) -> bool:
    """True when a (personal-data-free) search text is no need at all."""
    if len(text) > MAX_NEED_LENGTH:
        return True
    letters = sum(len(part) for part in LETTERS.findall(fold(text)))
    return letters < MIN_NEED_LETTERS or not real_words(text)
