"""A process exempts what its start made from garbage collection, once it is ready."""

from __future__ import annotations

import asyncio
import gc

from entrypoints.runner import _freeze_once_ready
from infra.readiness import Readiness


async def test_start_up_objects_are_frozen_once_every_component_is_ready() -> None:
    readiness = Readiness()
    readiness.expect("api")
    freezing = asyncio.create_task(_freeze_once_ready(readiness))
    made_at_start = [[n] for n in range(10_000)]  # containers, which the collector tracks
    await asyncio.sleep(0.05)
    before = gc.get_freeze_count()
    assert not freezing.done()  # not while starting: the warm-up still makes objects

    readiness.set("api", True)
    await asyncio.wait_for(freezing, timeout=5)

    assert gc.get_freeze_count() >= before + len(made_at_start)
