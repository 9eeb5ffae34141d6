"""A few services with every word are followed by the services with some of them."""

from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from tests.conftest import service_row

IRONING = [
    service_row(
        extern_id="hemden",
        naam="Strijkatelier",
        categorie="strijkatelier",
        omschrijving="Wij strijken uw was, ook hemden en lakens.",
    ),
    service_row(
        extern_id="strijk",
        naam="Strijkhulp aan huis",
        categorie="strijkatelier",
        omschrijving="Onze strijkster komt de strijk doen.",
    ),
    service_row(
        extern_id="fiets",
        naam="Fietsherstel",
        categorie="fietspunt",
        dienstencheques="nee",
        omschrijving="Wij herstellen uw fiets.",
    ),
]


def test_the_service_with_every_word_comes_first_then_those_with_some(add_services):
    add_services("gent", IRONING)
    result = search.search("gent", SearchRequest(text="gestreken hemden"))
    names = [h.name for h in result.hits]
    # The one that says "hemden" first; the one that only irons is still an answer.
    assert names[:2] == ["Strijkatelier", "Strijkhulp aan huis"]
    assert "Fietsherstel" not in names
    assert not result.weak and not result.any_word


def test_many_services_with_every_word_are_not_padded(add_services):
    rows = [
        service_row(
            extern_id=f"s{i}",
            naam=f"Strijkdienst {i}",
            categorie="strijkatelier",
            omschrijving="Wij strijken hemden.",
        )
        for i in range(6)
    ]
    add_services("gent", rows + IRONING)
    result = search.search("gent", SearchRequest(text="gestreken hemden", per_page=20))
    assert "Strijkhulp aan huis" not in [h.name for h in result.hits]


def test_a_typo_beside_a_word_that_matches_is_corrected_when_that_finds_every_word(
    add_services,
):
    add_services(
        "gent",
        [
            service_row(
                extern_id="both",
                naam="Boodschappen en poetsen",
                omschrijving="Wij doen uw boodschappen en poetsen uw huis.",
            ),
            service_row(extern_id="poets", naam="Poetsdienst", omschrijving="Wij poetsen."),
        ],
    )
    # "boodschapen" matches nothing, "poetsen" matches both: before, only the partial match
    # on "poetsen" was shown, with a suggestion.
    result = search.search("gent", SearchRequest(text="poetsen boodschapen"))
    assert result.corrected_from == "poetsen boodschapen"
    assert result.searched_text == "poetsen boodschappen"
    assert result.hits[0].name == "Boodschappen en poetsen" and not result.weak
