"""Accessible charts: server-rendered SVG, always shown next to a table of the same numbers.

The SVG is decorative for screen readers (the table carries the numbers), so it needs no
JavaScript and works in every browser.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .i18n import LOCALE

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 190
CHART_WIDTH = 640
COLOURS = ("#0b5394", "#00703c", "#8a6d00", "#b10e1e")  # all ≥ 4.5:1 against white


@dataclass
class Series:
    """A small table of figures: one row per label, one column per series name."""

    title: str
    columns: Sequence[str]  # the first is the label column, the rest are numbers
    rows: Sequence[Sequence]
    definition: str = ""  # one sentence under the figure: what exactly is counted
    plotted: int | None = None  # how many number columns the chart draws (None: all)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_cell(v) for v in row])
        return "\ufeff" + out.getvalue()


def _cell(value) -> str:
    # Decimal comma, no thousands separator: what a Belgian spreadsheet reads as a number.
    text = (
        ""
        if value is None
        else (number_text(value, grouping=False) if _is_number(value) else str(value))
    )
    # Spreadsheet formula guard, as in the catalogue export.
    return "'" + text if text.startswith(("=", "+", "-", "@")) else text


def bar_chart(series: Series) -> Markup:
    """Horizontal bars, one group per row, one bar per numeric column."""
    numeric = series.plotted or len(series.columns) - 1
    values = [float(v or 0) for row in series.rows for v in row[1 : numeric + 1]]
    top = max(values + [1.0])
    group = numeric * BAR_HEIGHT + GAP
    height = max(1, len(series.rows)) * group + GAP
    plot = CHART_WIDTH - LABEL_WIDTH - 60
    parts = [
        (
            f'<svg class="chart" viewBox="0 0 {CHART_WIDTH} {height}" width="100%" role="presentation" '
            f'aria-hidden="true" focusable="false" xmlns="http://www.w3.org/2000/svg">'
        )
    ]
    for i, row in enumerate(series.rows):
        y0 = GAP + i * group
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y0 + numeric * BAR_HEIGHT / 2 + 5:.0f}" text-anchor="end" '
            f'font-size="13" fill="#1b1b1b">{escape(_short(str(row[0])))}</text>'
        )
        for j, value in enumerate(row[1 : numeric + 1]):
            v = float(value or 0)
            w = plot * v / top
            y = y0 + j * BAR_HEIGHT
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{w:.1f}" height="{BAR_HEIGHT - 4}" '
                f'fill="{COLOURS[j % len(COLOURS)]}"/>'
                f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + BAR_HEIGHT - 7}" font-size="12" '
                f'fill="#1b1b1b">{escape(_number(value))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value) -> str:
    return number_text(value) if _is_number(value) else str(value or "")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_text(value, grouping: bool = True) -> str:
    """Belgian Dutch: "37,5" and "1.234" (at most two decimals)."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0.##", locale=LOCALE, group_separator=grouping)
