"""The person registry in the caseworker's area: register and edit a person, their legal
representatives, the staff named for a protected person, and the population-register (Navet)
upload. Thin views: every person through `visible_to` (404 outside the district), reads
logged, writes in the services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from folja.accounts.models import Role
from folja.audit.services import log_access
from folja.cases.selectors import can_see_contact
from folja.core.permissions import role_required
from folja.people import services
from folja.people.forms import NamedStaffForm, NavetUploadForm, PersonForm, RepresentativeForm
from folja.people.models import Person, Representative
from folja.people.navet import MAX_BYTES, NavetRejected
from folja.people.selectors import district_staff
from folja.people.services_navet import navet_import

casework = role_required(Role.CASEWORKER, Role.UNIT_MANAGER)


def _person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).filter(culled_at__isnull=True), pk=pk
    )


@casework
@require_http_methods(["GET", "POST"])
def person_register(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_register(
                user=request.user, district=request.user.district, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Personen är registrerad."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form, "person": None})


@casework
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    log_access(user=request.user, person=person, what="person_register", path=request.path)
    show_contact = can_see_contact(user=request.user, person=person)
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    initial["personnummer"] = person.personnummer
    form = PersonForm(request.POST or None, initial=initial, show_contact=show_contact)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Personens uppgifter är sparade."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "show_contact": show_contact},
    )


@casework
@require_http_methods(["GET", "POST"])
def representative_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    log_access(user=request.user, person=person, what="representative", path=request.path)
    form = RepresentativeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_add(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Företrädaren är registrerad."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request, "people/representative_form.html", {"form": form, "person": person, "rep": None}
    )


@casework
@require_http_methods(["GET", "POST"])
def representative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rep = get_object_or_404(
        Representative.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    person = rep.person
    log_access(user=request.user, person=person, what="representative", path=request.path)
    initial = {name: getattr(rep, name) for name in services.REPRESENTATIVE_FIELDS}
    form = RepresentativeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.representative_update(
                user=request.user, representative=rep, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Företrädarens uppgifter är sparade."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(
        request, "people/representative_form.html", {"form": form, "person": person, "rep": rep}
    )


@role_required(Role.UNIT_MANAGER)
@require_http_methods(["GET", "POST"])
def named_staff(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    log_access(user=request.user, person=person, what="named_staff", path=request.path)
    staff = district_staff(district_id=person.district_id)
    form = NamedStaffForm(
        request.POST or None,
        staff_queryset=staff,
        initial={"staff": list(person.named_staff.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.named_staff_set(
                user=request.user, person=person, staff=list(form.cleaned_data["staff"])
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Behörigheten är sparad."))
            return redirect("cases:person_detail", pk=person.pk)
    return render(request, "people/named_staff.html", {"form": form, "person": person})


@casework
@require_http_methods(["GET", "POST"])
def navet_upload(request: HttpRequest) -> HttpResponse:
    form = NavetUploadForm(request.POST or None, request.FILES or None)
    context: dict = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        text = None
        if upload.size > MAX_BYTES:
            form.add_error("file", _("Filen är större än 20 MB."))
        else:
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("file", _("Filen måste vara i UTF-8."))
        if text is not None:
            try:
                # The district's own persons only: the rest of the file is not theirs.
                result = navet_import(
                    text=text, user=request.user, persons=Person.objects.visible_to(request.user)
                )
            except NavetRejected as exc:
                context["row_errors"] = exc.errors
                form.add_error("file", _("Filen har fel. Inget har ändrats."))
            else:
                messages.success(
                    request,
                    _(
                        "Filen är inläst: %(updated)s personer uppdaterade, %(tasks)s "
                        "uppgifter i arbetslistan."
                    )
                    % {"updated": result.updated, "tasks": len(set(result.tasks))},
                )
                context["result"] = result
    return render(request, "people/navet_upload.html", context)
