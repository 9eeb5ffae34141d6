"""A vacancy's history reads like the catalogue's: words, not codes, old and new side by side."""

import re

from sqlalchemy import select

from dienstenwijzer.db import db
from dienstenwijzer.models import Vacancy
from tests.conftest import login
from tests.jobs.test_vacancies import _form


def test_a_vacancys_history_reads_in_words(client, world):
    login(client, "consulent@gent.example")
    client.post("/gent/werkwinkel/vacatures/nieuw", data=_form())
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.title == "Poetshulp"))
    client.post(
        f"/gent/werkwinkel/vacatures/{vacancy.id}",
        data=_form(status="ingevuld", instrument="invoegeconomie"),
    )
    html = client.get(f"/gent/werkwinkel/vacatures/{vacancy.id}").get_data(as_text=True)
    history = html[html.index("<h2>Geschiedenis</h2>") :]
    row = re.search(r"<th scope=\"row\">Status</th>(.*?)</tr>", history, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) == ["open", "ingevuld"]
    row = re.search(r"<th scope=\"row\">Instrument</th>(.*?)</tr>", history, re.DOTALL).group(1)
    assert re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL) == [
        "Dienstencheques",
        "Invoegeconomie",
    ]
    assert "Plaats van het werk" in history and ">Gent<" in history and "44021" not in history
    assert "1 februari 2030" in history and "2030-02-01" not in history
