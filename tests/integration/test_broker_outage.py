"""The broker goes away while users keep uploading: nothing is lost, nothing is doubled."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

from sqlalchemy import func, select

from infra.db.migrate import upgrade
from infra.db.models import Analysis
from infra.embedded import KafkaBroker, free_port
from infra.settings import Settings
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.billing import post_event, subscription_life
from tests.support.databases import create_database
from tests.support.documents import two_column_pdf
from tests.support.system import SUITE_WEBHOOK_SECRET, running_system, wait_for


async def test_upload_and_webhook_accepted_during_outage_take_effect_when_broker_returns(
    settings: Settings, tmp_path: Path
) -> None:
    # A system of its own (database, broker, API) so stopping its broker disturbs no other test.
    assert settings.database.url is not None
    database_url = await create_database(settings.database.url, "outage")
    await asyncio.to_thread(upgrade, database_url)
    broker = KafkaBroker()
    broker.start()
    own = settings.model_copy(
        update={
            "data_dir": tmp_path,
            "database": settings.database.model_copy(update={"url": database_url}),
            "kafka": settings.kafka.model_copy(
                update={"bootstrap_servers": broker.bootstrap_servers}
            ),
            "api": settings.api.model_copy(update={"port": free_port()}),
            # A restarted embedded broker starts with empty logs: a consumer still positioned
            # past the new messages can miss them (Kafka never rewinds a log; this broker
            # does). Re-sending stalled work is the safety net; make it quick here.
            "outbox": settings.outbox.model_copy(
                update={"recovery_seconds": 1.0, "stalled_seconds": 5.0}
            ),
        }
    )
    try:
        async with running_system(own) as system, system.client() as client:
            headers = await new_user(client)
            before = (await upload(client, headers, two_column_pdf())).json()["id"]
            await wait_for_status(client, headers, before, "scored")

            await asyncio.to_thread(broker.stop)
            response = await upload(client, headers, two_column_pdf())
            assert response.status_code == 202
            during = response.json()["id"]
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["kafka"] != "ok"
            assert (await client.get(f"/v1/cvs/{during}", headers=headers)).json()[
                "status"
            ] == "queued"
            # Stripe's webhook is acknowledged too: the inbox and outbox are in Postgres.
            life = subscription_life(user_id_of(headers))
            for event in life.events[:2]:
                webhook = await post_event(client, event, SUITE_WEBHOOK_SECRET)
                assert webhook.status_code == 200, webhook.text

            await asyncio.to_thread(
                broker.start
            )  # same port, empty memory: topics and groups are gone
            cv = await wait_for_status(client, headers, during, "scored", "failed", timeout=60)
            assert cv["status"] == "scored"

            async def pro() -> bool:
                plan = await client.get("/v1/billing/subscription", headers=headers)
                return bool(plan.json()["plan"] == "pro")

            await wait_for(pro, timeout=60, what="the webhook to be applied after the outage")

            async with system.db.sessions() as session:
                for cv_id in (before, during):
                    count = await session.scalar(
                        select(func.count())
                        .select_from(Analysis)
                        .where(Analysis.cv_id == uuid.UUID(cv_id))
                    )
                    assert count == 1, f"CV {cv_id} has {count} analyses"
    finally:
        broker.stop()
