"""Lemmas beside stems: participles and diminutives meet the words providers write."""

import pytest

from dienstenwijzer.search.analysis import analyse, index_forms
from dienstenwijzer.search.lemmas import doer_verb, lemma


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("gerepareerd", "repareren"),
        ("gestreken", "strijken"),
        ("gekuist", "kuisen"),
        ("gemaaid", "maaien"),
        ("gesnoeid", "snoeien"),
        ("geschilderd", "schilderen"),
        ("gewassen", "wassen"),
        ("restaurantje", "restaurant"),
        # without ge-: an inseparable prefix, or ge- behind a separable particle
        ("hersteld", "herstellen"),
        ("versteld", "verstellen"),
        ("betaald", "betalen"),
        ("opgehaald", "ophalen"),
    ],
)
def test_inflected_form_meets_the_written_word(typed, written):
    assert index_forms(written)[0] in index_forms(typed)


def test_a_noun_shaped_like_a_participle_keeps_its_meaning():
    # "bestand" (a file) is no form of "bestaan", nor "verband" (a bandage) of "verbinden".
    assert lemma("bestand") is None and lemma("verband") is None


def test_participle_of_a_plain_verb_is_not_read_as_a_separable_one():
    # simplemma's list gives "afstrijken" for "gestreken"; that would be "afgestreken".
    assert lemma("gestreken") == "strijken"


def test_common_nouns_keep_their_own_meaning():
    # A hairdresser is not someone who fells trees ("bomen kappen").
    assert doer_verb("kapper") is None
    assert index_forms("kappen")[0] not in index_forms("kapper")
    assert doer_verb("wasser") == "wassen"


def test_participle_in_a_sentence():
    assert index_forms("maaien")[0] in analyse("Het gras is gemaaid")
