"""Dead letters for tests: a message of ours sitting in a dead-letter topic, as the
consumer runtime leaves one after its last attempt."""

from __future__ import annotations

import uuid

from aiokafka import AIOKafkaProducer

from consumers.parsing.parser import parse_cv
from schemas.events import CvParsed
from tests.support.documents import txt_cv
from tests.support.factories import make_parsed_cv
from tests.support.system import RunningSystem


async def dead_letter_of(system: RunningSystem, user_id: uuid.UUID) -> tuple[uuid.UUID, CvParsed]:
    """A parsed CV whose ``cv.parsed`` message sits in the dead-letter topic, with the
    headers the consumer runtime gives one."""
    cv_id = uuid.uuid4()
    async with system.db.transaction() as session:
        make_parsed_cv(
            session, user_id, parse_cv(txt_cv().decode()).model_dump(mode="json"), id=cv_id
        )
    event = CvParsed(correlation_id="ops-test", user_id=user_id, cv_id=cv_id, language="pt")
    failure = {
        "dlq-original-topic": "cv.parsed",
        "dlq-original-partition": "0",
        "dlq-original-offset": "0",
        "dlq-consumer": "scoring",
        "dlq-attempts": "5",
        "dlq-error-type": "RuntimeError",
        "dlq-error": "the model was away",
    }
    producer = AIOKafkaProducer(bootstrap_servers=system.settings.kafka.bootstrap_servers)
    await producer.start()
    try:
        await producer.send_and_wait(
            "cv.parsed.dlq",
            value=event.model_dump_json().encode(),
            key=str(cv_id).encode(),
            headers=[(k, v.encode()) for k, v in {**event.headers(), **failure}.items()],
        )
    finally:
        await producer.stop()
    return cv_id, event
