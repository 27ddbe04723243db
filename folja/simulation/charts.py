"""Server-side SVG charts (matplotlib, Agg). Hatching and direct labels make them readable
without colour; every chart has a data table next to it in the page and the memo."""

from __future__ import annotations

import io
import re
import textwrap
from html import escape

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from folja.simulation.investigation import Investigation
from folja.simulation.texts import MODEL_LABELS, PARAMETER_LABELS

HATCHES = {"monthly": "//", "flex3": "..", "free": "xx"}
MARKERS = {"monthly": "o", "flex3": "s", "free": "^"}
plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable and readable


def _svg(fig, prefix: str, label: str) -> str:
    """The figure as inline SVG. Matplotlib numbers its element ids from 1 in every figure;
    prefixing them keeps ids unique when several charts share a page or a PDF."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', text)
    text = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}-\1)", text)
    text = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}-\1"', text)
    # The numbers are in the data table next to the chart; the label names the chart.
    return text.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def cost_chart(inv: Investigation, title: str) -> str:
    models = inv.result.models
    means = [inv.summary[m]["total_cost"].mean / 1e6 for m in models]
    lows = [inv.summary[m]["total_cost"].low / 1e6 for m in models]
    highs = [inv.summary[m]["total_cost"].high / 1e6 for m in models]
    fig, ax = plt.subplots(figsize=(7, 3.6))
    x = np.arange(len(models))
    bars = ax.bar(x, means, color="white", edgecolor="black", hatch=[HATCHES[m] for m in models])
    ax.errorbar(
        x,
        means,
        yerr=[np.subtract(means, lows), np.subtract(highs, means)],
        fmt="none",
        ecolor="black",
        capsize=6,
    )
    for b, v in zip(bars, means, strict=True):
        ax.annotate(
            f"{v:,.1f}".replace(",", " "),
            (b.get_x() + b.get_width() / 2, v),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
        )
    ax.set_xticks(x, [textwrap.fill(str(MODEL_LABELS[m]), 18) for m in models])
    ax.set_ylabel("Mkr")
    ax.set_title(title)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, "cost", title)


def monthly_chart(inv: Investigation, title: str, month_labels: list[str]) -> str:
    fig, ax = plt.subplots(figsize=(7, 3.6))
    for m in inv.result.models:
        series = inv.result.executed_by_month[m].mean(axis=0)
        ax.plot(
            range(len(series)),
            series,
            marker=MARKERS[m],
            color="black",
            linestyle={"monthly": "-", "flex3": "--", "free": ":"}[m],
            label=str(MODEL_LABELS[m]),
        )
    ax.axhline(inv.population.grant_hours.sum(), color="grey", linewidth=1)
    ax.set_xticks(range(len(month_labels)), month_labels, rotation=45)
    ax.set_ylabel("h")
    ax.set_title(title)
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, "month", title)


def tornado_chart(inv: Investigation, title: str, low_label: str, high_label: str) -> str:
    torn = inv.tornado
    bars = list(torn.bars[:8])[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(bars) + 1.2))
    base = torn.base_value / 1e6
    y = np.arange(len(bars))
    for i, b in enumerate(bars):
        lo, hi = b.low_value / 1e6, b.high_value / 1e6
        ax.barh(
            i,
            lo - base,
            left=base,
            color="white",
            edgecolor="black",
            hatch="//",
            label=low_label if i == 0 else None,
        )
        ax.barh(
            i,
            hi - base,
            left=base,
            color="white",
            edgecolor="black",
            hatch="..",
            label=high_label if i == 0 else None,
        )
    ax.axvline(base, color="black", linewidth=1)
    ax.set_yticks(y, [str(PARAMETER_LABELS[b.key]) for b in bars])
    ax.set_xlabel("Mkr")
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, "tornado", title)
