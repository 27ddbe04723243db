"""Access-log review: the unit manager's "who viewed this person" and anomaly list, and the data
protection officer's CSV export (administrator)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from folja.accounts.models import Role
from folja.audit import selectors, services
from folja.audit.forms import PeriodForm, PersonLookupForm
from folja.audit.services import log_access, log_access_many
from folja.core.csv_writer import csv_response
from folja.core.params import ascii_int
from folja.core.permissions import role_required
from folja.people.models import Person

LIST_LIMIT = 500
EXPORT_COLUMNS = [
    "at",
    "username",
    "role",
    "person_pseudonym",
    "person_district_id",
    "protected",
    "in_caseload",
    "what",
    "path",
]


@role_required(Role.UNIT_MANAGER)
def person_views(request: HttpRequest) -> HttpResponse:
    """Who looked at a person: found by pseudonym or id (a culled person keeps the pseudonym),
    or by personnummer or name among the persons the reviewer may see."""
    form = PersonLookupForm(request.GET or None)
    context: dict = {"form": form}
    if form.is_valid():
        key = form.cleaned_data["q"].strip()
        visible = Person.objects.visible_to(request.user)
        person = visible.filter(pseudonym=key).first() or (
            visible.filter(pk=ascii_int(key)).first() if ascii_int(key) is not None else None
        )
        entries = selectors.views_of_person(user=request.user, key=key)
        if person is None and not entries.exists():
            matches = selectors.persons_matching(user=request.user, query=key)
            if len(matches.persons) == 1:
                person = matches.persons[0]
                entries = selectors.views_of_person(user=request.user, key=person.pseudonym)
            else:
                entries = None
                context["candidates"] = matches.persons[: selectors.MATCHES_SHOWN]
                context["too_many"] = len(matches.persons) > selectors.MATCHES_SHOWN
                context["no_match"] = matches.reason
                log_access_many(
                    user=request.user,
                    persons=context["candidates"],
                    what="åtkomstlogg_sök",
                    path=request.path,
                )
        if entries is not None:
            context["entries"] = entries[:LIST_LIMIT]
            context["total"] = entries.count()
        if person is not None:
            # Reviewing who looked at a person is itself a look at that person.
            log_access(user=request.user, person=person, what="åtkomstlogg", path=request.path)
        context["person"] = person
    return render(request, "audit/person_views.html", context)


@role_required(Role.UNIT_MANAGER)
def anomaly_list(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or {})
    context: dict = {"form": form}
    if form.is_valid():
        found = selectors.anomalies(
            user=request.user, since=form.cleaned_data["since"], until=form.cleaned_data["until"]
        )
        context.update(
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            outside=found.outside_caseload[:LIST_LIMIT],
            outside_total=found.outside_caseload.count(),
            protected=found.protected[:LIST_LIMIT],
            protected_total=found.protected.count(),
            volume=found.volume,
        )
    return render(request, "audit/anomalies.html", context)


@role_required(Role.ADMINISTRATOR)
def export(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or {})
    if not request.GET.get("format") or not form.is_valid():
        return render(request, "audit/export.html", {"form": form})
    since, until = form.cleaned_data["since"], form.cleaned_data["until"]
    rows = selectors.export_rows(user=request.user, since=since, until=until)
    services.access_log_exported(user=request.user, since=since, until=until, rows=rows.count())
    # Streamed, in Följa's one CSV convention (folja.core.csv_writer, docs/exports.md).
    values = rows.values_list(*EXPORT_COLUMNS).iterator(chunk_size=2000)
    response = csv_response(f"atkomstlogg-{since}-{until}.csv", EXPORT_COLUMNS, values, stream=True)
    return response
