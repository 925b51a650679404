"""A line chart of shares by month, laid out for an SVG the server renders
(templates/search/trends.html): coordinates, axis ticks and, for each line, what tells it
apart without colour (a dash pattern and a point shape), so that the chart reads in print
and in greys. Pure: numbers in, numbers and short strings out; no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

WIDTH = 760
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 36  # margins: the y labels left, the years below

# Up to three lines: each a colour, a dash pattern and a point shape of its own.
STYLES = (
    ("line-1", "", "circle"),
    ("line-2", "8 4", "square"),
    ("line-3", "2 3", "triangle"),
)
POINT = 3.5  # half the size of a point marker


@dataclass
class Point:
    x: float
    y: float
    month: str  # "2021-03"
    share: float  # percent
    title: str  # what a pointer's tooltip (and a screen reader in the SVG) says
    shape: str = ""  # the marker's SVG: a path "d" (square, triangle) or "" for a circle

    # As the SVG prints them: text, since a template would localise every float (a few
    # hundred of them cost more than counting the hits).
    @property
    def cx(self) -> str:
        return f"{self.x:g}"

    @property
    def cy(self) -> str:
        return f"{self.y:g}"

    @property
    def share_text(self) -> str:
        return f"{self.share:g}"


@dataclass
class Line:
    label: str
    css: str  # "line-1": the colour
    dash: str  # stroke-dasharray, "" for solid
    shape: str  # "circle", "square" or "triangle"
    polyline: str = ""  # the points, joined across months without exchanges
    points: list[Point] = field(default_factory=list)
    legend_shape: str = ""  # the marker's path in the legend


@dataclass
class Tick:
    at: float  # pixel
    label: str

    @property
    def at_text(self) -> str:
        return f"{self.at:g}"


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int  # x of the plot's right edge
    bottom: int  # y of the plot's bottom edge (the zero line)
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    top_share: float  # percent at the top of the plot


def lay_out_chart(
    months: list[str], series: list[tuple[str, list[float | None]]], *, titles: list[list[str]]
) -> Chart:
    """The chart of `series` (label, a share in percent per month, None where the month
    has no exchanges to share) over `months` ("2021-03", consecutive); `titles` hold each
    point's text, per line and month.

    A month without exchanges gets no point, and the line joins the months either side:
    a sparse archive (a briefing every few months) would otherwise show dots, not lines;
    the table shows the gap."""
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    shown = [share for _, shares in series for share in shares if share is not None]
    largest = max(shown, default=0)
    top_share = nice_ceiling(largest)
    step = (right - LEFT) / max(1, len(months) - 1)

    def x_of(index: int) -> float:
        # A single month stands in the middle.
        return round(LEFT + index * step, 1) if len(months) > 1 else (LEFT + right) / 2

    def y_of(share: float) -> float:
        return round(bottom - (bottom - TOP) * share / top_share, 1)

    lines = []
    for place, (label, shares) in enumerate(series):
        css, dash, shape = STYLES[place % len(STYLES)]
        line = Line(label, css, dash, shape, legend_shape=marker_path(shape, 0, 0))
        for index, share in enumerate(shares):
            if share is None:
                continue  # no exchanges that month: no share to draw
            x, y = x_of(index), y_of(share)
            title = titles[place][index]
            line.points.append(Point(x, y, months[index], share, title, marker_path(shape, x, y)))
        line.polyline = " ".join(f"{point.x},{point.y}" for point in line.points)
        lines.append(line)

    y_ticks = [Tick(y_of(value), format_share(value)) for value in tick_values(top_share)]
    x_ticks = [
        Tick(x_of(index), month[:4])
        for index, month in enumerate(months)
        if month.endswith("-01") or index == 0
    ]
    if len(x_ticks) > 1 and x_ticks[1].at - x_ticks[0].at < 28:
        x_ticks.pop(0)  # the first, part-year label would overprint the next
    return Chart(WIDTH, HEIGHT, LEFT, TOP, right, bottom, lines, y_ticks, x_ticks, top_share)


def marker_path(shape: str, x: float, y: float) -> str:
    """An SVG path for a point's marker centred on (x, y); "" for a circle (drawn as one)."""
    size = POINT
    if shape == "square":
        return f"M{x - size:g},{y - size:g}h{2 * size:g}v{2 * size:g}h{-2 * size:g}z"
    if shape == "triangle":
        high = round(size * 1.2, 1)
        return f"M{x:g},{y - high:g}L{x + high:g},{y + size:g}L{x - high:g},{y + size:g}z"
    return ""


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power * (1 + 1e-9):
            return factor * power
    return 10 * power


def tick_values(top: float) -> list[float]:
    """Five evenly spaced values from 0 to `top`."""
    return [top * part / 4 for part in range(5)]


def format_share(value: float) -> str:
    """A percentage to at most three decimals, without trailing zeros: "12.5%", "0.043%"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{text}%"
