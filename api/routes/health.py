from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import ResourcesDep
from api.policies import PUBLIC, requires
from infra.kafka import kafka_reachable
from infra.readiness import peer_readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", dependencies=[requires(PUBLIC)])
async def healthz() -> dict[str, str]:
    """The process is alive."""
    return {"status": "ok"}


@router.get("/readyz", dependencies=[requires(PUBLIC)])
async def readyz(resources: ResourcesDep) -> JSONResponse:
    """Postgres, Redis and Kafka are reachable, and every component of this process (the
    relay, each worker) can do its work: the relay is active, workers have their partitions.
    Under ``recoloca dev`` the other processes of the run are asked too (``health.peers``)."""

    async def postgres() -> None:
        async with resources.db.reads() as session:
            await session.execute(text("SELECT 1"))

    async def redis() -> None:
        await resources.redis.ping()

    async def kafka() -> None:
        await kafka_reachable(resources.settings.kafka)

    checks = {"postgres": postgres, "redis": redis, "kafka": kafka}
    results = await asyncio.gather(
        *(asyncio.wait_for(check(), timeout=3) for check in checks.values()), return_exceptions=True
    )
    status = {
        name: "ok" if not isinstance(result, BaseException) else f"error: {type(result).__name__}"
        for name, result in zip(checks, results, strict=True)
    }
    components = resources.readiness.snapshot() if resources.readiness else {}
    status |= {name: "ok" if ok else "starting" for name, ok in components.items()}
    status |= await peer_readiness(resources.settings.health.peers)
    ready = all(value == "ok" for value in status.values())
    return JSONResponse({"ready": ready, "checks": status}, status_code=200 if ready else 503)
