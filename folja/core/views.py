from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

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
    Role.ADMINISTRATOR: "admin:index",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
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
