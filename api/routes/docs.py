from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import HTMLResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from api.asyncapi_page import ASYNCAPI_STYLE, render_asyncapi
from api.middleware import content_security_policy, csp_hash
from api.policies import PUBLIC, requires

SWAGGER_ASSETS = "/_assets/swagger-ui"
SWAGGER_INIT = "/docs/swagger-init.js"

router = APIRouter(include_in_schema=False)


@router.get("/asyncapi.json", dependencies=[requires(PUBLIC)])
async def asyncapi_json() -> dict[str, Any]:
    """The bus's AsyncAPI document (topics, message schemas, consumer groups)."""
    from consumers.asyncapi import specification_json

    return specification_json()


@router.get("/asyncapi", dependencies=[requires(PUBLIC)])
async def asyncapi_html() -> HTMLResponse:
    from consumers.asyncapi import specification_json

    policy = content_security_policy(style_src=f"'self' {csp_hash(ASYNCAPI_STYLE)}")
    return HTMLResponse(
        render_asyncapi(specification_json()), headers={"Content-Security-Policy": policy}
    )


# Swagger UI's assets come from the installed swagger-ui-bundle package, not a CDN, and
# its start-up script from here, so the page runs no inline script.
_SWAGGER_PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Recoloca API</title>
<link rel="stylesheet" href="{SWAGGER_ASSETS}/swagger-ui.css">
<link rel="icon" href="{SWAGGER_ASSETS}/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{SWAGGER_ASSETS}/swagger-ui-bundle.js"></script>
<script src="{SWAGGER_INIT}"></script>
</body>
</html>
"""

_SWAGGER_INIT_JS = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
"""

# Swagger UI writes inline styles as it renders (and its icons are data: images):
# allowed on this page only, which shows nothing but our own OpenAPI document.
_SWAGGER_CSP = content_security_policy(style_src="'self' 'unsafe-inline'")


@router.get("/docs", dependencies=[requires(PUBLIC)])
async def swagger_ui() -> HTMLResponse:
    return HTMLResponse(_SWAGGER_PAGE, headers={"Content-Security-Policy": _SWAGGER_CSP})


@router.get(SWAGGER_INIT, dependencies=[requires(PUBLIC)])
async def swagger_init() -> Response:
    return Response(_SWAGGER_INIT_JS, media_type="text/javascript")


@router.get("/metrics", dependencies=[requires(PUBLIC)])
async def metrics() -> Response:
    """Prometheus metrics of this process (all components, under ``recoloca dev``)."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
