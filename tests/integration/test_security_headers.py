"""Browser protections on every answer, the pages' own policies, CORS and trusted hosts."""

from __future__ import annotations

import base64
import hashlib
import re

from infra.settings import Environment, Settings
from tests.support.asgi import api_clients

IP = "10.20.0.1"


def _with_api(settings: Settings, **api: object) -> Settings:
    return settings.model_copy(update={"api": settings.api.model_copy(update=api)})


def _directives(policy: str) -> dict[str, set[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: set(values) for name, *values in parts}


async def test_every_answer_carries_the_browser_protections(settings: Settings) -> None:
    async with api_clients(settings) as client_from:
        client = client_from(IP)
        answers = [
            await client.get("/healthz"),
            await client.get("/v1/me"),  # 401
            await client.get("/no/such/page"),  # 404
            await client.post("/v1/auth/token", data={}),  # 422
        ]
    for answer in answers:
        headers = answer.headers
        assert headers["x-content-type-options"] == "nosniff", answer.request.url
        assert headers["x-frame-options"] == "DENY"
        assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
        policy = _directives(headers["content-security-policy"])
        assert policy["frame-ancestors"] == {"'none'"}
        assert policy["default-src"] == {"'self'"}
        assert policy["script-src"] == {"'self'"}
        assert policy["object-src"] == {"'none'"}
        # Not outside production: a developer's plain-HTTP localhost must stay reachable.
        assert "strict-transport-security" not in headers


async def test_production_answers_require_https_from_then_on(settings: Settings) -> None:
    production = settings.model_copy(update={"env": Environment.PRODUCTION})
    async with api_clients(production) as client_from:
        answer = await client_from(IP).get("/healthz")
    assert answer.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_the_swagger_page_runs_only_scripts_served_here(settings: Settings) -> None:
    async with api_clients(settings) as client_from:
        client = client_from(IP)
        page = await client.get("/docs")
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page.text, re.S)
        sources = [re.search(r'src="([^"]+)"', attributes) for attributes, _ in scripts]
        served = [await client.get(source.group(1)) for source in sources if source]
    policy = _directives(page.headers["content-security-policy"])
    assert policy["script-src"] == {"'self'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert "data:" in policy["img-src"]  # Swagger UI's icons
    assert scripts
    assert all(source is not None for source in sources), "an inline script would be blocked"
    assert all(body.strip() == "" for _, body in scripts)
    assert all(source.group(1).startswith("/") for source in sources if source)
    for script in served:
        assert script.status_code == 200
        assert "javascript" in script.headers["content-type"]
    assert "/openapi.json" in served[-1].text


async def test_the_asyncapi_page_allows_exactly_its_own_style(settings: Settings) -> None:
    async with api_clients(settings) as client_from:
        page = await client_from(IP).get("/asyncapi")
    (style,) = re.findall(r"<style>(.*?)</style>", page.text, re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    policy = _directives(page.headers["content-security-policy"])
    assert policy["style-src"] == {"'self'", f"'sha256-{digest}'"}
    assert "'unsafe-inline'" not in page.headers["content-security-policy"]


async def test_no_cors_headers_unless_origins_are_allowed(settings: Settings) -> None:
    preflight = {
        "Origin": "https://app.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    async with api_clients(settings) as client_from:
        client = client_from(IP)
        plain = await client.get("/healthz", headers={"Origin": "https://app.example"})
        asked = await client.options("/v1/cvs", headers=preflight)
    assert "access-control-allow-origin" not in plain.headers
    assert "access-control-allow-origin" not in asked.headers


async def test_allowed_origins_get_cors_and_others_do_not(settings: Settings) -> None:
    allowing = _with_api(settings, cors_origins=["https://app.example"])
    async with api_clients(allowing) as client_from:
        client = client_from(IP)
        allowed = await client.options(
            "/v1/cvs",
            headers={
                "Origin": "https://app.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        simple = await client.get("/healthz", headers={"Origin": "https://app.example"})
        other = await client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example"
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert simple.headers["access-control-allow-origin"] == "https://app.example"
    assert "retry-after" in simple.headers["access-control-expose-headers"].lower()
    assert "access-control-allow-credentials" not in simple.headers
    assert "access-control-allow-origin" not in other.headers


async def test_an_unknown_host_is_refused_but_probes_are_answered(settings: Settings) -> None:
    async with api_clients(settings) as client_from:
        client = client_from(IP)
        local = await client.get("/openapi.json", headers={"Host": "localhost:8000"})
        foreign = await client.get("/openapi.json", headers={"Host": "evil.example"})
        probe = await client.get("/healthz", headers={"Host": "10.0.3.7:8000"})
    assert local.status_code == 200
    assert foreign.status_code == 400
    assert foreign.json()["code"] == "invalid_host"
    assert foreign.headers["x-frame-options"] == "DENY"
    assert probe.status_code == 200


async def test_trusted_hosts_take_subdomain_patterns_and_ipv6(settings: Settings) -> None:
    hosts = _with_api(settings, trusted_hosts=["*.recoloca.example", "[::1]"])
    async with api_clients(hosts) as client_from:
        client = client_from(IP)
        answers = {
            host: (await client.get("/openapi.json", headers={"Host": host})).status_code
            for host in (
                "api.recoloca.example",
                "api.recoloca.example:443",
                "recoloca.example.evil",
                "[::1]:8000",
                "testserver",
            )
        }
    assert answers == {
        "api.recoloca.example": 200,
        "api.recoloca.example:443": 200,
        "recoloca.example.evil": 400,
        "[::1]:8000": 200,
        "testserver": 400,
    }
