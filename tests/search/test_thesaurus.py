"""The thesaurus: everyday Flemish words find the services of the category they stand for."""

import pytest
import yaml
from sqlalchemy import select

from dienstenwijzer import search
from dienstenwijzer.db import db
from dienstenwijzer.models import CategorySynonym
from dienstenwijzer.reference_data import load_thesaurus
from dienstenwijzer.search import SearchRequest
from tests.conftest import FIXTURES, service_row

# Descriptions avoid the words residents type below: only the thesaurus can link them.
GENT = [
    service_row(
        extern_id="ramen",
        naam="Glashelder",
        aanbieder="Vzw Zicht",
        categorie="ramen-wassen",
        omschrijving="Wij wassen de ramen van uw woning, binnen en buiten, op de benedenverdieping.",
    ),
    service_row(
        extern_id="klus",
        naam="Karwei aan huis",
        aanbieder="Vzw Handig",
        categorie="klusjesdienst",
        dienstencheques="nee",
        omschrijving="Kleine herstellingen in huis voor ouderen: een deur die klemt, een lamp ophangen.",
    ),
    service_row(
        extern_id="tuin",
        naam="Groen en gezond",
        aanbieder="Maatwerkbedrijf Blad",
        categorie="tuinonderhoud",
        dienstencheques="nee",
        omschrijving="Onze ploeg maait het gazon en wiedt de borders van april tot oktober.",
    ),
    service_row(
        extern_id="naai",
        naam="Verstelpunt",
        aanbieder="Vzw De Draad",
        categorie="naaiwerk",
        omschrijving="Een losse knoop of een gescheurde zoom? Wij herstellen uw kleding.",
    ),
    service_row(
        extern_id="resto",
        naam="De Lange Tafel",
        aanbieder="Vzw De Lange Tafel",
        categorie="sociaal-restaurant",
        dienstencheques="nee",
        omschrijving="Elke middag een warme maaltijd aan een lage prijs, samen aan tafel.",
    ),
]


@pytest.fixture
def catalogue(add_services):
    add_services("gent", GENT)


def names(text: str) -> list[str]:
    return [hit.name for hit in search.search("gent", SearchRequest(text=text, per_page=50)).hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("vensterkuiser", ["Glashelder"]),  # Flemish: venster + kuisen
        ("klusjesman", ["Karwei aan huis"]),
        ("tuinman", ["Groen en gezond"]),
        ("naaister", ["Verstelpunt"]),
        ("hulp in de hof", ["Groen en gezond"]),  # "hof" is Flemish for garden
        ("poetsvrouw", []),  # a cleaning word finds no window, garden or sewing service
    ],
)
def test_everyday_words_find_the_category_they_stand_for(catalogue, typed, expected):
    assert names(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ramenzemer", ["Glashelder"]),  # zemen: drying windows with a chamois
        ("luster", ["Karwei aan huis"]),  # Flemish for a ceiling lamp
        ("kanten steken", ["Groen en gezond"]),  # edging the lawn
        ("sokken mazen", ["Verstelpunt"]),  # Flemish "mazen": darning
        ("volksresto", ["De Lange Tafel"]),
        ("poetsdame", []),
    ],
)
def test_the_broader_thesaurus_knows_more_of_what_residents_say(catalogue, typed, expected):
    assert names(typed) == expected


def test_an_abbreviation_stands_for_every_category_of_its_concept(catalogue):
    # PWA, now wijk-werken, does light garden work and odd jobs for private persons.
    assert sorted(names("pwa")) == ["Groen en gezond", "Karwei aan huis"]


def test_a_compound_means_what_its_head_means(catalogue):
    # "ouderenrestaurant" is in no word list; its head "restaurant" stands for social restaurants.
    assert names("ouderenrestaurant") == ["De Lange Tafel"]


def test_thesaurus_words_are_category_synonyms(app):
    rows = set(db.session.execute(select(CategorySynonym.term, CategorySynonym.category_id)).all())
    assert ("vensterkuiser", "ramen-wassen") in rows
    assert {("pwa", "tuinonderhoud"), ("pwa", "klusjesdienst")} <= rows
    assert ("kuisen", "poetsen") in rows  # the taxonomy's own synonyms stay


def test_the_thesaurus_holds_a_thousand_words_of_known_categories():
    data = yaml.safe_load((FIXTURES / "taxonomie.yaml").read_text(encoding="utf-8"))
    ids = {n["id"] for top in data["categories"] for n in [top, *top.get("subcategories", [])]}
    words = {
        w.lower() for terms in load_thesaurus(FIXTURES / "thesaurus", ids).values() for w in terms
    }
    assert len(words) >= 1000


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (
            "- {category: kapsalon, reason: kappers, words: [kapper]}",
            "onbekende of ontbrekende categorie",
        ),
        ("- {category: poetsen, words: [kuisvrouw]}", "geen reden of bron"),
    ],
)
def test_a_bad_thesaurus_group_is_refused_with_its_file_and_group(tmp_path, group, message):
    (tmp_path / "fout.yaml").write_text(f"groups:\n{group}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"fout\.yaml, groep 1: {message}"):
        load_thesaurus(tmp_path, {"poetsen"})


def test_a_bare_number_is_refused_not_loaded_as_a_number(tmp_path):
    (tmp_path / "fout.yaml").write_text(
        "groups:\n- {category: personenalarm, reason: test, words: [112]}\n", encoding="utf-8"
    )
    with pytest.raises(TypeError, match="aanhalingstekens"):
        load_thesaurus(tmp_path, {"personenalarm"})


def test_what_only_some_services_of_a_category_offer_is_no_synonym_of_it(app):
    from sqlalchemy import select

    from dienstenwijzer.db import db
    from dienstenwijzer.models import CategorySynonym

    # The taxonomy lists "pedicure" for a lokaal dienstencentrum; most have none.
    terms = db.session.scalars(
        select(CategorySynonym.term).where(CategorySynonym.category_id == "lokaal-dienstencentrum")
    ).all()
    assert "dienstencentrum" in terms
    assert "pedicure" not in terms and "kapper" not in terms
