"""The follow-up charts with their figures: each chart's SVG and the CSV file of exactly the
rows it draws, the execution rate by one dimension at a time, and the case-mix-adjusted
equality comparison's chart and export. Aggregates only, like every follow-up page: no view
here reads a person, so none logs an access."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from folja.accounts.models import Role
from folja.core.csv_writer import csv_response
from folja.core.permissions import role_required
from folja.followup import charts, equality_export, slices
from folja.followup.dashboards import HOUR_BINS, histogram_values
from folja.followup.selectors import Slice
from folja.followup.views import ANALYSTS, CHART_ROLES, _district_for, _overview, _year, _years
from folja.people.models import District
from folja.rules.stats import percent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@role_required(*ANALYSTS)
def equality_csv(request: HttpRequest) -> HttpResponse:
    """The case-mix-adjusted comparison as a file: hours as deviations from the city mean in
    hours per month, rejection as the raw difference in share and the adjusted odds ratio."""
    year = _year(request)
    return csv_response(
        f"folja-likvardighet-{year}.csv", equality_export.COLUMNS, equality_export.file_rows(year)
    )


@role_required(*ANALYSTS)
def equality_xlsx(request: HttpRequest) -> HttpResponse:
    """The same comparison as a spreadsheet, one sheet per measure (equality_export)."""
    year = _year(request)
    response = HttpResponse(equality_export.equality_xlsx(year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="folja-likvardighet-{year}.xlsx"'
    return response


@role_required(*ANALYSTS)
def equality_chart(request: HttpRequest) -> HttpResponse:
    """Each district's adjusted deviation in granted hours with its 95 % interval."""
    year = _year(request)
    rows = [r for r in equality_export.equality_rows(year) if r[0] == "hours"]
    svg = charts.intervals(
        _("Justerad skillnad mot stadens genomsnitt %(y)s") % {"y": year},
        [r[1] for r in rows],
        [equality_export.finite(r[4]) for r in rows],
        [equality_export.finite(r[5]) for r in rows],
        [equality_export.finite(r[6]) for r in rows],
        _("Timmar per månad"),
    )
    return HttpResponse(svg, content_type="image/svg+xml")


def _by(request: HttpRequest) -> str:
    by = request.GET.get("by") or "district"
    if by not in slices.BY:
        raise Http404
    return by


def _slice_rows(year: int, district: District | None, by: str) -> list[dict]:
    return slices.execution_slices(
        Slice.year(year, district_id=district.pk if district else None), by
    )


@role_required(*CHART_ROLES)
def execution_slices(request: HttpRequest) -> HttpResponse:
    """The execution rate by one dimension at a time (district, provider, legal basis, gender,
    age band, month, model), with its chart and CSV file."""
    year, district, by = _year(request), _district_for(request), _by(request)
    query = f"year={year}&by={by}" + (f"&district={district.pk}" if district else "")
    s = Slice.year(year, district_id=district.pk if district else None)
    context = {
        "year": year,
        "years": _years(),
        "by": by,
        "dimensions": [(k, str(v)) for k, v in slices.BY.items()],
        "heading": slices.heading(by),
        "column": str(slices.BY[by]),
        "rows": _slice_rows(year, district, by),
        "preliminary": slices.preliminary(s),
        "district": district,
        "districts": District.objects.filter(active=True).order_by("name")
        if request.user.role != Role.UNIT_MANAGER
        else [],
        "chart_query": query,
    }
    return render(request, "followup/slices.html", context)


def _chart_table(
    name: str, year: int, district: District | None, by: str = "district"
) -> tuple[list[str], list[list]]:
    """The figures chart `name` draws, as a header and rows: the CSV download and the chart
    read the same rows, so the file holds exactly what the picture shows."""
    if name == "utforandegrad":
        header = [_("Nyckel"), str(slices.BY[by]), _("Personer"), _("Beviljade timmar")]
        header += [_("Utförda timmar"), _("Utförandegrad (%)")]
        return header, slices.slices_table(_slice_rows(year, district, by))
    data = _overview(year, district)
    if name == "tidsserie":
        return [_("Månad"), _("Beviljade timmar"), _("Utförda timmar")], [
            [m["label"], m["granted_hours"], m["executed_hours"]] for m in data["months"]
        ]
    if name == "stadsdelar":
        rows = [r for r in data["districts"] if r["execution_rate"] is not None]
        return [_("Stadsdel"), _("Utförandegrad (%)")], [
            [r["label"], percent(r["execution_rate"])] for r in rows
        ]
    if name == "avslag":
        rows = [r for r in data["districts"] if r["rejection_share"] is not None]
        return [_("Stadsdel"), _("Avslag och delavslag (%)")], [
            [r["label"], percent(r["rejection_share"])] for r in rows
        ]
    if name == "fordelning":
        return [_("Timmar per månad"), _("Beslut")], [
            [b["label"], b["count"]] for b in data["histogram"]
        ]
    raise Http404


def _chart_svg(name: str, year: int, district: District | None, by: str) -> bytes:
    header, rows = _chart_table(name, year, district, by)
    where = district.name if district else _("hela staden")
    if name == "utforandegrad":
        rated = [r for r in rows if r[5] is not None]
        return charts.bars(
            f"{slices.heading(by)} {year}, {where}",
            [r[1] for r in rated],
            [float(r[5]) for r in rated],
            "{:.0f} %",
            _("Utförda av beviljade timmar (%)"),
        )
    if name == "tidsserie":
        return charts.time_series(
            _("Beviljade och utförda timmar per månad %(y)s, %(w)s") % {"y": year, "w": where},
            [r[0] for r in rows],
            [(header[1], [float(r[1]) for r in rows]), (header[2], [float(r[2]) for r in rows])],
            _("Timmar"),
        )
    if name in ("stadsdelar", "avslag"):
        title = (
            _("Utförandegrad per stadsdel %(y)s")
            if name == "stadsdelar"
            else _("Andel avslag och delavslag per stadsdel %(y)s")
        )
        axis = _("Utförda av beviljade timmar (%)") if name == "stadsdelar" else header[1]
        return charts.bars(
            title % {"y": year},
            [r[0] for r in rows],
            [float(r[1]) for r in rows],
            "{:.0f} %",
            axis,
        )
    s = Slice.year(year, district_id=district.pk if district else None)
    return charts.histogram(
        _("Beviljade timmar per månad och beslut %(y)s, %(w)s") % {"y": year, "w": where},
        histogram_values(s),
        _("Timmar per månad"),
        list(HOUR_BINS),
    )


@role_required(*CHART_ROLES)
def chart(request: HttpRequest, name: str) -> HttpResponse:
    svg = _chart_svg(name, _year(request), _district_for(request), _by(request))
    return HttpResponse(svg, content_type="image/svg+xml")


@role_required(*CHART_ROLES)
def chart_csv(request: HttpRequest, name: str) -> HttpResponse:
    """A chart's figures as a file, through Följa's one CSV convention."""
    year, district = _year(request), _district_for(request)
    by = _by(request)
    header, rows = _chart_table(name, year, district, by)
    name = f"{name}-{by}" if name == "utforandegrad" else name
    where = slugify(district.name) if district else "staden"
    return csv_response(f"folja-{name}-{year}-{where}.csv", header, rows)
