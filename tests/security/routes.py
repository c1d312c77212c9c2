"""Every route of the app with its policy, and a way to call one with made-up ids."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from api.app import create_app
from api.policies import Policy, declared_routes
from infra.settings import Settings


@dataclass(frozen=True)
class RouteUnderTest:
    method: str
    path: str
    policy: Policy
    # In the OpenAPI document; the web application's pages are not.
    documented: bool = True

    @property
    def params(self) -> list[str]:
        return re.findall(r"\{(\w+)(?::\w+)?\}", self.path)

    def url(self, **ids: str) -> str:
        """The path with each ``{param}`` from ``ids``, else a random id."""
        return re.sub(
            r"\{(\w+)(?::\w+)?\}", lambda m: ids.get(m.group(1), str(uuid.uuid4())), self.path
        )

    async def call(
        self,
        client: httpx.AsyncClient,
        headers: dict[str, str],
        ids: Mapping[str, str] | None = None,
        *,
        body: dict[str, object] | None = None,
        form: dict[str, str] | None = None,
    ) -> httpx.Response:
        """Call with the given path ids (random ones for the rest) and body. Pages are
        asked for JSON, so they answer with the same problems as the API does."""
        if form is None and body is None and self.method in {"POST", "PATCH", "PUT", "DELETE"}:
            body = {}
        return await client.request(
            self.method,
            self.url(**(ids or {})),
            json=body if form is None else None,
            data=form,
            headers={"Accept": "application/json", **headers},
        )


def all_routes(settings: Settings) -> list[RouteUnderTest]:
    found: list[RouteUnderTest] = []
    for route in declared_routes(create_app(settings)):
        assert route.policy is not None, route.path
        found.extend(
            RouteUnderTest(method, route.path, route.policy, route.documented)
            for method in route.methods
        )
    return sorted(found, key=lambda r: (r.path, r.method))
