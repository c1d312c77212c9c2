"""The HTTP API: thin routes over the services; no business work happens here."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from api.deps import Resources
from api.errors import install_error_handlers
from api.middleware import (
    BodyReadTimeoutMiddleware,
    BodySizeLimitMiddleware,
    RequestIdMiddleware,
    SecurityHeadersMiddleware,
    TrustedHostMiddleware,
)
from api.policies import undeclared_routes
from api.routes import (
    admin,
    api_keys,
    auth,
    billing,
    coach,
    cvs,
    docs,
    events,
    health,
    me,
    notifications,
    ops,
    pages,
    privacy,
)
from api.services.api_keys import ApiKeys
from api.services.cvs import rehearse_upload
from api.services.event_stream import Wakeups
from api.services.sessions import SessionChecks
from api.web.render import STATIC_DIR, STATIC_PATH
from infra.db.session import Database, warm_quietly
from infra.metrics import HttpMetricsMiddleware
from infra.ratelimit import RateLimiter, StreamSlots
from infra.readiness import Readiness
from infra.redis import make_redis
from infra.security import Hashing
from infra.settings import Environment, Settings
from infra.storage import make_object_store
from infra.stripe_gateway import gateway_from
from infra.vault import Vault

# Room for the multipart framing and the job description around a maximal file.
_FORM_OVERHEAD_BYTES = 256 * 1024


def create_app(
    settings: Settings,
    *,
    readiness: Readiness | None = None,
    stopping: asyncio.Event | None = None,
) -> FastAPI:
    """The API. ``readiness`` is what ``/readyz`` reports besides the connections;
    ``stopping`` ends open event streams at once when the process shuts down."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not settings.database.url or not settings.redis.url:
            raise RuntimeError("RECOLOCA_DATABASE_URL and RECOLOCA_REDIS_URL must be set")
        redis = make_redis(settings.redis.url)
        db = Database.of(settings.database)
        resources = Resources(
            settings=settings,
            db=db,
            redis=redis,
            storage=make_object_store(settings),
            wakeups=Wakeups(redis),
            readiness=readiness,
            stopping=stopping or asyncio.Event(),
            sessions=SessionChecks(db, settings.auth.session_check_seconds),
            hashing=Hashing(settings.auth.hash_concurrency),
            vault=Vault(settings.crypto.master_keys()),
            api_keys=ApiKeys(db),
            limiter=RateLimiter(
                settings.ratelimit,
                settings.redis.url,
                secret=settings.auth.secret_key.get_secret_value().encode(),
            ),
            stream_slots=StreamSlots(redis, settings.ratelimit),
            stripe=gateway_from(settings.stripe),
        )
        app.state.resources = resources
        await warm_quietly(rehearse_upload(db, resources.vault, settings.billing))
        relaying = asyncio.create_task(resources.wakeups.run())
        try:
            yield
        finally:
            resources.wakeups.stop()
            relaying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relaying
            await resources.limiter.aclose()
            if resources.stripe is not None:
                await resources.stripe.aclose()
            await resources.redis.aclose()
            await resources.db.dispose()

    app = FastAPI(
        title="Recoloca API",
        version="1.0.0",
        description="Upload a CV, get an ATS-style analysis, follow it live over SSE.",
        lifespan=lifespan,
        # /docs is served by api.routes.docs with local assets; ReDoc would need a CDN.
        docs_url=None,
        redoc_url=None,
    )
    install_error_handlers(app)
    for router in (
        health.router,
        auth.router,
        billing.router,
        billing.webhooks,
        cvs.router,
        coach.router,
        events.router,
        privacy.router,
        notifications.router,
        ops.router,
        admin.router,
        docs.router,
    ):
        app.include_router(router)
    app.include_router(me.router)
    app.include_router(api_keys.router)
    app.include_router(pages.router)
    if undeclared := undeclared_routes(app):
        raise RuntimeError(f"routes without a policy (see api/policies.py): {undeclared}")
    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), "static")
    app.mount(
        docs.SWAGGER_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), "swagger-ui"
    )
    app.add_middleware(
        BodyReadTimeoutMiddleware,
        idle_seconds=settings.api.body_idle_seconds,
        grace_seconds=settings.api.body_grace_seconds,
        min_bytes_per_second=settings.api.body_min_bytes_per_second,
    )
    app.add_middleware(
        BodySizeLimitMiddleware, max_bytes=settings.api.max_upload_bytes + _FORM_OVERHEAD_BYTES
    )
    if settings.api.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID", "X-Request-ID"],
            expose_headers=["Retry-After", "X-Request-ID"],
            # Bearer tokens, not cookies, cross origins: the cookie session stays same-site.
            allow_credentials=False,
            max_age=600,
        )
    app.add_middleware(TrustedHostMiddleware, allowed=settings.api.trusted_hosts)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.env is Environment.PRODUCTION)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(HttpMetricsMiddleware)
    return app
