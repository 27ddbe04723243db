"""The NinjaAPI instance: token auth, `{field, code, message}` errors, offline docs."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from folja.api.auth import TokenAuth
from folja.api.docs import LocalSwagger, docs_asset_urls
from folja.api.schemas import ImportRow

# Answers every operation can give besides its own: Ninja documents only what a view returns
# itself, not what the token check, the request parsing or the exception handlers below answer.
_COMMON_RESPONSES = {
    "401": "Missing or invalid bearer token (field `Authorization`, code `invalid_token`).",
    "422": "A parameter or the body does not match the schema; each error names its field.",
}
# Statuses another layer answers for a body it cannot read at all (see `http_error`).
_BODY_RESPONSES = {
    "400": "The body cannot be read (not JSON, not UTF-8); field `body`.",
}


class FoljaAPI(NinjaAPI):
    def _get_urls(self) -> list[Any]:
        # The docs page's JavaScript and CSS come from this server, never a CDN.
        return [*docs_asset_urls(), *super()._get_urls()]

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        doc = super().get_openapi_schema(**kwargs)
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        # The import body is given by hand (JSON rows or a CSV text) and refers to ImportRow,
        # which no view signature names, so Ninja would leave the reference dangling.
        schemas.setdefault(
            "ImportRow", ImportRow.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        errors = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
        for operations in doc.get("paths", {}).values():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                extra = dict(_COMMON_RESPONSES)
                if not operation.get("security"):
                    extra.pop("401")
                if method in ("post", "put", "patch"):
                    extra.update(_BODY_RESPONSES)
                for status, description in extra.items():
                    responses.setdefault(
                        status, {"description": description, "content": dict(errors)}
                    )
        return doc


api = FoljaAPI(
    title="Följa API för utförare",
    version="1",
    description=(
        "Per-provider API: orders, sessions (report, cancel, bulk import), expense claims. "
        "Authenticate with `Authorization: Bearer <token>`. Errors are `{field, code, message}`;"
        " anything of another provider is 404. Times sent are local wall-clock `YYYY-MM-DDTHH:MM`"
        " (Europe/Stockholm); times returned are RFC 3339 with their UTC offset"
        " (`2024-03-01T10:00:00+01:00`)."
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


class UnknownQueryParameter(Exception):
    def __init__(self, names: list[str]) -> None:
        super().__init__(", ".join(names))
        self.names = names


def refuse_unknown_query(view: Callable[..., Any]) -> Callable[..., Any]:
    """A query parameter the operation does not declare is refused, not ignored: a client's
    typo (`?statsu=accepted`) would otherwise get every order back as if it had asked for all.
    The operation's own parameters are the ones its signature names."""
    known = set(inspect.signature(view).parameters) - {"request"}

    @functools.wraps(view)
    def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        unknown = sorted(set(request.GET) - known)
        if unknown:
            raise UnknownQueryParameter(unknown)
        return view(request, *args, **kwargs)

    return checked


@api.exception_handler(UnknownQueryParameter)
def unknown_query_parameter(request: HttpRequest, exc: UnknownQueryParameter) -> HttpResponse:
    items = [
        {"field": name, "code": "unknown_parameter", "message": "unknown query parameter"}
        for name in exc.names
    ]
    return _errors(request, items, 422)


api.add_decorator(refuse_unknown_query)

from folja.api import claims, orders, sessions  # noqa: E402  (routers need `api` defined)

api.add_router("/orders", orders.router, tags=["orders"])
api.add_router("/sessions", sessions.router, tags=["sessions"])
api.add_router("/expense-claims", claims.router, tags=["expense claims"])
