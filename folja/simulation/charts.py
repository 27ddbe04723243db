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

from folja.core.templatetags.figures import chart_ticks, format_number
from folja.simulation.investigation import Investigation
from folja.simulation.texts import MODEL_LABELS, PARAMETER_LABELS

HATCHES = {"monthly": "//", "flex3": "..", "free": "xx"}
MARKERS = {"monthly": "o", "flex3": "s", "free": "^"}
plt.rcParams["svg.fonttype"] = "none"  # text stays text: searchable and readable


_STYLE_ATTR = re.compile(r'style="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"<style[^>]*>.*?</style>", re.S)
_FONT_KEYWORDS = {"normal", "italic", "oblique", "bold", "bolder", "lighter"}


def _font(value: str) -> list[tuple[str, str]]:
    """Split matplotlib's `font: [style] [weight] SIZE FAMILY` shorthand into attributes."""
    out = []
    tokens = value.split()
    while tokens and (tokens[0] in _FONT_KEYWORDS or tokens[0].isdigit()):
        word = tokens.pop(0)
        out.append(("font-style" if word in ("italic", "oblique") else "font-weight", word))
    if tokens:
        out.append(("font-size", tokens.pop(0)))
    if tokens:
        out.append(("font-family", " ".join(tokens)))
    return out


def _presentation_attributes(svg: str) -> str:
    """The page's strict Content-Security-Policy blocks `style="…"` attributes and `<style>`
    elements, also inside inline SVG; SVG presentation attributes (fill="…") are not styles,
    so every declaration becomes one."""

    def convert(match: re.Match) -> str:
        attrs = []
        for declaration in match.group(1).split(";"):
            prop, _, value = declaration.partition(":")
            prop, value = prop.strip(), value.strip()
            if not prop or not value:
                continue
            pairs = _font(value) if prop == "font" else [(prop, value)]
            attrs.extend(f'{p}="{escape(v, quote=True)}"' for p, v in pairs)
        return " ".join(attrs)

    return _STYLE_ATTR.sub(convert, _STYLE_ELEMENT.sub("", svg))


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
    text = _presentation_attributes(text)
    # The numbers are in the data table next to the chart; the label names the chart. The
    # <title> is the same name for the tagged PDF, whose figures take their alternative text
    # from it (PDF/UA); on the page the aria-label already gives it.
    text = text.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)
    opening = text.index(">") + 1
    return f"{text[:opening]}<title>{escape(label)}</title>{text[opening:]}"


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
            format_number(v, 1),
            (b.get_x() + b.get_width() / 2, v),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
        )
    ax.set_xticks(x, [textwrap.fill(str(MODEL_LABELS[m]), 18) for m in models])
    chart_ticks(ax.yaxis)
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
    chart_ticks(ax.yaxis)
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
    chart_ticks(ax.xaxis)
    ax.set_xlabel("Mkr")
    ax.set_title(title)
    ax.legend(frameon=False, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig, "tornado", title)
