from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.asyncapi_page import render_asyncapi
from api.policies import PUBLIC, requires

SWAGGER_ASSETS = "/_assets/swagger-ui"

router = APIRouter(include_in_schema=False)


@router.get("/asyncapi.json", dependencies=[requires(PUBLIC)])
async def asyncapi_json() -> dict[str, Any]:
    """The bus's AsyncAPI document (topics, message schemas, consumer groups)."""
    from consumers.asyncapi import specification_json

    return specification_json()


@router.get("/asyncapi", dependencies=[requires(PUBLIC)])
async def asyncapi_html() -> HTMLResponse:
    from consumers.asyncapi import specification_json

    return HTMLResponse(render_asyncapi(specification_json()))


@router.get("/docs", dependencies=[requires(PUBLIC)])
async def swagger_ui() -> HTMLResponse:
    # Swagger UI's assets come from the installed swagger-ui-bundle package, not a CDN.
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Recoloca API",
        swagger_js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER_ASSETS}/favicon-32x32.png",
    )


@router.get("/metrics", dependencies=[requires(PUBLIC)])
async def metrics() -> Response:
    """Prometheus metrics of this process (all components, under ``recoloca dev``)."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
