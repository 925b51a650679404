"""The commitments page's timeline of deadlines: one row per year, or per quarter when the
deadlines span two years or fewer, each with its counts as text and a bar drawn in SVG.

Pure: counts in, rows out. The view counts (one query) and the template draws.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# Up to this many periods the timeline is continuous, empty periods included; beyond it,
# only periods with a deadline are listed, so that one "by 2060" leaves no wall of zeros.
CONTINUOUS_UP_TO = 15


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None  # None on a timeline of years
    total: int
    open: int
    open_share: float  # of the busiest period, 0 to 100: the bar's open part
    rest_share: float  # the bar's other part (closed, or not yet reviewed)
    is_current: bool  # today falls in it

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}" if self.quarter else str(self.year)


@dataclass(frozen=True)
class Timeline:
    unit: str  # "year" or "quarter"
    periods: list[Period]
    undated: int

    @property
    def dated(self) -> int:
        return sum(period.total for period in self.periods)

    def summary(self) -> str:
        """The chart in one sentence, for its caption and screen readers."""
        busiest = max(self.periods, key=lambda period: period.total, default=None)
        if busiest is None:
            return "No deadlines with a date."
        first, last = self.periods[0].label, self.periods[-1].label
        span = first if first == last else f"{first} to {last}"
        return (
            f"{self.dated} dated deadline{'s' if self.dated != 1 else ''}, counted by "
            f"{self.unit}, {span}; the most in {busiest.label} ({busiest.total})."
        )


def build_timeline(
    counts: dict[tuple[int, int], tuple[int, int]], *, undated: int, today: dt.date
) -> Timeline:
    """`counts` maps (year, quarter) to (total, open)."""
    years = sorted({year for year, _ in counts})
    by_quarter = bool(years) and years[-1] - years[0] < 2
    totals: dict[tuple[int, int | None], list[int]] = {}
    for (year, quarter), (total, open_count) in counts.items():
        key = (year, quarter if by_quarter else None)
        row = totals.setdefault(key, [0, 0])
        row[0] += total
        row[1] += open_count
    keys = sorted(totals, key=lambda key: (key[0], key[1] or 0))
    if keys:
        every = _continuous(keys[0], keys[-1], by_quarter=by_quarter)
        if len(every) <= CONTINUOUS_UP_TO:
            keys = every
    busiest = max((row[0] for row in totals.values()), default=0) or 1
    now = (today.year, (today.month - 1) // 3 + 1 if by_quarter else None)
    periods = []
    for key in keys:
        total, open_count = totals.get(key, (0, 0))
        periods.append(
            Period(
                year=key[0],
                quarter=key[1],
                total=total,
                open=open_count,
                open_share=round(100 * open_count / busiest, 2),
                rest_share=round(100 * (total - open_count) / busiest, 2),
                is_current=key == now,
            )
        )
    return Timeline(unit="quarter" if by_quarter else "year", periods=periods, undated=undated)


def _continuous(
    first: tuple[int, int | None], last: tuple[int, int | None], *, by_quarter: bool
) -> list[tuple[int, int | None]]:
    if not by_quarter:
        return [(year, None) for year in range(first[0], last[0] + 1)]
    keys: list[tuple[int, int | None]] = []
    # Whole years of quarters: a year's timeline always reads Q1 to Q4.
    year, quarter = first[0], 1
    while year <= last[0]:
        keys.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return keys
