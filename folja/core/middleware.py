"""Swedish unless the user chose otherwise, and nothing personal kept in a cache."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class SwedishByDefaultMiddleware:
    """The interface is Swedish; English is a translation a user picks with the language
    button (a cookie). The browser's Accept-Language is ignored, so a caseworker or a person
    whose browser happens to be set to English still gets the Swedish municipal service, with
    its Swedish terms, unless they ask for English. Runs before LocaleMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


# The URL namespace of the provider API (folja.api.main, `urls_namespace`).
API_NAMESPACE = "api"


def _directives(response: HttpResponse) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


class NoStoreMiddleware:
    """Nothing a signed-in user sees and nothing the API answers is kept by the browser, a
    proxy or the back button's cache: those pages, files and answers carry personal data, and
    a shared or lost computer must not hand them on. Every such response gets
    `Cache-Control: no-store` (and `Pragma: no-cache` for old HTTP/1.0 caches).

    Anonymous pages (login, public information) keep their caching, and so does a response its
    view declares `public` (the API documentation's script and style sheet, the same for
    everyone). Static files never get here: WhiteNoise answers them further out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        directives = _directives(response)
        if "no-store" in directives:
            response.setdefault("Pragma", "no-cache")
            return response
        if "public" in directives or not self._carries_personal_data(request):
            return response
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response

    @staticmethod
    def _carries_personal_data(request: HttpRequest) -> bool:
        match = getattr(request, "resolver_match", None)
        if match is not None and API_NAMESPACE in match.namespaces:
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
