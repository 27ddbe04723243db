"""Role checks for views. Objects outside a user's scope are answered with 404 (not 403) by
fetching them through `visible_to(user)`; these decorators only keep whole areas to their roles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


def role_required(*roles: str) -> Callable:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if request.user.role not in roles:
                # 404 rather than 403: do not confirm that the page exists for other roles.
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
