"""Who may call what: every route declares exactly one policy with ``requires``.

A policy names the least role that may call the route, and the API-key scopes that may
call it instead (any one of them; none: keys are refused). ``undeclared_routes`` finds a route that
declares nothing, and the app refuses to start with one, so a new route cannot be
forgotten open.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import OAuth2PasswordBearer

from api.deps import Resources, ResourcesDep
from api.services import api_keys
from api.services.audit import RequestMeta
from api.services.errors import (
    ApiKeyNotAllowedError,
    ForbiddenError,
    InsufficientScopeError,
    NotAuthenticatedError,
)
from api.web import sessions as web_sessions
from infra.ratelimit import Bucket
from infra.security import AccessClaims, InvalidTokenError, decode_access_token


class Role(StrEnum):
    USER = "user"
    OPERATOR = "operator"
    ADMIN = "admin"


# Each role may do what the roles before it may.
_RANK = {Role.USER: 0, Role.OPERATOR: 1, Role.ADMIN: 2}


@dataclass(frozen=True, slots=True)
class Policy:
    name: str
    # None: anyone, signed in or not.
    role: Role | None = None
    # An API key holding any one of these scopes may call the route too.
    scopes: tuple[str, ...] = ()


PUBLIC = Policy("public")
USER = Policy("user", Role.USER)
OPERATOR = Policy("operator", Role.OPERATOR)
ADMIN = Policy("admin", Role.ADMIN)
CVS_READ = Policy("user or key with cvs:read", Role.USER, (api_keys.CVS_READ,))
CVS_WRITE = Policy("user or key with cvs:write", Role.USER, (api_keys.CVS_WRITE,))
COACH = Policy("user or key with coach", Role.USER, (api_keys.COACH,))
# The event stream: a key sees the events of its scopes only (see ``visible_events``).
EVENTS = Policy(
    "user or key with cvs:read or coach", Role.USER, (api_keys.CVS_READ, api_keys.COACH)
)

# The event types each API-key scope may receive on GET /v1/events, by prefix.
SCOPE_EVENTS: dict[str, tuple[str, ...]] = {
    api_keys.CVS_READ: ("cv.", "report."),
    api_keys.COACH: ("coach.",),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: a signed-in session, or an API key acting for its owner."""

    user_id: uuid.UUID
    role: Role
    # The session's refresh-token family; None for API keys and tokens issued in tests.
    family_id: uuid.UUID | None = None
    # When the access token stops being valid; None for API keys (they live until revoked).
    expires_at: datetime | None = None
    api_key_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)


def authorize(policy: Policy, principal: Principal) -> None:
    """Raise unless ``principal`` may call a route under ``policy``."""
    if policy.role is None:
        return
    if principal.api_key_id is not None:
        if not policy.scopes:
            raise ApiKeyNotAllowedError()
        if not principal.scopes.intersection(policy.scopes):
            needed = " or ".join(repr(scope) for scope in policy.scopes)
            raise InsufficientScopeError(f"This API key needs the scope {needed}.")
        return
    if _RANK[principal.role] < _RANK[policy.role]:
        raise ForbiddenError()


def visible_events(principal: Principal) -> Callable[[str], bool] | None:
    """Which event types ``principal`` may receive: all (None) for a signed-in user; for
    an API key, those of its scopes."""
    if principal.api_key_id is None:
        return None
    prefixes = tuple(p for scope in principal.scopes for p in SCOPE_EVENTS.get(scope, ()))

    def visible(event_type: str) -> bool:
        return event_type.startswith(prefixes)

    return visible


bearer_token = OAuth2PasswordBearer(tokenUrl="/v1/auth/token", auto_error=False)


async def get_principal(
    request: Request,
    resources: ResourcesDep,
    token: Annotated[str | None, Depends(bearer_token)],
) -> Principal:
    """The verified caller. A session's user must exist, be enabled and the session be
    live; an API key must exist and not be revoked.

    Without a bearer token, a browser's session cookie stands for one; a state-changing
    request made with the cookie must also carry its CSRF token and come from this site,
    since the browser attaches the cookie to whatever page sent it."""
    if not token:
        token = await _cookie_token(request, resources)
    if not token:
        raise NotAuthenticatedError()
    if api_keys.looks_like_key(token):
        key = await resources.api_keys.authenticate(token)
        if key is None:
            raise NotAuthenticatedError("The API key is invalid or was revoked.")
        return Principal(
            user_id=key.user_id, role=Role(key.role), api_key_id=key.id, scopes=key.scopes
        )
    try:
        claims = decode_access_token(token, resources.settings.auth.secret_key.get_secret_value())
    except InvalidTokenError as exc:
        raise NotAuthenticatedError("The access token is invalid or expired.") from exc
    role = await resources.sessions.live_role(claims)
    if role is None:
        raise NotAuthenticatedError("The session of this access token has ended.")
    return Principal(
        user_id=claims.user_id,
        role=Role(role),
        family_id=claims.family_id,
        expires_at=claims.expires_at,
    )


async def _cookie_token(request: Request, resources: Resources) -> str | None:
    handle = request.cookies.get(web_sessions.SESSION_COOKIE)
    if not handle:
        return None
    client = request.client.host if request.client else None
    meta = RequestMeta.of(client, request.headers.get("user-agent"), request.state.request_id)
    token = await web_sessions.access_token(
        resources.redis, resources.db, resources.settings, resources.sessions, handle, meta
    )
    if token is None:
        return None
    await web_sessions.check_csrf(request, web_sessions.csrf_token(resources.settings, handle))
    request.state.browser_session = handle
    return token


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_current_user_id(principal: PrincipalDep) -> uuid.UUID:
    return principal.user_id


CurrentUserId = Annotated[uuid.UUID, Depends(get_current_user_id)]


async def still_authorised(resources: Resources, principal: Principal) -> bool:
    """Whether ``principal`` may still act: a stream outlives its request, and meanwhile
    its token may expire, its session or key be revoked, its user be disabled."""
    if principal.api_key_id is not None:
        return await resources.api_keys.is_live(principal.api_key_id)
    if principal.expires_at is None or datetime.now(UTC) >= principal.expires_at:
        return False
    claims = AccessClaims(principal.user_id, principal.family_id, principal.expires_at)
    return await resources.sessions.is_live(claims)


class _Requirement:
    def __init__(self, policy: Policy, limit: Bucket | None) -> None:
        self.policy = policy
        self.limit = limit


class _Open(_Requirement):
    async def __call__(self, request: Request, resources: ResourcesDep) -> None:
        # Nobody is signed in: the caller's address is what a budget can count.
        if self.limit is not None:
            await resources.limiter.hit(self.limit, f"ip:{client_ip(request)}")


class _Guard(_Requirement):
    async def __call__(self, principal: PrincipalDep, resources: ResourcesDep) -> None:
        caller = principal_key(principal)
        await resources.limiter.hit(Bucket.GENERAL, caller)
        authorize(self.policy, principal)
        if self.limit is not None:
            await resources.limiter.hit(self.limit, caller)


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def principal_key(principal: Principal) -> str:
    """Whose budget a request spends: an API key has its own, apart from its owner's."""
    if principal.api_key_id is not None:
        return f"key:{principal.api_key_id}"
    return f"user:{principal.user_id}"


def requires(policy: Policy, *, limit: Bucket | str | None = None) -> Any:
    """The route's policy, for its decorator: ``dependencies=[requires(USER)]``.

    ``limit`` names a budget of ``RECOLOCA_RATELIMIT_*`` the route also spends: per
    address on public routes, per user or API key otherwise (where every request spends
    the general budget too)."""
    bucket = Bucket(limit) if limit is not None else None
    return Depends(_Open(policy, bucket) if policy.role is None else _Guard(policy, bucket))


def _policy_in(dependant: Dependant) -> Policy | None:
    found: list[Policy] = []
    for dependency in dependant.dependencies:
        call = dependency.call
        if isinstance(call, _Requirement):
            found.append(call.policy)
    return found[0] if len(found) == 1 else None


@dataclass(frozen=True, slots=True)
class DeclaredRoute:
    methods: frozenset[str]
    path: str
    # None when the route declares no policy, or several.
    policy: Policy | None
    # In the OpenAPI document (the web application's pages are not).
    documented: bool = True


def declared_routes(app: FastAPI) -> list[DeclaredRoute]:
    """Every API route of ``app`` (inside included routers too) with its policy."""
    found = []
    for context in iter_route_contexts(app.routes):
        if not isinstance(context.original_route, APIRoute):
            continue
        dependant: Dependant = context.dependant
        found.append(
            DeclaredRoute(
                frozenset(context.methods or ()),
                context.path or "",
                _policy_in(dependant),
                context.original_route.include_in_schema,
            )
        )
    return found


def undeclared_routes(app: FastAPI) -> list[str]:
    return [
        f"{','.join(sorted(route.methods))} {route.path}"
        for route in declared_routes(app)
        if route.policy is None
    ]
