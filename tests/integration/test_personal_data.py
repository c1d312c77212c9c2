"""Personal data at rest and on the bus: sealed in Postgres and object storage, absent
from every Kafka topic and every Redis pub/sub payload."""

from __future__ import annotations

import asyncio
import uuid

from aiokafka import AIOKafkaConsumer
from sqlalchemy import select

from infra.db.models import Analysis, Cv
from infra.personal_data import analysis_body, parsed_of
from infra.redis import make_redis
from infra.storage import make_object_store
from infra.vault import Vault
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.kafka import read_topic
from tests.support.privacy import postgres_hits, unique_person
from tests.support.system import RunningSystem


async def _all_topics(system: RunningSystem) -> list[str]:
    consumer = AIOKafkaConsumer(bootstrap_servers=system.settings.kafka.bootstrap_servers)
    await consumer.start()
    try:
        return sorted(await consumer.topics())
    finally:
        await consumer.stop()


async def test_a_cv_leaves_no_personal_data_on_kafka_redis_or_in_plaintext(
    system: RunningSystem,
) -> None:
    person = unique_person()
    assert system.settings.redis.url is not None
    redis = make_redis(system.settings.redis.url)
    pubsub = redis.pubsub()
    await pubsub.psubscribe("*")
    payloads: list[str] = []

    async def listen() -> None:
        async for message in pubsub.listen():
            payloads.append(f"{message.get('channel')} {message.get('data')}")

    listening = asyncio.create_task(listen())
    try:
        async with system.client() as client:
            headers = await new_user(client)
            response = await upload(
                client,
                headers,
                person.cv(),
                f"{person.name}.txt",  # a file's name is often its owner's
                "text/plain",
                job_description="Vaga para pessoa desenvolvedora Python sênior com Kafka.",
            )
            assert response.status_code == 202, response.text
            cv_id = response.json()["id"]
            scored = await wait_for_status(client, headers, cv_id, "scored", "failed")
            listing = (await client.get("/v1/cvs", headers=headers)).json()
    finally:
        listening.cancel()
        await pubsub.aclose()
        await redis.aclose()

    # The owner still reads the whole analysis: decrypted where the API serves it.
    assert scored["status"] == "scored", scored
    assert scored["analysis"]["contact"]["email"] == person.email
    assert scored["has_job_description"] is True
    assert scored["filename"] == listing["items"][0]["filename"] == f"{person.name}.txt"

    # Kafka: every topic, read from the beginning with a consumer of our own.
    for topic in await _all_topics(system):
        for record in await read_topic(system.settings, topic):
            blob = (record.value or b"") + b"".join(v for _, v in record.headers)
            for needle in person.needles:
                assert needle.encode() not in blob, f"{needle!r} travelled on {topic}"
    assert payloads, "the pipeline woke SSE streams over Redis"
    for payload in payloads:
        assert not any(needle in payload for needle in person.needles), payload

    # Postgres holds the facts sealed: no plaintext copy of the name or e-mail anywhere.
    assert await postgres_hits(system.db, person.needles) == []
    user_id = user_id_of(headers)
    vault = Vault(system.settings.crypto.master_keys())
    async with system.db.sessions() as session:
        cv = await session.get(Cv, uuid.UUID(cv_id))
        assert cv is not None
        assert cv.parsed_sealed is not None
        assert cv.job_description is None
        assert cv.job_description_sealed is not None
        assert {"skills", "sections", "language"} <= set(cv.parsed or {})
        assert "contact" not in (cv.parsed or {})
        assert "text" not in (cv.parsed or {})
        analysis = await session.scalar(select(Analysis).where(Analysis.cv_id == cv.id))
        assert analysis is not None
        assert "contact" not in analysis.body
        key = await vault.key(session, user_id)
        assert (parsed_of(key, cv) or {})["contact"]["email"] == person.email
        assert analysis_body(key, analysis)["contact"]["email"] == person.email
        storage_key = cv.storage_key

    # Object storage holds the file sealed; it opens to the original bytes.
    stored = await make_object_store(system.settings).get(storage_key)
    assert person.email.encode() not in stored
    assert key.open_file(stored, "file", storage_key) == person.cv()


async def test_rows_written_before_encryption_are_still_read(system: RunningSystem) -> None:
    """A CV and analysis stored in plaintext (before the migration) are served as they are."""
    from consumers.parsing.parser import parse_cv
    from infra.db.repositories import cvs as cvs_repo
    from schemas.cv import CvStatus
    from tests.support.factories import make_parsed_cv

    person = unique_person()
    async with system.client() as client:
        headers = await new_user(client)
        user_id = user_id_of(headers)
        parsed = parse_cv(person.cv().decode()).model_dump(mode="json")
        async with system.db.transaction() as session:
            cv = make_parsed_cv(
                session, user_id, parsed, status=CvStatus.SCORED, job_description="Python"
            )
            await session.flush()
            await cvs_repo.add_analysis(
                session,
                cv_id=cv.id,
                provider="offline",
                rubric_version="legacy",
                score=50,
                body={
                    "score": 50,
                    "language": "pt",
                    "provider": "offline",
                    "rubric_version": "legacy",
                    "contact": parsed["contact"],
                    "sections": [],
                    "skills": [],
                    "experience": [],
                    "education": [],
                    "breakdown": [],
                    "suggestions": [],
                },
            )
        response = await client.get(f"/v1/cvs/{cv.id}", headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["analysis"]["contact"]["email"] == person.email
    assert response.json()["has_job_description"] is True
