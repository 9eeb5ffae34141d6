"""Click's own messages in Dutch ("Gebruik:", "Fout: Ontbrekende optie '--region'.").

Click marks its messages for gettext (`from gettext import gettext as _` in each module) but
ships no catalogues and reads the language from the environment, so an operator on an English
or C locale gets English. We read our catalogue (locale/nl/LC_MESSAGES/click.po) with Babel and
bind click's message functions to it; a message the catalogue lacks stays as click wrote it.

The placeholders in a usage line ("[OPTIONS]", "COMMAND [ARGS]...") are not messages but
default arguments of click's commands, so gettext never sees them: the usage line is put
together by one method per command class, and we translate its pieces there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache, wraps
from pathlib import Path

import click
from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "click.po"
# The click modules whose messages an operator can see (the others are for Windows consoles
# and shell completion).
CLICK_MODULES = (
    "click.core",
    "click.decorators",
    "click.exceptions",
    "click.formatting",
    "click.parser",
    "click.termui",
    "click.types",
)

# Usage-line placeholders: click's defaults (core.Command and core.Group) -> Dutch.
USAGE_PIECES = {
    "[OPTIONS]": "[OPTIES]",
    "COMMAND [ARGS]...": "OPDRACHT [ARGUMENTEN]...",
    "[COMMAND] [ARGS]...": "[OPDRACHT] [ARGUMENTEN]...",
    "COMMAND1 [ARGS]... [COMMAND2 [ARGS]...]...": (
        "OPDRACHT1 [ARGUMENTEN]... [OPDRACHT2 [ARGUMENTEN]...]..."
    ),
    "[COMMAND1] [ARGS]... [COMMAND2 [ARGS]...]...": (
        "[OPDRACHT1] [ARGUMENTEN]... [OPDRACHT2 [ARGUMENTEN]...]..."
    ),
}


@cache
def _messages() -> dict:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="nl")
    return {m.id: m.string for m in catalogue if m.id and m.string}


def gettext(message: str) -> str:
    return _messages().get(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    forms = _messages().get((singular, plural))
    if forms and all(forms):
        return forms[0] if n == 1 else forms[1]
    return singular if n == 1 else plural


def install() -> None:
    """Make click speak Dutch in this process (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = gettext
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext
    for command_class in (click.Command, click.Group):
        method = command_class.__dict__.get("collect_usage_pieces")
        if method is not None and not getattr(method, "dutch", False):
            command_class.collect_usage_pieces = _dutch_usage(method)


def _dutch_usage(collect: Callable) -> Callable:
    @wraps(collect)
    def collect_usage_pieces(self, ctx):
        return [USAGE_PIECES.get(piece, piece) for piece in collect(self, ctx)]

    collect_usage_pieces.dutch = True
    return collect_usage_pieces
