"""Residents find the right services with the words they type, and only their region's."""

import pytest

from dienstenwijzer import search
from dienstenwijzer.search import Filters, SearchRequest
from tests.conftest import service_row

GENT = [
    service_row(
        extern_id="poets",
        naam="Poetshulp aan huis",
        categorie="poetsen",
        omschrijving="Een vaste huishoudhulp komt wekelijks bij u thuis schoonmaken: stof afnemen, "
        "vloeren dweilen, de badkamer en de keuken.",
        postcode="9000",
    ),
    service_row(
        extern_id="strijk",
        naam="Strijkatelier De Plooi",
        categorie="strijkatelier",
        omschrijving="Breng uw wasgoed binnen en haal het een dag later gestreken terug af.",
        postcode="9040",
        gemeente="Gent",
        straat="Dampoortstraat 3",
    ),
    service_row(
        extern_id="tuin",
        naam="Groenploeg",
        aanbieder="Maatwerkbedrijf Het Groene Blad",
        categorie="tuinonderhoud",
        dienstencheques="nee",
        omschrijving="Wij onderhouden tuinen van ouderen: gazon, hagen en borders.",
        postcode="9052",
        straat="Kortrijksesteenweg 900",
    ),
    service_row(
        extern_id="oppas",
        naam="Flexibele kinderopvang Dampoort",
        aanbieder="Vzw Kinderhuis",
        categorie="flexibele-opvang",
        dienstencheques="nee",
        omschrijving="Opvang voor baby's en peuters op onregelmatige uren, ook 's avonds.",
        postcode="9040",
        straat="Dampoortstraat 9",
    ),
    service_row(
        extern_id="klus",
        naam="Klusjesdienst Sint-Amandsberg",
        aanbieder="OCMW Gent",
        categorie="klusjesdienst",
        dienstencheques="nee",
        omschrijving="Een klusjesman herstelt een lekkende kraan of hangt gordijnen op.",
        postcode="9040",
        straat="Antwerpsesteenweg 1",
    ),
    service_row(
        extern_id="mmc",
        naam="Minder Mobielen Centrale",
        aanbieder="OCMW Gent",
        categorie="minder-mobielen-centrale",
        dienstencheques="nee",
        omschrijving="Vrijwillige chauffeurs rijden u naar de dokter of de winkel.",
        postcode="9000",
        straat="Kerkstraat 2",
    ),
]
KORTRIJK_ONLY = service_row(
    extern_id="kortrijk-poets",
    naam="Poetsdienst Kortrijk",
    aanbieder="Kortrijkse Poetsploeg",
    gemeenten="Kortrijk",
    straat="Grote Markt 1",
    postcode="8500",
    gemeente="Kortrijk",
)
KORTRIJK_AND_GENT = service_row(
    extern_id="energie",
    naam="Mobiele energiescan",
    aanbieder="Energieteam West",
    categorie="energiescan",
    dienstencheques="nee",
    gemeenten="Kortrijk;Gent",
    omschrijving="Een energiesnoeier bekijkt uw woning en geeft gratis tips om energie te besparen.",
    straat="Grote Markt 2",
    postcode="8500",
    gemeente="Kortrijk",
)


@pytest.fixture
def catalogue(add_services):
    add_services("gent", GENT)
    add_services("kortrijk", [KORTRIJK_ONLY, KORTRIJK_AND_GENT])


def names(text="", region="gent", **filters):
    result = search.search(
        region, SearchRequest(text=text, filters=Filters(**filters), per_page=50)
    )
    return [hit.name for hit in result.hits]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("poetsen", "Poetshulp aan huis"),  # stem of the name's compound part
        ("gepoetst", "Poetshulp aan huis"),
        ("kuisen", "Poetshulp aan huis"),  # Flemish synonym -> category poetsen
        ("poetsvrouw", "Poetshulp aan huis"),
        ("de strijk", "Strijkatelier De Plooi"),  # synonym phrase
        ("strijken", "Strijkatelier De Plooi"),
        ("gras afrijden", "Groenploeg"),  # phrase synonym for tuinonderhoud
        ("gras maaien", "Groenploeg"),
        ("tuinonderhoud", "Groenploeg"),  # compound -> tuin + onderhoud in the text
        ("kinderopvang", "Flexibele kinderopvang Dampoort"),
        ("kinderoppas", "Flexibele kinderopvang Dampoort"),
        ("klusjesman", "Klusjesdienst Sint-Amandsberg"),
        ("kraan lekt", "Klusjesdienst Sint-Amandsberg"),
        ("vervoer dokter", "Minder Mobielen Centrale"),
    ],
)
def test_residents_words_find_the_service(catalogue, typed, expected):
    assert expected in names(typed)


def test_unrelated_services_are_not_returned_for_a_synonym(catalogue):
    assert names("kuisen") == ["Poetshulp aan huis"]


@pytest.mark.parametrize(
    ("typo", "corrected", "expected"),
    [
        ("poetsn", "poetsen", "Poetshulp aan huis"),
        ("strijkatleier", "strijkatelier", "Strijkatelier De Plooi"),
        ("klusjesmna", "klusjesman", "Klusjesdienst Sint-Amandsberg"),
    ],
)
def test_a_typo_still_finds_the_service_and_says_what_was_searched(
    catalogue, typo, corrected, expected
):
    result = search.search("gent", SearchRequest(text=typo))
    assert result.corrected_from == typo
    assert result.searched_text == corrected
    assert expected in [h.name for h in result.hits]


def test_nothing_found_for_nonsense(catalogue):
    result = search.search("gent", SearchRequest(text="xyzzyq"))
    assert result.total == 0 and result.hits == []
    assert result.corrected_from is None


def test_some_words_match_when_not_all_do(catalogue):
    result = search.search("gent", SearchRequest(text="poetsen zwembad"))
    assert result.any_word
    assert "Poetshulp aan huis" in [h.name for h in result.hits]


def test_region_sees_only_services_serving_its_municipalities(catalogue):
    assert "Poetsdienst Kortrijk" not in names("poetsen", "gent")
    assert "Poetsdienst Kortrijk" in names("poetsen", "kortrijk")
    assert "Poetshulp aan huis" not in names("poetsen", "kortrijk")
    # Maintained by Kortrijk, serving Gent too: found on both sites.
    assert "Mobiele energiescan" in names("energiescan", "gent")
    assert "Mobiele energiescan" in names("energiescan", "kortrijk")
    # Browsing the whole region shows no other region's services either.
    assert set(names(region="gent")) == {r["naam"] for r in GENT} | {"Mobiele energiescan"}


def test_category_filter_includes_subcategories_of_a_top_category(catalogue):
    assert set(names(categories=frozenset({"huishoudhulp"}))) == {
        "Poetshulp aan huis",
        "Strijkatelier De Plooi",
    }
    assert names(categories=frozenset({"strijkatelier"})) == ["Strijkatelier De Plooi"]


def test_dienstencheques_filter(catalogue):
    assert set(names(dienstencheques=True)) == {"Poetshulp aan huis", "Strijkatelier De Plooi"}


def test_municipality_filter(catalogue, add_services):
    add_services(
        "kortrijk",
        [
            service_row(
                extern_id="kuurne",
                naam="Strijkpunt Kuurne",
                aanbieder="Kuurnse Strijk",
                categorie="strijkatelier",
                gemeenten="Kuurne",
                straat="Marktplein 1",
                postcode="8520",
                gemeente="Kuurne",
            )
        ],
    )
    assert names("strijken", "kortrijk", municipalities=frozenset({"34023"})) == [
        "Strijkpunt Kuurne"
    ]
    assert names("strijken", "kortrijk", municipalities=frozenset({"34022"})) == []


def test_distance_filter_from_a_postcode(catalogue, app):
    from dienstenwijzer.db import db
    from dienstenwijzer.places import Places

    places = Places(db.session)
    sint_amandsberg = places.coordinates("9040")
    near = names(origin=sint_amandsberg, km=2.0)
    assert "Klusjesdienst Sint-Amandsberg" in near
    assert "Groenploeg" not in near  # 9052 Zwijnaarde, about 7 km away
    assert "Groenploeg" in names(origin=sint_amandsberg, km=10.0)


def test_browsing_with_a_postcode_lists_the_nearest_first(catalogue, app):
    from dienstenwijzer.db import db
    from dienstenwijzer.places import Places

    origin = Places(db.session).coordinates("9052")
    result = search.search("gent", SearchRequest(filters=Filters(origin=origin), per_page=50))
    assert result.hits[0].name == "Groenploeg"
    distances = [h.distance_km for h in result.hits]
    assert distances == sorted(distances)


def test_facet_counts_per_category_and_municipality(catalogue):
    result = search.search("gent", SearchRequest())
    assert result.facets.categories["huishoudhulp"] == 2
    assert result.facets.categories["groen"] == 1
    assert result.facets.municipalities["44021"] == 7
    # A chosen category does not hide the counts of the others.
    chosen = search.search("gent", SearchRequest(filters=Filters(categories=frozenset({"groen"}))))
    assert chosen.total == 1
    assert chosen.facets.categories["huishoudhulp"] == 2


def test_pagination(catalogue):
    first = search.search("gent", SearchRequest(per_page=3, page=1))
    third = search.search("gent", SearchRequest(per_page=3, page=3))
    assert first.total == 7 and first.pages == 3
    assert len(first.hits) == 3 and len(third.hits) == 1
    all_names = [
        h.name
        for p in (1, 2, 3)
        for h in search.search("gent", SearchRequest(per_page=3, page=p)).hits
    ]
    assert len(set(all_names)) == 7
    assert search.search("gent", SearchRequest(per_page=3, page=9)).hits == []


def test_snippet_highlights_the_words_searched(catalogue):
    hit = search.search("gent", SearchRequest(text="keuken")).hits[0]
    assert "<mark>keuken</mark>" in str(hit.snippet)


def test_snippet_escapes_html(add_services):
    add_services(
        "gent",
        [service_row(extern_id="x", omschrijving="Poetsen <script>alert(1)</script> & meer.")],
    )
    hit = search.search("gent", SearchRequest(text="poetsen")).hits[0]
    assert "<script>" not in str(hit.snippet)
    assert "&lt;script&gt;" in str(hit.snippet)
