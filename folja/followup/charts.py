"""Server-side SVG charts (matplotlib, Agg). Each series has its own hatching, marker or line
style and direct value labels, so a chart reads without colour; every page shows the chart's
data table next to it."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
from django.utils.translation import gettext as _
from matplotlib.figure import Figure

from folja.core.templatetags.figures import (
    chart_has_data,
    chart_label,
    chart_no_data,
    chart_ticks,
    format_number,
)

matplotlib.rcParams["svg.hashsalt"] = "folja"  # stable ids: same data, same bytes
matplotlib.rcParams["font.family"] = "DejaVu Sans"

HATCHES = ("///", "...", "xxx", "\\\\\\", "ooo", "---", "+++")
LINES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"))
GREYS = ("#1b1b1b", "#555555", "#888888", "#bbbbbb")


def _svg(fig: Figure, title: str) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Title": title, "Date": None})
    return buffer.getvalue()


def time_series(
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    ylabel: str,
    *,
    counts: bool = False,
) -> bytes:
    """Lines over time; the value axis from zero, whole-number ticks when `counts`."""
    fig = Figure(figsize=(8, 3.6))
    ax = fig.subplots()
    ax.set_title(title)
    if not chart_has_data(*(values for _name, values in series)):
        chart_no_data(ax)
        return _svg(fig, title)
    x = range(len(labels))
    for i, (name, values) in enumerate(series):
        style, marker = LINES[i % len(LINES)]
        ax.plot(x, values, linestyle=style, marker=marker, color=GREYS[i % 4], label=name)
        if values:
            ax.annotate(
                name,
                (len(values) - 1, values[-1]),
                textcoords="offset points",
                xytext=(4, 0),
                fontsize=8,
            )
    ax.set_xticks(list(x), labels, rotation=45, ha="right", fontsize=8)
    chart_ticks(ax.yaxis, counts=counts)
    ax.set_ylabel(ylabel)
    ax.legend(fontsize=8, frameon=False)
    ax.grid(axis="y", linewidth=0.3)
    return _svg(fig, title)


def bars(
    title: str, labels: Sequence[str], values: Sequence[float], fmt: str, xlabel: str
) -> bytes:
    """`fmt` ("{:.0f} %") gives the value labels' decimals and unit; the numbers are written
    as on the pages (folja.core.templatetags.figures)."""
    fig = Figure(figsize=(8, max(2.0, 0.38 * len(labels) + 1)))
    ax = fig.subplots()
    ax.set_title(title)
    if not chart_has_data(values):
        chart_no_data(ax)
        return _svg(fig, title)
    y = range(len(labels))
    rects = ax.barh(list(y), values, color="white", edgecolor="#1b1b1b")
    for i, rect in enumerate(rects):
        rect.set_hatch(HATCHES[i % len(HATCHES)])
    ax.bar_label(rects, labels=[chart_label(v, fmt) for v in values], padding=3, fontsize=8)
    ax.set_yticks(list(y), labels, fontsize=8)
    chart_ticks(ax.xaxis)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.margins(x=0.15)
    return _svg(fig, title)


def histogram(title: str, values: Sequence[float], xlabel: str, bins: Sequence[float]) -> bytes:
    fig = Figure(figsize=(8, 3.2))
    ax = fig.subplots()
    ax.set_title(title)
    if not values:
        chart_no_data(ax)
        return _svg(fig, title)
    counts, _edges, patches = ax.hist(
        values, bins=list(bins), color="white", edgecolor="#1b1b1b", hatch="///"
    )
    ax.bar_label(patches, labels=[format_number(c) if c else "" for c in counts], fontsize=8)
    chart_ticks(ax.xaxis)
    chart_ticks(ax.yaxis, counts=True)  # a number of decisions is whole
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_("Antal beslut"))
    return _svg(fig, title)


def intervals(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    xlabel: str,
    *,
    reference: float = 0.0,
) -> bytes:
    """Each label's estimate as a point with its confidence interval as a line, against a
    reference line (0 for a deviation in hours, 1 for an odds ratio). An estimate that could
    not be fitted is left out of the picture; the table next to it says "–"."""
    fig = Figure(figsize=(8, max(2.0, 0.38 * len(labels) + 1)))
    ax = fig.subplots()
    ax.set_title(title)
    drawn = [
        (label, v, lo, hi)
        for label, v, lo, hi in zip(labels, values, lows, highs, strict=True)
        if v is not None and lo is not None and hi is not None
    ]
    if not drawn:
        chart_no_data(ax)
        return _svg(fig, title)
    y = list(range(len(drawn)))
    for i, (_label, v, lo, hi) in enumerate(drawn):
        ax.plot([lo, hi], [i, i], color="#1b1b1b", linewidth=1.2)
        ax.plot([v], [i], marker="o", color="#1b1b1b")
    ax.axvline(reference, color="#888888", linestyle="--", linewidth=0.8)
    ax.set_yticks(y, [d[0] for d in drawn], fontsize=8)
    ax.invert_yaxis()
    # A deviation can be negative: this axis is centred on the reference, not started at zero.
    chart_ticks(ax.xaxis, from_zero=False)
    ax.set_xlabel(xlabel)
    return _svg(fig, title)
