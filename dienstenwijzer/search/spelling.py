"""Typo tolerance: map an unknown word to the nearest word the zorggebied's index knows.

A word that is itself a common Dutch word is never "corrected":
"hond" is a dog even where no service mentions dogs, and must not become "hand".
"""

from __future__ import annotations

from collections import Counter

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .analysis import STOP_WORDS, index_forms, words
from .lexicon import KNOWN_ZIPF, is_word

MIN_WORD_LENGTH = 4


def max_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


class Speller:
    """Built once per index generation from its vocabulary (surface words with counts),
    the taxonomy synonyms, and the index's own terms."""

    def __init__(self, reader, vocabulary: Counter, extra_words: frozenset[str]):
        self.reader = reader
        self.counts = vocabulary
        self.known = frozenset(set(vocabulary) | extra_words)
        self.vocabulary = sorted(self.known)

    def frequency(self, word: str) -> int:
        return self.counts.get(word, 0)

    def is_known(self, word: str) -> bool:
        if word in self.known:
            return True
        forms = index_forms(word)
        return bool(forms) and ("text", forms[0]) in self.reader

    def correct_word(self, word: str) -> str | None:
        if len(word) < MIN_WORD_LENGTH or word.isdigit() or self.is_known(word):
            return None
        if is_word(word, KNOWN_ZIPF):
            return None
        limit = max_distance(word)
        candidates = process.extract(
            word, self.vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=8
        )
        if not candidates:
            return None
        # Nearest first, then the word most services use.
        best = min(candidates, key=lambda c: (c[1], -self.frequency(c[0]), c[0]))
        return best[0]

    def correct(self, text: str) -> str | None:
        """The whole query with its unknown words corrected, or None if nothing changed."""
        typed = words(text)
        fixed = [self.correct_word(w) if w not in STOP_WORDS else None for w in typed]
        if not any(fixed):
            return None
        return " ".join(f or w for w, f in zip(typed, fixed, strict=True))
