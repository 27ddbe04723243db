from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from folja.accounts.models import Role

# Where each role starts. A missing area (not yet installed) falls back to the plain home page.
START_PAGES = {
    Role.PERSON: "portal:home",
    Role.REPRESENTATIVE: "portal:home",
    Role.CASEWORKER: "cases:caseload",
    Role.UNIT_MANAGER: "cases:manager_dashboard",
    Role.PROVIDER_STAFF: "providers:inbox",
    Role.PROVIDER_ADMIN: "providers:inbox",
    Role.ANALYST: "followup:dashboard",
}

# What an administrator may use outside Django's admin, each with the roles' own check
# (`role_required` in its view); the page links to each one that is installed.
ADMINISTRATOR_AREAS = [
    (
        "payments:runs",
        _("Utbetalningar"),
        _("Bygg månadens utbetalning per utförare, granska undantagen och stäng månaden."),
    ),
    (
        "audit:export",
        _("Export av åtkomstlogg"),
        _("Hämta åtkomstloggen för en period som fil, till exempel för en granskning."),
    ),
    (
        "followup:dashboard",
        _("Uppföljning"),
        _("Utförandegrad, avslag och likvärdighet för hela staden."),
    ),
]


def _administrator_home(request: HttpRequest) -> HttpResponse:
    """The administrator's own start page. It used to redirect to Django's admin, which sends
    a user without staff rights back to the login page and from there to "/" again."""
    areas = []
    for name, title, text in ADMINISTRATOR_AREAS:
        try:
            areas.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    # Reference data (districts, legal bases, guideline versions, rates) and users are kept
    # in Django's admin, which decides itself which models this user may see and change.
    reference = admin.site.get_app_list(request) if admin.site.has_permission(request) else []
    return render(
        request,
        "folja/administrator_home.html",
        {"areas": areas, "reference_apps": reference, "admin_url": reverse("admin:index")},
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.user.role == Role.ADMINISTRATOR:
        return _administrator_home(request)
    name = START_PAGES.get(request.user.role)
    if name:
        try:
            return redirect(reverse(name))
        except NoReverseMatch:
            pass
    return render(request, "folja/home.html")


def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
