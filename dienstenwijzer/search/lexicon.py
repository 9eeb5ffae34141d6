"""A general Dutch lexicon: which folded words are Dutch, and how common each one is.

The frequencies come from `wordfreq` (code Apache-2.0, data CC BY-SA 4.0; see fixtures/SOURCE.md),
which ships them inside the package: nothing is downloaded at run time. Only alphabetic words of
three letters or more that are not vanishingly rare are kept (~100 000 words), which keeps the
table small in every worker and drops the noise at the bottom of the list.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Zipf scale: log10 of occurrences per billion words. 2.0 is once per 10 million words
# ("wasser" 2.3, "naai" 3.1); below it the list is mostly names, typos and foreign words.
MIN_ZIPF = 2.0
# A word this common is a real word residents mean, never a typo of another word.
KNOWN_ZIPF = 3.0
MIN_LENGTH = 3


def _fold(word: str) -> str:
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _zipf_table() -> dict[str, float]:
    # Read the packaged list directly: wordfreq's own getters keep all 300 000 Dutch words
    # cached for the life of the process (~50 MB per worker). The file holds one list of words
    # per centibel of frequency, most frequent first: Zipf = 9 - centibels / 100.
    from wordfreq import available_languages, read_cBpack  # late: loading takes ~1 s

    table: dict[str, float] = {}
    for centibels, bucket in enumerate(read_cBpack(available_languages("large")["nl"])):
        z = 9 - centibels / 100
        if z < MIN_ZIPF:
            break
        for word in bucket:
            if len(word) >= MIN_LENGTH and word.isalpha():
                key = _fold(word)
                # Folding can join two spellings: keep the frequency of the more common one.
                table.setdefault(key, z)
    return table


def zipf(word: str) -> float:
    """How common a folded word is (Zipf scale), or 0.0 if the lexicon does not know it."""
    return _zipf_table().get(word, 0.0)


def is_word(word: str, min_zipf: float = MIN_ZIPF) -> bool:
    return zipf(word) >= min_zipf
