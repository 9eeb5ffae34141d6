"""Shared template pieces: one way to write a single-button POST form."""

import re

from flask import render_template_string, url_for

from dienstenwijzer.config import PROJECT_ROOT
from tests.conftest import login

TEMPLATES = PROJECT_ROOT / "templates"
FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.DOTALL | re.IGNORECASE)
MACRO = re.compile(r"{%-?\s*macro\s+post_button\b.*?{%-?\s*endmacro", re.DOTALL)
# What makes a form more than one button: a field the user fills in or chooses.
FIELD = re.compile(
    r"<(?:select|textarea)\b"
    r"|<input\b(?![^>]*type=\"hidden\")"
    r"|{{\s*(?:field|address_fields)\("
    r"|{{\s*\w*form\.(?!csrf_token\b)\w+"
    r"|caller\(\)",
    re.IGNORECASE,
)


def hand_written_button_forms(source: str) -> list[str]:
    """The POST forms in a template's source that hold one button and nothing to fill in."""
    source = re.sub(r"{#.*?#}", "", source, flags=re.DOTALL)
    macro_spans = [m.span() for m in MACRO.finditer(source)]
    found = []
    for m in FORM.finditer(source):
        attrs, body = m.group(1), m.group(2)
        if "post" not in attrs.lower():
            continue
        if any(start <= m.start() < end for start, end in macro_spans):
            continue
        if len(re.findall(r"<button\b", body, re.IGNORECASE)) == 1 and not FIELD.search(body):
            found.append(m.group(0).split(">", 1)[0] + ">")
    return found


def test_detector_finds_a_hand_written_button_form():
    source = """<form method="post" action="/x">
      <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
      <input type="hidden" name="next" value="stale">
      <button type="submit">Gecontroleerd</button>
    </form>
    <form method="post"><input type="hidden" name="csrf_token" value="t">
      {{ field(form.note) }}<button>Bewaren</button></form>
    <form method="get"><button>Zoeken</button></form>"""
    assert hand_written_button_forms(source) == ['<form method="post" action="/x">']


def test_no_template_writes_a_single_button_post_form_by_hand():
    offenders = {
        str(path.relative_to(TEMPLATES)): forms
        for path in sorted(TEMPLATES.rglob("*.html"))
        if (forms := hand_written_button_forms(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "use post_button() from _forms.html"


def test_post_button_posts_the_csrf_token_hidden_fields_and_one_button(app):
    template = """{% from "_forms.html" import post_button %}
    {{ post_button("Gecontroleerd", "/gent/beheer/x", hidden={"next": "stale"},
                   button_class="button-secondary", form_class="inline-form",
                   screen_reader=": Poetsdienst") }}"""
    with app.test_request_context():
        html = render_template_string(template)
    assert '<form method="post" action="/gent/beheer/x" class="inline-form">' in html
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]+">', html)
    assert '<input type="hidden" name="next" value="stale">' in html
    assert html.count("<button") == 1
    assert (
        '<button type="submit" class="button-secondary">Gecontroleerd'
        '<span class="visually-hidden">: Poetsdienst</span></button>'
    ) in html


def test_confirm_page_posts_with_a_way_back(app):
    template = """{% from "_forms.html" import confirm %}
    {% call confirm("Ja, afsplitsen", "/terug") %}<input type="hidden" name="signal" value="7">{% endcall %}"""
    with app.test_request_context():
        html = render_template_string(template)
    assert '<form method="post" class="actions">' in html
    assert '<input type="hidden" name="signal" value="7">' in html
    assert '<button type="submit" class="button-warning">Ja, afsplitsen</button>' in html
    assert '<a href="/terug">Nee, terug</a>' in html


def current_links(html: str) -> list[str]:
    """The labels of the sub-nav links marked as the current page."""
    nav = re.search(r'<nav class="sub-nav".*?</nav>', html, re.DOTALL).group(0)
    return re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', nav)


def test_catalogue_sub_nav_marks_the_page_the_regisseur_is_on(app, regisseur):
    with app.test_request_context():
        services = url_for("catalogue.services", gebied="gent")
        new_provider = url_for("catalogue.new_provider", gebied="gent")
        niches = url_for("demand.board", gebied="gent")
    assert current_links(regisseur.get(services).get_data(as_text=True)) == ["Diensten"]
    assert current_links(regisseur.get(new_provider).get_data(as_text=True)) == ["Aanbieders"]
    assert current_links(regisseur.get(niches).get_data(as_text=True)) == ["Niches"]


def test_werkwinkel_sub_nav_marks_the_page_and_links_rules_without_a_region(app, client, staff):
    login(client, "consulent@gent.example")
    with app.test_request_context():
        vacancies = url_for("jobs.vacancy_list", gebied="gent")
        new_vacancy = url_for("jobs.new_vacancy", gebied="gent")
        rules = url_for("jobs_rules.rule_sets")
    page = client.get(vacancies).get_data(as_text=True)
    assert current_links(page) == ["Vacatures"]
    assert f'<a href="{rules}">Regels</a>' in page
    assert "Catalogus beheren" not in page  # a consulent does not manage the catalogue
    assert current_links(client.get(new_vacancy).get_data(as_text=True)) == ["Vacatures"]
