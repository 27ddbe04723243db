"""The memo "Ekonomiska konsekvenser av fri ledsagning": page context and PDF (WeasyPrint)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from folja.core.pdf import html_to_pdf
from folja.simulation import charts
from folja.simulation.investigation import Investigation
from folja.simulation.texts import (
    METRIC_LABELS,
    MODEL_LABELS,
    MONTH_NAMES,
    PARAMETER_LABELS,
    TABLE_METRICS,
    flex_explanation,
    parameter_rows,
    result_statement,
    top_parameters_text,
)


def context(inv: Investigation) -> dict:
    models = inv.result.models
    rows = []
    for metric in TABLE_METRICS:
        rows.append(
            {
                "label": METRIC_LABELS[metric],
                "share": metric == "execution_share",
                "cells": [inv.summary[m][metric] for m in models],
            }
        )
    diff_rows = []
    for (a, b), per in inv.diffs.items():
        diff_rows.append(
            {
                "label": _("%(b)s minus %(a)s") % {"a": MODEL_LABELS[a], "b": MODEL_LABELS[b]},
                "cells": [per[k] for k in ("executed_hours", "lapsed_hours", "total_cost")],
            }
        )
    start = inv.population.start_month - 1
    month_labels = [str(MONTH_NAMES[(start + i) % 12])[:3] for i in range(inv.result.months)]
    by_month = [
        {
            "label": month_labels[i],
            "values": [inv.result.executed_by_month[m][:, i].mean() for m in models],
        }
        for i in range(inv.result.months)
    ]
    ctx = {
        "inv": inv,
        "models": [(m, MODEL_LABELS[m]) for m in models],
        "rows": rows,
        "diff_rows": diff_rows,
        "by_month": by_month,
        "granted_per_month": inv.population.grant_hours.sum(),
        "parameters": parameter_rows(inv),
        "explanation": flex_explanation(inv),
        "statement": result_statement(inv),
        "top_parameters": top_parameters_text(inv),
        "season": [(MONTH_NAMES[i], inv.fit.season[i]) for i in range(12)],
        "population_label": inv.district.name if inv.district else _("Hela staden"),
        "cost_svg": charts.cost_chart(inv, _("Total kostnad per modell, medel och 90 %-intervall")),
        "month_svg": charts.monthly_chart(
            inv, _("Utförda timmar per månad (linje: beviljat per månad)"), month_labels
        ),
        "tornado_svg": None,
        "tornado_rows": [],
    }
    if inv.tornado is not None:
        ctx["tornado_svg"] = charts.tornado_chart(
            inv,
            _("Känslighet: merkostnad för %(b)s jämfört med %(a)s")
            % {
                "a": MODEL_LABELS[inv.tornado.baseline_model],
                "b": MODEL_LABELS[inv.tornado.compared_model],
            },
            _("lågt värde"),
            _("högt värde"),
        )
        ctx["tornado_rows"] = [
            {"label": PARAMETER_LABELS[b.key], "bar": b} for b in inv.tornado.bars
        ]
        ctx["tornado_base"] = inv.tornado.base_value
    return ctx


def render_pdf(inv: Investigation, *, request=None) -> bytes:
    html = render_to_string(
        "simulation/memo.html",
        context(inv) | {"today": timezone.now().date()},
        request=request,
    )
    return html_to_pdf(html)
