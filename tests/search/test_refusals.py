"""What a service says it does not do does not make it a result for that need."""

from dienstenwijzer import search
from dienstenwijzer.search import SearchRequest
from dienstenwijzer.search.refusals import is_refusal, without_refusals
from tests.conftest import service_row

GARDEN = service_row(
    extern_id="haag",
    naam="Hagen scheren en snoeiwerk",
    categorie="tuinonderhoud",
    dienstencheques="nee",
    omschrijving="Wij scheren hagen tot twee meter hoog en snoeien struiken en kleine bomen. "
    "Grote bomen vellen doen we niet. Het snoeihout voeren we af.",
)
SEWING = service_row(
    extern_id="naai",
    naam="Naai- en verstelwerk",
    categorie="poetsen",
    dienstencheques="nee",
    omschrijving="Onze naaister doet klein verstelwerk. Echte retouches, zoals een trouwkleed "
    "aanpassen, doen we niet. Kom op tijd, want na vier uur nemen we geen kleding "
    "meer aan.",
)


def test_a_need_the_service_turns_away_does_not_find_it(add_services):
    add_services("gent", [GARDEN, SEWING])
    assert search.search("gent", SearchRequest(text="trouwkleed")).total == 0
    # The small trees it does prune still show, but as a weak match: no service fells trees,
    # which the page says and the demand side records.
    felling = search.search("gent", SearchRequest(text="bomen vellen"))
    assert felling.weak and felling.unmatched == ("vellen",)


def test_what_the_service_does_still_finds_it(add_services):
    add_services("gent", [GARDEN, SEWING])
    assert [h.name for h in search.search("gent", SearchRequest(text="hagen scheren")).hits] == [
        "Hagen scheren en snoeiwerk"
    ]
    # Only the refusing half of a sentence is left out: "kom op tijd" stays.
    assert search.search("gent", SearchRequest(text="verstelwerk op tijd")).total == 1


def test_the_page_still_shows_the_whole_description(client, add_services):
    add_services("gent", [GARDEN])
    page = client.get("/gent/zoeken?q=hagen").get_data(as_text=True)
    assert "Grote bomen vellen doen we niet" in page


def test_refusals_are_statements_with_a_negated_we_after_the_verb():
    assert is_refusal(
        "Grote verbouwingen of werken waarvoor een erkende elektricien nodig is, nemen we niet aan."
    )
    assert is_refusal("Kapotte spullen of afval nemen we niet mee")
    assert is_refusal("Zware snoeiwerken of grote machines horen er niet bij.")
    # What happens instead, a question, or a need the service answers: no refusal.
    assert not is_refusal("Wat we niet meer kunnen verkopen, brengen we naar het recyclagepark.")
    assert not is_refusal("Kunt u niet meer zelf koken?")
    assert not is_refusal(
        "Wie niet meer met de bus weg kan, mag een beroep doen op onze chauffeurs."
    )
    assert (
        without_refusals("Wij snoeien hagen. Grote bomen vellen doen we niet.")
        == "Wij snoeien hagen."
    )


def test_a_refused_act_is_a_missing_need_but_an_ordinary_missing_act_is_not(add_services):
    add_services("gent", [GARDEN, SEWING])
    # "vellen" is refused by a service: no service fells trees, a need to record.
    assert search.search("gent", SearchRequest(text="bomen vellen")).weak
    # "plukken" is in no text nor refusal: hedges trimmed is what the resident gets.
    trimmed = search.search("gent", SearchRequest(text="hagen plukken"))
    assert trimmed.total == 1 and not trimmed.weak
