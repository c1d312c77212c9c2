"""Time from ``POST .../messages`` to the first ``coach.reply.delta`` on ``GET /v1/events``
(and to ``coach.reply.completed``), over the whole path: API, outbox, relay, broker,
coaching worker, Redis, SSE.

    python -m bench.coach [--messages 40] [--base-url http://127.0.0.1:8000]

With ``--base-url`` it drives a running ``make run`` (offline coach). Without it, it
starts the product in this process on embedded services twice: with the offline coach,
then with the Gemini provider through the real SDK against the local fake streaming
endpoint, and reports the overhead.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from infra.logging import configure_logging
from infra.settings import Settings
from tests.support.documents import txt_cv
from tests.support.fake_gemini import running_fake_gemini, stream_reply
from tests.support.sse import read_events

PASSWORD = "bench-password-123"
# Well below the per-user coach budget (RECOLOCA_RATELIMIT_COACH) of a running make run.
PER_USER = 15
QUESTIONS = (
    "Como posso melhorar meu currículo?",
    "How can I improve my resume?",
    "Vale a pena CLT ou PJ?",
    "Quero simular uma entrevista",
)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _line(name: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"{name:<34} n={len(ms):<4} p50={statistics.median(ms):7.1f} ms  "
        f"p95={_percentile(ms, 0.95):7.1f} ms  max={max(ms):7.1f} ms"
    )


async def _user(client: httpx.AsyncClient) -> dict[str, str]:
    email = f"bench-{uuid.uuid4().hex[:10]}@example.com"
    registered = await client.post("/v1/auth/register", json={"email": email, "password": PASSWORD})
    registered.raise_for_status()
    token = await client.post("/v1/auth/token", data={"username": email, "password": PASSWORD})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


async def _scored_cv(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    response = await client.post(
        "/v1/cvs", headers=headers, files={"file": ("cv.txt", txt_cv(), "text/plain")}
    )
    response.raise_for_status()
    cv_id = response.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()["status"] == "scored":
            return
        await asyncio.sleep(0.1)
    raise SystemExit("the CV was not scored within 60 s")


async def measure(base_url: str, messages: int) -> tuple[list[float], list[float]]:
    """(first delta, completed) seconds after each POST, one message at a time; a new user
    every ``PER_USER`` messages, within the per-user rate limit."""
    first: list[float] = []
    done: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        while len(first) < messages:
            await _conversation(client, min(PER_USER, messages - len(first)), first, done)
    return first, done


async def _conversation(
    client: httpx.AsyncClient, messages: int, first: list[float], done: list[float]
) -> None:
    headers = await _user(client)
    await _scored_cv(client, headers)
    created = await client.post("/v1/coach/sessions", headers=headers, json={})
    created.raise_for_status()
    path = f"/v1/coach/sessions/{created.json()['id']}/messages"
    async with client.stream("GET", "/v1/events", headers=headers) as stream:
        events = read_events(stream)
        for n in range(messages + 1):
            started = time.perf_counter()
            sent = await client.post(
                path, headers=headers, json={"text": QUESTIONS[n % len(QUESTIONS)]}
            )
            sent.raise_for_status()
            reply_id = sent.json()["reply_id"]
            seen_first: float | None = None
            async for event in events:
                if event.data.get("message_id") != reply_id:
                    continue
                now = time.perf_counter() - started
                if event.event == "coach.reply.delta" and seen_first is None:
                    seen_first = now
                if event.event == "coach.reply.completed":
                    break
            if n == 0:
                continue  # the first reply warms caches and connections
            first.append(seen_first if seen_first is not None else now)
            done.append(now)


async def _run_system(settings: Settings, messages: int) -> tuple[list[float], list[float]]:
    from tests.support.system import running_system

    async with running_system(settings) as system:
        return await measure(system.base_url, messages)


def _in_process(messages: int, gemini: bool) -> tuple[list[float], list[float]]:
    from infra.embedded import EmbeddedStack
    from tests.support.system import test_settings

    with tempfile.TemporaryDirectory(prefix="recoloca-bench-") as path:
        Path(path).chmod(0o755)
        stack = EmbeddedStack(Path(path) / "services")
        try:
            # Migrations run here, outside the event loop (Alembic starts its own).
            settings = test_settings(stack, Path(path))
            settings = settings.model_copy(
                update={
                    "ratelimit": settings.ratelimit.model_copy(update={"coach": "10000 per minute"})
                }
            )
            if not gemini:
                return asyncio.run(_run_system(settings, messages))
            with running_fake_gemini() as fake:
                fake.script(
                    stream_reply(
                        ("Olá! ", "Vamos ver seu currículo: ", "o ponto mais fraco é impacto."),
                        chunk_delay=0.01,
                    )
                )
                gemini_settings = settings.gemini.model_copy(
                    update={
                        "api_key": SecretStr("bench-key"),
                        "base_url": fake.base_url,
                        "model": "gemini-bench",
                    }
                )
                settings = settings.model_copy(update={"gemini": gemini_settings})
                return asyncio.run(_run_system(settings, messages))
        finally:
            stack.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--messages", type=int, default=40)
    args = parser.parse_args(argv)
    results: dict[str, Any] = {}
    configure_logging(level="WARNING")
    if args.base_url:
        results["offline"] = asyncio.run(measure(args.base_url, args.messages))
    else:
        results["offline"] = _in_process(args.messages, gemini=False)
        results["gemini (fake)"] = _in_process(args.messages, gemini=True)
    for name, (first, done) in results.items():
        print(_line(f"{name}: first delta", first))
        print(_line(f"{name}: completed", done))
    if "gemini (fake)" in results:
        offline = _percentile(results["offline"][0], 0.95)
        gemini = _percentile(results["gemini (fake)"][0], 0.95)
        print(f"gemini SDK overhead on first delta p95: {(gemini - offline) * 1000:+.1f} ms")
    target = _percentile(results["offline"][0], 0.95) * 1000
    print(
        f"offline first delta p95 {target:.1f} ms (target 300 ms): {'ok' if target <= 300 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
