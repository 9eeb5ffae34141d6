"""General decompounding: compounds nobody listed still find the services written in parts."""

import pytest

from dienstenwijzer.search.analysis import analyse, index_forms, stem
from dienstenwijzer.search.decompound import decompound


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        ("ramenwasser", ("ramen", "wasser")),
        ("naaiatelier", ("naai", "atelier")),
        ("kledinginzameling", ("kleding", "inzameling")),
        ("boodschappenhulp", ("boodschappen", "hulp")),
        ("buurtrestaurantje", ("buurt", "restaurantje")),
        ("tuinonderhoudsbedrijf", ("tuin", "onderhoud", "bedrijf")),  # linking -s-
        ("vensterkuiser", ("venster", "kuiser")),  # a doer's noun too rare for the lexicon
    ],
)
def test_compounds_split_on_the_general_lexicon(compound, parts):
    assert decompound(compound) == parts


def test_linking_en_meets_the_plain_word():
    assert [stem(p) for p in decompound("fietsenmaker")] == [stem("fiets"), stem("maker")]


@pytest.mark.parametrize("word", ["boodschappen", "onderhoud", "ziekenhuis", "gemeente", "schoon"])
def test_words_are_not_cut_into_smaller_words(word):
    # "boodschappen" is not "bood" + "schappen"; "onderhoud" is not "onder" + "houd".
    assert decompound(word) == ()


def test_a_compound_query_meets_a_text_written_in_parts():
    # The parts of "ramenwasser" are among the forms of "Ramen wassen bij u thuis".
    written = set(analyse("Ramen wassen bij u thuis"))
    assert {stem("ramen"), stem("wassen")} <= written
    assert {stem("ramen"), stem("wassen")} <= set(index_forms("ramenwasser"))


def test_a_plain_word_finds_a_text_with_the_compound():
    assert index_forms("kleding")[0] in analyse("Kledinginzameling aan de kerk")


def test_a_compound_finds_a_text_with_its_specific_parts(add_services):
    from dienstenwijzer import search
    from dienstenwijzer.search import SearchRequest
    from tests.conftest import service_row

    add_services(
        "gent",
        [
            service_row(
                extern_id="haag",
                naam="Groenploeg",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                omschrijving="Wij scheren uw haag twee keer per jaar.",
            ),
            service_row(
                extern_id="huiswerk",
                naam="Huiswerkklas",
                categorie="huiswerkbegeleiding",
                dienstencheques="nee",
                omschrijving="Hulp bij het huiswerk na school.",
            ),
            *(
                service_row(
                    extern_id=f"dienst{i}", naam=f"Dienst {i}", omschrijving=f"Onze dienst {what}."
                )
                for i, what in enumerate(["poetst", "strijkt", "kookt", "wast"])
            ),
        ],
    )

    def names(text):
        return [h.name for h in search.search("gent", SearchRequest(text=text)).hits]

    # Nobody calls it a "dienst", a word every other service uses: the specific parts suffice.
    assert names("haagscheerdienst") == ["Groenploeg"]
    # A driving school is not a school: half a compound is not enough.
    assert names("rijschool") == []


def test_a_part_that_is_a_rare_compound_is_met_by_its_own_parts(add_services):
    from dienstenwijzer import search
    from dienstenwijzer.search import SearchRequest
    from tests.conftest import service_row

    add_services(
        "gent",
        [
            service_row(
                extern_id="ziek",
                naam="Zieke kinderen thuis opvangen",
                categorie="poetsen",
                dienstencheques="nee",
                omschrijving="Een ziek kind mag niet naar school. Bel onze oppasdienst: een "
                "oppas komt bij u thuis.",
            ),
            service_row(
                extern_id="huiswerk",
                naam="Huiswerkklas",
                categorie="huiswerkbegeleiding",
                dienstencheques="nee",
                omschrijving="Hulp bij het huiswerk na school.",
            ),
            service_row(
                extern_id="tuin",
                naam="Tuinhulp dicht bij huis",
                categorie="tuinonderhoud",
                dienstencheques="nee",
                omschrijving="Wijk-werkers helpen in uw tuin.",
            ),
        ],
    )

    def names(text):
        return [h.name for h in search.search("gent", SearchRequest(text=text)).hits]

    # "kinderoppasdienst" splits into "kinderoppas" + "dienst"; nobody writes "kinderoppas",
    # but the service speaks of an "oppas(dienst)" for "kinderen".
    assert names("kinderoppasdienst") == ["Zieke kinderen thuis opvangen"]
    # A common word stays whole inside a compound: "huiswerkhulp" is help with homework, not
    # with a house ("huis") or with work ("werk").
    assert names("huiswerkhulp") == ["Huiswerkklas"]
