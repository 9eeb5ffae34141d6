"""The verdict table reads well: alternatives as alternatives, each long source once."""

import re

from tests.conftest import login

PROFILE = {"age": "35", "diploma": "secundair", "months_job_seeker": "5", "postcode": "9000"}


def verdict(client, **changes):
    login(client, "consulent@gent.example")
    html = client.post("/gent/werkwinkel/", data={**PROFILE, **changes}).get_data(as_text=True)
    return html[html.index('<h2 id="uitslag">') : html.index('<h2 id="vacatures">')]


def row(html, label):
    return re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.DOTALL).group(1)


def test_one_of_conditions_read_as_alternatives(client, world):
    lde = row(verdict(client), "Lokale diensteneconomie")
    assert '<p class="missing">Ontbreekt, één van:</p>' in lde
    options = re.findall(
        r"<li>(.*?)</li>",
        re.search(r'<ul class="missing-options">(.*?)</ul>', lde, re.DOTALL).group(1),
    )
    assert options == [
        "hoogstens getuigschrift tweede graad en minstens 12 maanden werkzoekend",
        "leefloon of financiële maatschappelijke hulp",
    ]


def test_one_missing_condition_reads_plainly(client, world):
    sw = row(verdict(client), "Sociale werkplaats")
    assert (
        '<p class="missing">Ontbreekt: hoogstens getuigschrift tweede graad en meer dan 60 maanden werkzoekend</p>'
        in sw
    )
    assert "één van" not in sw


def test_the_rule_set_and_its_source_are_shown_once_above_the_table(client, world):
    html = verdict(client)
    above, table = html.split('<table class="data judgements">')
    assert above.count("Beleidsbrief Sociale Economie 2006-2007") == 1
    assert "Beleidsbrief" not in table
    assert "geldt vanaf 1 januari 2006" in above
    assert '<li id="regels-1">' in above
    assert 'Regels: <a href="#regels-1">1</a>' in row(table, "Invoegeconomie")
