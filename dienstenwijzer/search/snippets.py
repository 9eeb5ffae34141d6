"""Highlighted snippets: the part of a description where the resident's words occur."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from .analysis import fold, index_forms

TOKEN_RE = re.compile(r"(\w+)", re.UNICODE)


def snippet(text: str, forms: frozenset[str], max_words: int = 32) -> Markup:
    """A window of about `max_words` words around the first match, matches in <mark>."""
    pieces = TOKEN_RE.split(text)  # words at odd positions
    word_positions = list(range(1, len(pieces), 2))
    hits = {
        pos for pos in word_positions if forms and not forms.isdisjoint(index_forms(fold(pieces[pos])))
    }
    if len(word_positions) <= max_words:
        start, end = 0, len(pieces)
    else:
        first = min(hits) if hits else 1
        first_index = word_positions.index(first)
        lo = max(0, first_index - max_words // 4)
        hi = min(len(word_positions), lo + max_words)
        lo = max(0, hi - max_words)
        start = word_positions[lo]
        end = word_positions[hi - 1] + 1
    out = [Markup("… ") if start > 0 else Markup("")]
    for pos in range(start, end):
        piece = pieces[pos]
        out.append(Markup("<mark>%s</mark>") % piece if pos in hits else escape(piece))
    if end < len(pieces) - 1:
        out.append(Markup(" …"))
    return Markup("").join(out)
