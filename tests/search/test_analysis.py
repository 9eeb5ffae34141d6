"""Dutch analysis: the forms residents type meet the forms providers write."""

import pytest

from dienstenwijzer.search.analysis import analyse, fold, index_forms, split_compound, stem


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("poets", "poetsen"),
        ("gepoetst", "poetsen"),
        ("strijkt", "strijken"),
        ("ramen", "raam"),
        ("boodschap", "boodschappen"),
        ("kinderen", "kind"),
        ("klusjes", "klussen"),
        ("tuinen", "tuin"),
    ],
)
def test_inflections_meet_on_one_stem(typed, written):
    assert index_forms(typed)[0] == index_forms(written)[0]


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("poetshulp", ("poets", "hulp")),
        ("tuinonderhoud", ("tuin", "onderhoud")),
        ("kinderoppas", ("kinder", "oppas")),
        ("strijkdienst", ("strijk", "dienst")),
        ("tuinonderhoudsbedrijf", ("tuin", "onderhoud", "bedrijf")),
        ("kinderoppassen", ("kinder", "oppassen")),
    ],
)
def test_compounds_split_into_known_parts(compound, parts):
    assert [stem(p) for p in split_compound(compound)] == [stem(p) for p in parts]


def test_ordinary_words_are_not_split():
    assert split_compound("gemeente") == ()
    assert split_compound("schoon") == ()


def test_compound_is_indexed_whole_and_as_parts():
    forms = index_forms("poetshulp")
    assert forms[0] == "poetshulp"
    assert index_forms("poetsen")[0] in forms
    assert "hulp" in forms


def test_case_accents_and_stop_words():
    assert fold("Één Café") == "een cafe"
    assert analyse("De tuin van het huis") == [index_forms("tuin")[0], index_forms("huis")[0]]


def test_laundry_is_not_a_stop_word():
    # "was" is a Dutch stop word, but "de was doen" is what people need help with.
    assert analyse("de was") == [index_forms("was")[0]]
