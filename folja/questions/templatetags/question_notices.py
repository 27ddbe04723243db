"""`{% question_notices %}`: the answers to tillämpningsfrågor a district or provider has not
acknowledged, shown in the work list and the provider inbox. A tag, so those pages (owned by
other apps) need one line each and their views need not know about questions."""

from __future__ import annotations

from django import template

from folja.questions.selectors import open_notices

register = template.Library()

SHOWN = 10


@register.inclusion_tag("questions/_notices.html", takes_context=True)
def question_notices(context) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"notices": [], "more": 0}
    notices = list(open_notices(user=user)[: SHOWN + 1])
    return {"notices": notices[:SHOWN], "more": len(notices) > SHOWN}
