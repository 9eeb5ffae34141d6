"""Every page and API endpoint says in one line what it is for (as flaskr's views do)."""

import inspect


def test_every_view_has_a_docstring(app):
    undocumented = []
    for rule in app.url_map.iter_rules():
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        if not view.__module__.startswith("dienstenwijzer."):
            continue  # Flask's own static files
        if not (inspect.getdoc(view) or "").strip():
            undocumented.append(f"{rule.endpoint} ({view.__module__})")
    assert undocumented == []
