"""The verdict table reads well: alternatives as alternatives, each long source once."""
import re

from tests.conftest import login

PROFILE = {"age": "35", "diploma": "secundair", "months_job_seeker": "5", "postcode": "9000"}


def verdict(client, **changes):
    login(client, "consulent@gent.example")
    html = client.post("/gent/werkwinkel/", data={**PROFILE, **changes}).get_data(as_text=True)
    return html[html.index('<table class="data judgements">'):]


def row(html, label):
    return re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', html, re.DOTALL).group(1)


def test_one_of_conditions_read_as_alternatives(client, world):
    lde = row(verdict(client), "Lokale diensteneconomie")
    missing = re.search(r'<p class="missing">(.*?)</p>', lde, re.DOTALL).group(1)
    assert missing == ("Ontbreekt (één daarvan volstaat): (hoogstens getuigschrift tweede graad en "
                       "minstens 12 maanden werkzoekend) óf leefloon of financiële maatschappelijke hulp")


def test_one_missing_condition_reads_plainly(client, world):
    lde = row(verdict(client, diploma="tweede-graad"), "Lokale diensteneconomie")
    assert ("Ontbreekt (één daarvan volstaat): minstens 12 maanden werkzoekend óf leefloon of financiële "
            "maatschappelijke hulp") in lde


def test_the_long_source_is_printed_once_and_rows_refer_to_it(client, world):
    html = verdict(client)
    assert html.count("Beleidsbrief Sociale Economie 2006-2007") == 1
    assert '<li id="bron-1">' in html
    assert 'Bron: <a href="#bron-1">1</a>' in row(html, "Invoegeconomie")
