"""Typo correction never turns one real Dutch word into another."""

from collections import Counter

from dienstenwijzer.search.spelling import Speller


class _EmptyReader:
    def __contains__(self, item):
        return False


def _speller(*known: str) -> Speller:
    return Speller(_EmptyReader(), Counter({w: 5 for w in known}), frozenset())


def test_a_known_dutch_word_is_not_corrected():
    # No service mentions dogs, but "hond" must not become "hand".
    speller = _speller("hand", "tuin")
    assert speller.correct_word("hond") is None
    assert speller.correct("hulp voor mijn hond") is None


def test_a_real_typo_is_still_corrected():
    speller = _speller("boodschappen", "tuin")
    assert speller.correct("boodschapen") == "boodschappen"
