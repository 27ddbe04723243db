"""Knowledge spread (issue 15, item 8; the 2020 plan): the share of persons with the service
who have opened their statement or the guide, in any format, per district and year. Opens
are the access log's rows that `folja.accessible.opens.record_open` writes when the person or
their representative reads the statement (which explains the handbook rulings that concern
them) or the guide, as a page or any download. Counts are suppressed by the open-data rule."""

from __future__ import annotations

from django.db.models import Count, Q

from folja.accessible.opens import OPENED, PORTAL_ROLES
from folja.audit.models import AccessLog
from folja.followup.dashboards import overview
from folja.followup.opendata import SUPPRESSED, suppress
from folja.followup.selectors import Slice, district_names
from folja.rules.stats import percent_of

CITY_ROW = "__city__"


def _opened() -> Q:
    condition = Q()
    for prefix in OPENED:
        condition |= Q(what__startswith=prefix)
    return condition


def knowledge_spread(*, year: int) -> list[dict]:
    districts = overview(Slice.year(year))["districts"]
    opened = dict(
        AccessLog.objects.filter(_opened(), at__year=year, role__in=PORTAL_ROLES)
        .values("person_district_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("person_district_id", "n")
    )
    names = district_names(opened)
    by_name = {names[k]: v for k, v in opened.items() if k in names}
    table: dict[str, dict[str, int]] = {}
    for row in districts:
        persons = row["persons"] or 0
        n = min(by_name.get(row["label"], 0), persons)
        table[row["label"]] = {"opened": n, "not_opened": persons - n, "persons": persons}
    table[CITY_ROW] = {
        c: sum(r[c] for r in table.values()) for c in ("opened", "not_opened", "persons")
    }
    hidden = suppress(table, [(("opened", "not_opened"), "persons")], CITY_ROW)
    out = []
    for label, cells in table.items():
        show = (label, "opened") not in hidden and (label, "persons") not in hidden
        out.append(
            {
                "label": label,
                "is_city": label == CITY_ROW,
                "persons": SUPPRESSED if (label, "persons") in hidden else cells["persons"],
                "opened": SUPPRESSED if (label, "opened") in hidden else cells["opened"],
                "percent": percent_of(cells["opened"], cells["persons"]) if show else None,
            }
        )
    return out
