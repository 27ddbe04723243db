"""Swedish unless the user chose otherwise."""

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
