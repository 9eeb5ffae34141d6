"""Which missing word makes a search a weak match: a thing, not an act, a quality or a person."""

import pytest

from dienstenwijzer.search.lemmas import verb_stems
from dienstenwijzer.search.word_kinds import is_adjective, is_verb_form, names_thing


@pytest.mark.parametrize(
    "word",
    ["rijbewijs", "trouwkleed", "kapper", "boom", "keuken", "boodschappen", "fiets", "kleed"],
)
def test_nouns_name_a_thing(word):
    # "boodschappen" is a plural, not a verb; "fiets" and "kleed" are the nouns in a query,
    # though "ik fiets" and "ik kleed" exist; "trouwkleed" is unknown but ends in "kleed".
    assert names_thing(word)


@pytest.mark.parametrize(
    "word",
    ["halen", "vellen", "aanpassen", "wegdoen", "hersteld", "versteld", "aangenaaid", "gedaan",
     "gemaaid", "gekuist", "opgeruimd", "geisoleerd", "haalt", "gaan"],
)  # fmt: skip
def test_infinitives_participles_and_third_persons_are_verbs(word):
    assert is_verb_form(word) and not names_thing(word)


@pytest.mark.parametrize("word", ["hoog", "oude", "goedkoop", "grote"])
def test_adjectives_are_no_things(word):
    assert is_adjective(word) and not names_thing(word)


def test_whom_it_is_for_is_no_thing():
    assert not names_thing("oma") and not names_thing("moeder")


def test_the_stem_of_an_infinitive_follows_dutch_spelling():
    assert "haal" in verb_stems("halen") and verb_stems("vellen") == {"vel"}
    assert "geef" in verb_stems("geven") and "doe" in verb_stems("doen")


def test_a_compound_with_an_act_for_a_head_asks_for_its_other_part(add_services):
    from dienstenwijzer import search
    from dienstenwijzer.search import SearchRequest
    from tests.conftest import service_row

    add_services(
        "gent",
        [
            service_row(
                extern_id="maaltijd",
                naam="Warme maaltijden",
                categorie="buurtwerk",
                dienstencheques="nee",
                omschrijving="Elke middag een warme maaltijd bij u thuis.",
            ),
            service_row(
                extern_id="school",
                naam="Huiswerkbegeleiding",
                categorie="buurtwerk",
                dienstencheques="nee",
                omschrijving="Hulp bij huiswerk na school.",
            ),
        ],
    )
    # "bezorging" is the act of "bezorgen": the resident asks for meals, brought.
    meals = search.search("gent", SearchRequest(text="maaltijdbezorging"))
    assert [h.name for h in meals.hits] == ["Warme maaltijden"]
    # "school" is a thing: a driving school is no school (and no service is one).
    assert search.search("gent", SearchRequest(text="rijschool")).total == 0
