"""The API app in the test process, without a server: for callers from chosen addresses
and for settings of its own (HTTPX's ASGI transport buffers whole responses, so streams
need the real server of tests.support.system)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import httpx

from api.app import create_app
from infra.settings import Settings

ClientFrom = Callable[[str], httpx.AsyncClient]


@asynccontextmanager
async def api_clients(settings: Settings) -> AsyncIterator[ClientFrom]:
    """A running app; call the result with an IP address for a client calling from it."""
    app = create_app(settings)
    clients: list[httpx.AsyncClient] = []

    def client_from(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url="http://testserver", timeout=10)
        clients.append(client)
        return client

    async with app.router.lifespan_context(app):
        try:
            yield client_from
        finally:
            for client in clients:
                await client.aclose()
