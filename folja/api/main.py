"""The NinjaAPI instance: token auth, `{field, code, message}` errors, offline docs."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from folja.api.auth import TokenAuth
from folja.api.docs import LocalSwagger, docs_asset_urls


class FoljaAPI(NinjaAPI):
    def _get_urls(self) -> list[Any]:
        # The docs page's JavaScript and CSS come from this server, never a CDN.
        return [*docs_asset_urls(), *super()._get_urls()]


api = FoljaAPI(
    title="Följa API för utförare",
    version="1",
    description=(
        "Per-provider API: orders, sessions (report, cancel, bulk import), expense claims. "
        "Authenticate with `Authorization: Bearer <token>`. Errors are `{field, code, message}`;"
        " anything of another provider is 404. Times are local wall-clock `YYYY-MM-DDTHH:MM`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _errors(request: HttpRequest, items: list[dict[str, Any]], status: int) -> HttpResponse:
    return api.create_response(request, {"errors": items}, status=status)


def _field_of(loc: list[Any]) -> str:
    # ninja's loc is ("body", "payload", "start") etc.; the client knows its fields by name.
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload")]
    return ".".join(parts) or (str(loc[-1]) if loc else "")


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    items = [
        {
            "field": _field_of(list(e.get("loc", []))),
            "code": str(e.get("type", "invalid")),
            "message": str(e.get("msg", "invalid")),
        }
        for e in exc.errors
    ]
    return _errors(request, items, 422)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _errors(
        request,
        [
            {
                "field": "Authorization",
                "code": "invalid_token",
                "message": "missing or invalid token",
            }
        ],
        401,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _errors(request, [{"field": None, "code": "not_found", "message": "not found"}], 404)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises HttpError for a request it cannot read at all (a body that is not JSON, a
    # wrong content type): the field at fault is then the body itself.
    field = "body" if exc.status_code in (400, 415, 422) else "request"
    return _errors(
        request, [{"field": field, "code": "http_error", "message": str(exc)}], exc.status_code
    )


from folja.api import claims, orders, sessions  # noqa: E402  (routers need `api` defined)

api.add_router("/orders", orders.router, tags=["orders"])
api.add_router("/sessions", sessions.router, tags=["sessions"])
api.add_router("/expense-claims", claims.router, tags=["expense claims"])
