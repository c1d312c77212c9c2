"""A document over its parse budget fails once, and the stalled-work recovery leaves it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from entrypoints.runner import API, RELAY
from infra.db.models import OutboxMessage
from infra.embedded import KafkaBroker
from infra.settings import Settings
from producers.recovery import requeue_stalled
from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.system import isolated_settings, running_system


async def test_a_parse_over_budget_fails_with_file_too_complex_and_is_not_requeued(
    settings: Settings, tmp_path: Path
) -> None:
    # A broker of its own: on the shared one, the suite's parsing worker (another database)
    # could be handed the partition. A budget no parse can meet stands for a file that
    # would hold the parser forever.
    broker = KafkaBroker()
    broker.start()
    try:
        own = await isolated_settings(
            settings,
            tmp_path,
            kafka={"bootstrap_servers": broker.bootstrap_servers},
            parsing={"timeout_seconds": 0.001},
        )
        await _fails_once(own)
    finally:
        broker.stop()


async def _fails_once(own: Settings) -> None:
    async with running_system(own, [API, RELAY, "parsing"]) as system, system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt", "text/plain")).json()["id"]

        body = await wait_for_status(client, headers, cv_id, "failed", "parsed", timeout=60)

        assert body["status"] == "failed"
        assert body["error"]["code"] == "file_too_complex"
        assert await requeue_stalled(system.db, older_than=timedelta(0)) == 0
        async with system.db.sessions() as session:
            pending = await session.scalar(select(func.count()).select_from(OutboxMessage))
        assert pending == 0
        assert (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()["status"] == "failed"
