"""Follow-up pages. Aggregates only: no view here reads a person, so none logs an access; the
test suite scans every response for the seeded persons' names, personnummer and addresses."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from folja.accounts.models import Role
from folja.core.cachekeys import text_cache_key
from folja.core.csv_writer import CONTENT_TYPE
from folja.core.params import ascii_int, id_or_404
from folja.core.permissions import role_required
from folja.followup.dashboards import default_year, overview
from folja.followup.equality_export import year_comparisons
from folja.followup.handbook import handbook_followup
from folja.followup.opendata import open_data_csv
from folja.followup.selectors import Slice
from folja.people.models import District

ANALYSTS = (Role.ANALYST, Role.ADMINISTRATOR)
CHART_ROLES = (Role.ANALYST, Role.ADMINISTRATOR, Role.UNIT_MANAGER)
MIN_YEAR, MAX_YEAR = 2000, 2100


def _year(request: HttpRequest) -> int:
    year = ascii_int(request.GET.get("year"), minimum=MIN_YEAR, maximum=MAX_YEAR)
    return year if year is not None else default_year()


def _tertial(request: HttpRequest) -> int | None:
    """?tertial=1..3 narrows the page to that tertial of the year (the tertial report's
    figures); none is the whole year."""
    return ascii_int(request.GET.get("tertial"), minimum=1, maximum=3)


def _slice(year: int, tertial: int | None, district: District | None) -> Slice:
    district_id = district.pk if district else None
    if tertial is None:
        return Slice.year(year, district_id=district_id)
    return Slice.tertial(year, tertial, district_id=district_id)


def _district_for(request: HttpRequest) -> District | None:
    """A unit manager sees their own district only; an analyst may pick any (?district=id)."""
    if request.user.role == Role.UNIT_MANAGER:
        return request.user.district
    raw = request.GET.get("district", "")
    if not raw:
        return None
    district = District.objects.filter(pk=id_or_404(raw)).first()
    if district is None:
        raise Http404
    return district


def _overview(year: int, district: District | None, tertial: int | None = None) -> dict:
    # Cached briefly: a page and its three chart images ask for the same figures at once.
    # The figures come with their labels (sexes, months, "Totalt"): one entry per language.
    key = text_cache_key(
        "followup:overview", year, tertial or 0, district.pk if district else "city"
    )
    data = cache.get(key)
    if data is None:
        data = overview(_slice(year, tertial, district))
        cache.set(key, data, 60)
    return data


def _years() -> list[int]:
    this = date.today().year
    return list(range(this, this - 16, -1))


@role_required(*ANALYSTS)
def dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    tertial = _tertial(request)
    context = {
        "year": year,
        "years": _years(),
        "tertial": tertial,
        "data": _overview(year, None, tertial),
        "handbook": handbook_followup(_slice(year, tertial, None)),
        # The questions themselves are the analyst's (an administrator may not read them).
        "handbook_links": request.user.role == Role.ANALYST,
        "district": None,
        "districts": District.objects.filter(active=True).order_by("name"),
        "chart_query": f"year={year}",
    }
    return render(request, "followup/dashboard.html", context)


@role_required(Role.UNIT_MANAGER, *ANALYSTS)
def district_dashboard(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    district = _district_for(request)
    if district is None:
        district = District.objects.order_by("name").first()
        if district is None:
            raise Http404
    tertial = _tertial(request)
    context = {
        "year": year,
        "years": _years(),
        "tertial": tertial,
        "data": _overview(year, district, tertial),
        "handbook": handbook_followup(_slice(year, tertial, district)),
        "district": district,
        "districts": District.objects.filter(active=True).order_by("name")
        if request.user.role != Role.UNIT_MANAGER
        else [],
        "chart_query": f"year={year}&district={district.pk}",
    }
    return render(request, "followup/dashboard.html", context)


@role_required(*ANALYSTS)
def equality(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    hours, rejections = year_comparisons(year)
    context = {"year": year, "years": _years(), "hours": hours, "rejections": rejections}
    return render(request, "followup/equality.html", context)


@role_required(*ANALYSTS)
def open_data(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    response = HttpResponse(open_data_csv(years=[year]).encode("utf-8"), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="folja-oppna-data-{year}.csv"'
    return response
