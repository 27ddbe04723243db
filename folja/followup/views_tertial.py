"""The tertial report in the browser: the request form, the progress page of a period's latest
report, the small JSON status it polls, and the two files. The report is `write_tertial_report`
(the CLI's), run as a background job (folja.followup.jobs). A period is named "2024-T1"; a unit
manager's report is always their own district's, an analyst's the city's or `?district=id`'s.
Aggregates only: no person is read, so none is logged."""

from __future__ import annotations

import re

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from folja.accounts.models import Role
from folja.core.permissions import role_required
from folja.followup.forms import TertialReportForm
from folja.followup.models import ReportStatus, TertialReportRun
from folja.followup.services import REPORT_STEPS, tertial_report_request
from folja.followup.views import ANALYSTS, MAX_YEAR, MIN_YEAR, _district_for, _years
from folja.people.models import District

ROLES = (Role.UNIT_MANAGER, *ANALYSTS)
FINISHED = (ReportStatus.DONE, ReportStatus.FAILED)
PERIOD = re.compile(r"([0-9]{4})-T([1-3])")
FILES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _period(period: str) -> tuple[int, int]:
    match = PERIOD.fullmatch(period)
    if match is None or not MIN_YEAR <= int(match[1]) <= MAX_YEAR:
        raise Http404
    return int(match[1]), int(match[2])


def _scope(request: HttpRequest) -> District | None:
    district = _district_for(request)
    if request.user.role == Role.UNIT_MANAGER and district is None:
        raise Http404
    return district


def _latest(request: HttpRequest, period: str) -> tuple[TertialReportRun | None, dict]:
    year, tertial = _period(period)
    district = _scope(request)
    run = (
        TertialReportRun.objects.visible_to(request.user)
        .filter(year=year, tertial=tertial, district=district)
        .defer("pdf", "xlsx")
        .first()
    )
    where = {"year": year, "tertial": tertial, "district": district}
    return run, where


def _query(district: District | None) -> str:
    return f"?district={district.pk}" if district is not None else ""


@role_required(*ROLES)
def tertial(request: HttpRequest) -> HttpResponse:
    manager = request.user.role == Role.UNIT_MANAGER
    if manager and request.user.district_id is None:
        raise Http404
    districts = None if manager else District.objects.filter(active=True).order_by("name")
    form = TertialReportForm(request.POST or None, years=_years(), districts=districts)
    if request.method == "POST" and form.is_valid():
        run = tertial_report_request(
            user=request.user,
            year=form.cleaned_data["year"],
            tertial=form.cleaned_data["tertial"],
            district=form.cleaned_data.get("district"),
        )
        url = reverse("followup:tertial_detail", args=[f"{run.year}-T{run.tertial}"])
        return redirect(url + ("" if manager else _query(run.district)))
    recent = TertialReportRun.objects.visible_to(request.user).select_related("district")
    return render(
        request,
        "followup/tertial.html",
        {
            "form": form,
            "district": request.user.district if manager else None,
            "recent": [
                (r, f"{r.year}-T{r.tertial}", "" if manager else _query(r.district))
                for r in recent.defer("pdf", "xlsx")[:10]
            ],
        },
    )


def _status(run: TertialReportRun | None) -> dict:
    last = len(REPORT_STEPS) - 1
    if run is None:
        return {"status": "none", "label": "", "step": 0, "steps": last, "finished": True}
    return {
        "status": run.status,
        "label": run.get_status_display(),
        "step": run.step,
        "steps": last,
        "step_label": str(REPORT_STEPS[min(run.step, last)]),
        "finished": run.status in FINISHED,
    }


@role_required(*ROLES)
def tertial_detail(request: HttpRequest, period: str) -> HttpResponse:
    run, where = _latest(request, period)
    return render(
        request,
        "followup/tertial_detail.html",
        {
            "run": run,
            **where,
            "state": _status(run),
            "finished": run is None or run.status in FINISHED,
            "query": "" if request.user.role == Role.UNIT_MANAGER else _query(where["district"]),
            "period": period,
        },
    )


@role_required(*ROLES)
def tertial_status(request: HttpRequest, period: str) -> JsonResponse:
    run, _where = _latest(request, period)
    return JsonResponse(_status(run))


@role_required(*ROLES)
def tertial_file(request: HttpRequest, period: str, kind: str) -> HttpResponse:
    run, where = _latest(request, period)
    if run is None or run.status != ReportStatus.DONE:
        # Not written (yet): the period's page says where the report is.
        url = reverse("followup:tertial_detail", args=[period])
        query = "" if request.user.role == Role.UNIT_MANAGER else _query(where["district"])
        return redirect(url + query)
    content = TertialReportRun.objects.values_list(kind, flat=True).get(pk=run.pk)
    response = HttpResponse(bytes(content), content_type=FILES[kind])
    response["Content-Disposition"] = f'attachment; filename="{run.stem}.{kind}"'
    return response
