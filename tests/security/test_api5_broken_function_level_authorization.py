"""OWASP API5:2023, broken function level authorization: every route declares who may
call it, and nobody else can, whatever the token they hold."""

from __future__ import annotations

from fastapi import FastAPI

from api.policies import PUBLIC, USER, requires, undeclared_routes
from infra.settings import Settings
from tests.security.routes import all_routes
from tests.support.identity import bearer, create_api_key, grant_role, signed_in
from tests.support.system import RunningSystem


def test_every_route_of_the_app_declares_one_policy(settings: Settings) -> None:
    routes = all_routes(settings)  # fails on a route without one
    assert len(routes) > 25
    assert {route.policy.name for route in routes if route.path.startswith("/v1/me")} == {"user"}


def test_a_route_without_a_policy_or_with_two_is_found() -> None:
    app = FastAPI()

    @app.get("/forgotten")
    async def forgotten() -> None: ...

    @app.get("/declared", dependencies=[requires(USER)])
    async def declared() -> None: ...

    @app.get("/twice", dependencies=[requires(USER), requires(PUBLIC)])
    async def twice() -> None: ...

    assert undeclared_routes(app) == ["GET /forgotten", "GET /twice"]


async def test_every_protected_route_refuses_a_caller_without_a_valid_token(
    system: RunningSystem,
) -> None:
    protected = [route for route in all_routes(system.settings) if route.policy.role is not None]
    async with system.client() as client:
        for route in protected:
            for headers in ({}, bearer("not-a-token"), bearer("rk_live_000000000000_nope")):
                response = await route.call(client, headers)
                assert response.status_code == 401, (route, headers, response.text)
                assert response.json()["code"] == "not_authenticated"
                assert response.headers["www-authenticate"] == "Bearer"


async def test_routes_for_sessions_refuse_api_keys_whatever_their_scopes(
    system: RunningSystem,
) -> None:
    session_only = [
        route
        for route in all_routes(system.settings)
        if route.policy.role is not None and not route.policy.scopes
    ]
    assert session_only
    async with system.client() as client:
        account = await signed_in(client)
        key = await create_api_key(client, account, "cvs:read", "cvs:write", "coach")
        for route in session_only:
            response = await route.call(client, bearer(key))
            assert response.status_code == 403, (route, response.text)
            assert response.json()["code"] == "api_key_not_allowed"


async def test_a_key_is_refused_on_routes_of_scopes_it_lacks(system: RunningSystem) -> None:
    scoped = [route for route in all_routes(system.settings) if route.policy.scopes]
    async with system.client() as client:
        account = await signed_in(client)
        for scopes in {route.policy.scopes for route in scoped}:
            others = {"cvs:read", "cvs:write", "coach"} - set(scopes)
            if not others:
                continue
            key = await create_api_key(client, account, *others)
            for route in (r for r in scoped if r.policy.scopes == scopes):
                response = await route.call(client, bearer(key))
                assert response.status_code == 403, (route, response.text)
                assert response.json()["code"] == "insufficient_scope"


async def test_the_console_refuses_whoever_lacks_its_role(system: RunningSystem) -> None:
    """The operators' and admins' routes, the console's pages among them, refuse an
    ordinary user; the admins' refuse an operator too."""
    for_roles = [r for r in all_routes(system.settings) if r.policy.role in ("operator", "admin")]
    assert {"/app/ops", "/app/ops/redrive", "/app/admin", "/app/admin/role"} <= {
        r.path for r in for_roles
    }
    async with system.client() as client:
        user = await signed_in(client)
        operator = await signed_in(client)
        await grant_role(system, operator, "operator")
        for route in for_roles:
            callers = [user] if route.policy.role == "operator" else [user, operator]
            for caller in callers:
                response = await route.call(client, caller.headers)
                assert response.status_code == 403, (route, response.text)
                assert response.json()["code"] == "forbidden"
