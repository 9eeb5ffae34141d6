"""The period a monitoring page shows, and the period of the same length just before it.

Counts are kept per week (the Monday), so a period covers whole weeks: the weeks whose Monday
lies between its first and last day. A custom period is rounded out to whole weeks the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.dates import format_date

from ..i18n import LOCALE
from .counting import week_of

# The choices of the period picker: key, label, length in weeks.
PRESETS = (
    ("4w", "Laatste 4 weken", 4),
    ("12w", "Laatste 12 weken", 12),
    ("12m", "Laatste 12 maanden", 52),
)
DEFAULT = "12w"
MONTHLY_FROM_WEEKS = 17  # longer periods are shown per month: 52 bars per week are unreadable
LONGEST_WEEKS = 3 * 52


@dataclass(frozen=True)
class Period:
    first_week: dt.date  # a Monday
    weeks: int
    key: str = "eigen"  # a preset's key, or "eigen" for a custom period

    @property
    def end(self) -> dt.date:
        """The last day (a Sunday)."""
        return self.first_week + dt.timedelta(weeks=self.weeks, days=-1)

    @property
    def start_moment(self) -> dt.datetime:
        return dt.datetime.combine(self.first_week, dt.time())

    @property
    def end_moment(self) -> dt.datetime:
        """The first moment after the period (for created_at < end_moment)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    @property
    def monthly(self) -> bool:
        return self.weeks >= MONTHLY_FROM_WEEKS

    def week_starts(self) -> list[dt.date]:
        return [self.first_week + dt.timedelta(weeks=i) for i in range(self.weeks)]

    def previous(self) -> Period:
        return Period(self.first_week - dt.timedelta(weeks=self.weeks), self.weeks, self.key)

    @property
    def label(self) -> str:
        """ "3 november 2025 tot en met 25 januari 2026"."""
        return f"{long_date(self.first_week)} tot en met {long_date(self.end)}"


def long_date(day: dt.date) -> str:
    return format_date(day, "d MMMM y", locale=LOCALE)


def preset(key: str, today: dt.date) -> Period:
    """A preset ending with the current week (which is still counting)."""
    weeks = next(n for k, _, n in PRESETS if k == key)
    return Period(week_of(today) - dt.timedelta(weeks=weeks - 1), weeks, key)


def custom(start: dt.date, end: dt.date) -> Period:
    """From the week of `start` through the week of `end` (the caller checked start <= end)."""
    first = week_of(start)
    return Period(first, (week_of(end) - first).days // 7 + 1)
