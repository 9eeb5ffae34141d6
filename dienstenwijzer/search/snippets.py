"""Highlighted snippets: the part of a description where the resident's words occur."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .analysis import token_forms

TOKEN_RE = re.compile(r"(\w+)", re.UNICODE)


def snippet(text: str, forms: frozenset[str], max_words: int = 32) -> Markup:
    """A window of about `max_words` words around the first match, matches in <mark>.

    Built for the ten hits of every results page: words are analysed only up to the first
    match and inside the window, and the text between matches is escaped in one piece.
    """
    pieces = TOKEN_RE.split(text)  # words at odd positions
    n_words = len(pieces) // 2

    def is_hit(pos: int) -> bool:
        return bool(forms) and not forms.isdisjoint(token_forms(pieces[pos]))

    if n_words <= max_words:
        start, end = 0, len(pieces)
    else:
        first = next((pos for pos in range(1, len(pieces), 2) if is_hit(pos)), 1)
        lo = max(0, (first - 1) // 2 - max_words // 4)
        hi = min(n_words, lo + max_words)
        lo = max(0, hi - max_words)
        start, end = 2 * lo + 1, 2 * hi
    out = ["… " if start > 0 else ""]
    run = start
    for pos in range(start | 1, end, 2):
        if is_hit(pos):
            out.append(escape("".join(pieces[run:pos])))
            out.append(f"<mark>{escape(pieces[pos])}</mark>")
            run = pos + 1
    out.append(escape("".join(pieces[run:end])))
    if end < len(pieces) - 1:
        out.append(" …")
    return Markup("".join(out))
