"""Opens of the accessible information, for the knowledge spread (issue 15, item 8; the 2020
plan asks for the share of persons who opened their statement or guide in any format).

One place records them and one place says what counts: every open is an access-log row whose
`what` starts with one of `OPENED`, written when a person or their representative reads the
statement (which also explains the handbook rulings that concern them) or the guide, as a
page or a download in any format. The guide holds nothing personal and stays open to
everyone; only a logged-in person's (or representative's) open names the person it is for."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from folja.accounts.models import Role
from folja.audit.services import log_access
from folja.portal.selectors import active_person

STATEMENT = "accessible_statement"
GUIDE = "accessible_guide"
OPENED = (STATEMENT, GUIDE)
PORTAL_ROLES = (Role.PERSON, Role.REPRESENTATIVE)


def opened_what(document: str, fmt: str | None = None) -> str:
    """The access log's `what` for an open of `document` (STATEMENT or GUIDE), as a page
    (`fmt` None) or a download."""
    return f"{document}_{fmt}" if fmt else document


def record_open(*, request: HttpRequest, document: str, person=None, fmt: str | None = None):
    """Log that the person (or the representative for their chosen principal) opened
    `document`. `person` None: the guide, opened by whoever is logged in — staff and visitors
    without a login are not persons with the service, and are not logged."""
    user = request.user
    if person is None:
        if not getattr(user, "is_authenticated", False) or user.role not in PORTAL_ROLES:
            return None
        try:
            person = active_person(request)
        except Http404:
            # A representative without a principal reads the guide like anyone else.
            return None
    return log_access(user=user, person=person, what=opened_what(document, fmt), path=request.path)
