"""The invitation to an open survey, shown on Mina sidor, in the provider's inbox and on the
caseworker's work list: one tag so the three pages cannot word it differently."""

from __future__ import annotations

from django import template
from django.http import Http404

from folja.accounts.models import Role
from folja.surveys.selectors import open_surveys

register = template.Library()


@register.inclusion_tag("surveys/_invitations.html", takes_context=True)
def survey_invitations(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"surveys": []}
    person = None
    if user.role in (Role.PERSON, Role.REPRESENTATIVE):
        from folja.portal.selectors import active_person

        try:
            person = active_person(request)
        except Http404:
            return {"surveys": []}
    return {"surveys": list(open_surveys(user=user, person=person))}
