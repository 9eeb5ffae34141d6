"""Stylesheets load in <head>, before the page paints, not from the middle of <body>."""

from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def test_no_template_links_a_stylesheet_outside_the_head_block():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for line in text.splitlines():
            if 'rel="stylesheet"' in line:
                assert "{% block head %}" in line or path.name == "base.html", (
                    f"{path.relative_to(TEMPLATES)} links a stylesheet outside <head>"
                )
