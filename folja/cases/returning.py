"""Back to the work list after acting on a task. The work list links to the page that acts on
a task with `?fran=arbetslista`; the page's form posts back to its own address, query and
all, so after the action the caseworker lands on the list again instead of the person page.
A fixed token, never a URL from the request: nothing here can redirect off the site."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect

FROM_WORKLIST = "arbetslista"


def came_from_worklist(request: HttpRequest) -> bool:
    return request.GET.get("fran") == FROM_WORKLIST


def back(request: HttpRequest, to: str, **kwargs) -> HttpResponseRedirect:
    """Redirect to the work list when the caseworker came from it, else to `to`."""
    if came_from_worklist(request):
        return redirect("cases:worklist")
    return redirect(to, **kwargs)
