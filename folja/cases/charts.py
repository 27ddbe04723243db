"""Server-side SVG charts (matplotlib, Agg). Each reads without colour: hatching and direct
labels carry the meaning, and every chart has a data table next to it on the page.

Charts are cached by their data and the language their numbers are written in: the same
figures always draw the same picture.
"""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib
from django.utils.translation import get_language

from folja.core.templatetags.figures import chart_has_data, chart_label, chart_no_data, chart_ticks

matplotlib.use("Agg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
matplotlib.rcParams["svg.hashsalt"] = "folja"  # stable ids, so the same data gives the same SVG

INK = "#1b1b1b"
BRAND = "#005a9c"


def _svg(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def grouped_bars(
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float, ...]], ...],
    ylabel: str,
    *,
    counts: bool = False,
) -> str:
    """Bars side by side per label; each series has its own hatch as well as its own tone.
    The value axis starts at zero; `counts` gives it whole-number ticks."""
    return _grouped_bars(labels, series, ylabel, counts, get_language())


# The language is part of the cache key: the numbers on the axes are written in it.
@lru_cache(maxsize=256)
def _grouped_bars(
    labels: tuple[str, ...],
    series: tuple[tuple[str, tuple[float, ...]], ...],
    ylabel: str,
    counts: bool,
    language: str,
) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3.4))
    if not chart_has_data(*(values for _name, values in series)):
        chart_no_data(ax)
        return _svg(fig)
    width = 0.8 / max(len(series), 1)
    hatches = ("", "///", "..", "xx")
    faces = (BRAND, "#ffffff", "#bbbbbb", "#ffffff")
    for i, (name, values) in enumerate(series):
        xs = [x + (i - (len(series) - 1) / 2) * width for x in range(len(labels))]
        ax.bar(
            xs,
            values,
            width,
            label=name,
            color=faces[i % 4],
            edgecolor=INK,
            hatch=hatches[i % 4],
            linewidth=0.8,
        )
    ax.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    chart_ticks(ax.yaxis, counts=counts)
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(frameon=False)
    return _svg(fig)


def horizontal_bars(labels: tuple[str, ...], values: tuple[float, ...], xlabel: str) -> str:
    """One bar per label with its value written at the end (percent)."""
    return _horizontal_bars(labels, values, xlabel, get_language())


@lru_cache(maxsize=256)
def _horizontal_bars(
    labels: tuple[str, ...], values: tuple[float, ...], xlabel: str, language: str
) -> str:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 0.45 * max(len(labels), 2) + 1))
    if not chart_has_data(values):
        chart_no_data(ax)
        return _svg(fig)
    ys = range(len(labels))
    ax.barh(ys, values, color=BRAND, edgecolor=INK, hatch="//", linewidth=0.8)
    for y, v in zip(ys, values, strict=True):
        ax.text(v + 1, y, chart_label(v, "{:.0f} %"), va="center")
    ax.set_yticks(list(ys), labels)
    chart_ticks(ax.xaxis)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_xlim(0, max([100.0, *values]) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)
