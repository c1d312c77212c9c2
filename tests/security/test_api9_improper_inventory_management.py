"""OWASP API9:2023, improper inventory management: the published OpenAPI document is
the whole API. No route is served that it does not describe (besides the documentation
and monitoring pages), and it says which operations need a token."""

from __future__ import annotations

from api.app import create_app
from infra.settings import Settings
from tests.security.routes import all_routes
from tests.support.system import RunningSystem

# Served but not API operations: documentation and monitoring.
_UNDOCUMENTED = {"/asyncapi", "/asyncapi.json", "/docs", "/docs/swagger-init.js", "/metrics"}


async def test_the_openapi_document_lists_every_route_and_only_those(
    system: RunningSystem,
) -> None:
    async with system.client() as client:
        document = (await client.get("/openapi.json")).json()
    documented = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
    }
    routes = all_routes(system.settings)
    served = {(route.method, route.path) for route in routes}
    hidden = {(method, path) for method, path in served if path in _UNDOCUMENTED}
    pages = {(r.method, r.path) for r in routes if not r.documented} - hidden
    # Only the web application's pages stay out of the document: no API route hides there.
    assert not any(path.startswith(("/v1/", "/webhooks/")) for _, path in pages), pages
    assert documented == served - hidden - pages
    # Stripe's webhook endpoint is registered in Stripe's dashboard and speaks Stripe's
    # event format: it is not a version of our API.
    unversioned = {"/healthz", "/readyz", "/webhooks/stripe"}
    assert all(path.startswith("/v1/") or path in unversioned for _, path in documented)


def test_operations_needing_a_token_say_so_and_document_their_401(settings: Settings) -> None:
    document = create_app(settings).openapi()
    policies = {(route.method, route.path): route.policy for route in all_routes(settings)}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            policy = policies[(method.upper(), path)]
            secured = bool(operation.get("security"))
            assert secured == (policy.role is not None), (method, path)
            if secured:
                assert "401" in operation["responses"], (method, path)
