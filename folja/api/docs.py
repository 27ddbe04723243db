"""Interactive docs without the network: ninja's bundled Swagger UI files, served from the
installed package by a small view (ninja is not an installed app, so its static files are not
collected), in a page with no inline script (strict CSP)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.template import Context, Template
from django.urls import path, reverse
from ninja.openapi.docs import DocsBase

ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.png": "image/png",
}
ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
PAGE = Path(__file__).parent / "templates" / "docs.html"


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def docs_asset_urls() -> list[Any]:
    return [path("docs/assets/<str:name>", docs_asset, name="docs-asset")]


class LocalSwagger(DocsBase):
    settings = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = dict(self.settings, url=self.get_openapi_url(api, kwargs))
        ns = api.urls_namespace
        html = Template(PAGE.read_text(encoding="utf-8")).render(
            Context(
                {
                    "title": api.title,
                    "settings": json.dumps(settings),
                    "css": reverse(f"{ns}:docs-asset", args=["swagger-ui.css"]),
                    "bundle": reverse(f"{ns}:docs-asset", args=["swagger-ui-bundle.js"]),
                    "init": reverse(f"{ns}:docs-asset", args=["swagger-ui-init.js"]),
                    "icon": reverse(f"{ns}:docs-asset", args=["favicon.png"]),
                    "openapi": settings["url"],
                }
            )
        )
        return HttpResponse(html)
