from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

router = APIRouter(include_in_schema=False)


@router.get("/asyncapi.json")
async def asyncapi_json() -> dict[str, Any]:
    """The bus's AsyncAPI document (topics, message schemas, consumer groups)."""
    from consumers.asyncapi import specification_json

    return specification_json()


@router.get("/asyncapi")
async def asyncapi_html() -> HTMLResponse:
    from faststream.specification.asyncapi.site import get_asyncapi_html

    from consumers.asyncapi import specification

    return HTMLResponse(get_asyncapi_html(specification(), try_it_out_path=None))


@router.get("/metrics")
async def metrics() -> Response:
    """Prometheus metrics of this process (all components, under ``recoloca dev``)."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
