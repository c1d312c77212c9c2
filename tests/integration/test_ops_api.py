"""The operator's bus tools over HTTP, against the running system: the same answers as
the functions ``recoloca`` runs, and replays and redrives in the audit trail."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from api.services import ops
from api.services.audit import NO_REQUEST
from api.services.errors import InvalidReplayError
from entrypoints.runner import API
from infra.db.models import Cv
from infra.embedded import EmbeddedStack
from infra.kafka import ensure_topics
from infra.redis import make_redis
from infra.settings import Settings
from producers.kafka_admin import topic_offsets
from producers.replay import plan_replay
from schemas.cv import CvStatus
from schemas.topics import CONSUMER_GROUPS, all_topic_names, group_topics
from tests.support.api import upload, wait_for_status
from tests.support.documents import txt_cv
from tests.support.identity import Account, grant_role, signed_in, user_id_of_account
from tests.support.ops import dead_letter_of
from tests.support.system import RunningSystem, isolated_settings, running_system, wait_for

_PARSING_REPLAY = "/v1/ops/groups/parsing/topics/cv.uploaded/replay"


async def _operator(system: RunningSystem) -> tuple[Account, uuid.UUID]:
    async with system.client() as client:
        account = await signed_in(client)
    return account, await grant_role(system, account, "operator")


async def _audit(system: RunningSystem, actor: Account, action: str) -> list[dict[str, Any]]:
    admin = await _admin(system)
    actor_id = await _id(system, actor)
    async with system.client() as client:
        page = await client.get(
            "/v1/admin/audit",
            params={"actor": str(actor_id), "action": action},
            headers=admin.headers,
        )
    assert page.status_code == 200, page.text
    items: list[dict[str, Any]] = page.json()["items"]
    return items


async def _admin(system: RunningSystem) -> Account:
    async with system.client() as client:
        account = await signed_in(client)
    await grant_role(system, account, "admin")
    return account


async def _id(system: RunningSystem, account: Account) -> uuid.UUID:
    async with system.client() as client:
        return await user_id_of_account(client, account)


async def test_topics_and_groups(system: RunningSystem) -> None:
    operator, _ = await _operator(system)
    async with system.client() as client:
        topics = await client.get("/v1/ops/topics", headers=operator.headers)
        groups = await client.get("/v1/ops/groups", headers=operator.headers)
    assert topics.status_code == 200, topics.text
    listed = {(row["topic"], row["partition"]) for row in topics.json()}
    direct = await topic_offsets(system.settings.kafka)
    assert {(row.topic, row.partition) for row in direct} == listed
    assert {name for name, _ in listed} >= set(all_topic_names())
    assert all(row["end"] >= row["beginning"] >= 0 for row in topics.json())

    assert groups.status_code == 200, groups.text
    by_group = {g["group"]: g for g in groups.json()}
    assert set(by_group) == set(CONSUMER_GROUPS)
    for name, group in by_group.items():
        assert {p["topic"] for p in group["partitions"]} == set(group_topics(name))
        assert group["lag"] == sum(p["lag"] for p in group["partitions"])


async def test_a_dead_letter_is_shown_and_redriven_once(system: RunningSystem) -> None:
    operator, operator_id = await _operator(system)
    cv_id, event = await dead_letter_of(system, operator_id)
    async with system.client() as client:
        listed = await client.get(
            "/v1/ops/dead-letters/cv.parsed",
            params={"state": "waiting", "limit": 500},
            headers=operator.headers,
        )
        assert listed.status_code == 200, listed.text
        [letter] = [
            x for x in listed.json()["items"] if x["envelope"]["event_id"] == str(event.event_id)
        ]
        assert letter["redriven"] is False
        assert letter["original_topic"] == "cv.parsed"
        assert letter["failure"]["consumer"] == "scoring"
        assert letter["failure"]["error"] == "the model was away"
        assert "cv_id" in letter["body_fields"]
        assert str(cv_id) not in listed.text, "bodies stay out of operator output"

        for key in (letter["id"], str(event.event_id)):
            shown = await client.get(
                f"/v1/ops/dead-letters/cv.parsed/{key}", headers=operator.headers
            )
            assert shown.status_code == 200, shown.text
            assert shown.json() == letter

        sent = await client.post(
            "/v1/ops/dead-letters/cv.parsed/redrive",
            json={"ids": [letter["id"]]},
            headers=operator.headers,
        )
        assert sent.status_code == 200, sent.text
        assert sent.json() == {"redriven": [letter["id"]]}

        async def scored() -> bool:
            async with system.db.sessions() as session:
                status = await session.scalar(select(Cv.status).where(Cv.id == cv_id))
            return status == CvStatus.SCORED

        await wait_for(scored, timeout=20, what="the redriven CV to be scored")

        again = await client.post(
            "/v1/ops/dead-letters/cv.parsed/redrive",
            json={"ids": [letter["id"]]},
            headers=operator.headers,
        )
        assert again.json() == {"redriven": []}
        redriven = await client.get(
            f"/v1/ops/dead-letters/cv.parsed/{letter['id']}", headers=operator.headers
        )
        assert redriven.json()["redriven"] is True
        waiting = await client.get(
            "/v1/ops/dead-letters/cv.parsed",
            params={"state": "waiting", "limit": 500},
            headers=operator.headers,
        )
        assert letter["id"] not in {x["id"] for x in waiting.json()["items"]}

    entries = await _audit(system, operator, "ops.redrive")
    assert [e["detail"] for e in entries] == [
        {
            "topic": "cv.parsed",
            "requested": [letter["id"]],
            "force": False,
            "redriven": [],
            "event_ids": [],
        },
        {
            "topic": "cv.parsed",
            "requested": [letter["id"]],
            "force": False,
            "redriven": [letter["id"]],
            "event_ids": [str(event.event_id)],
        },
    ]


async def test_dead_letter_requests_for_what_does_not_exist(system: RunningSystem) -> None:
    operator, _ = await _operator(system)
    async with system.client() as client:
        for method, path, body, code in (
            ("GET", "/v1/ops/dead-letters/no.such.topic", None, "topic_not_found"),
            ("GET", "/v1/ops/dead-letters/cv.parsed/99:999999", None, "dead_letter_not_found"),
            (
                "POST",
                "/v1/ops/dead-letters/cv.parsed/redrive",
                {"ids": [str(uuid.uuid4())]},
                "dead_letter_not_found",
            ),
            ("POST", "/v1/ops/dead-letters/no.such.topic/redrive", {}, "topic_not_found"),
        ):
            response = await client.request(method, path, json=body, headers=operator.headers)
            assert response.status_code == 404, (path, response.text)
            assert response.json()["code"] == code
        for path in ("/v1/ops/dead-letters/cv%00parsed", "/v1/ops/dead-letters/cv.parsed/a%20b"):
            response = await client.get(path, headers=operator.headers)
            assert response.status_code == 422, path
        extra = await client.post(
            "/v1/ops/dead-letters/cv.parsed/redrive",
            json={"ids": [], "everything": True},
            headers=operator.headers,
        )
        assert extra.status_code == 422


async def test_replay_dry_run_then_for_real(system: RunningSystem) -> None:
    operator, _ = await _operator(system)
    async with system.client() as client:
        since = datetime.now(UTC) - timedelta(milliseconds=50)
        cv_id = (await upload(client, operator.headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, operator.headers, cv_id, "scored")

        dry = await client.post(
            _PARSING_REPLAY,
            json={"from_beginning": True, "dry_run": True},
            headers=operator.headers,
        )
        assert dry.status_code == 200, dry.text
        plan = await plan_replay(
            system.settings.kafka, group="parsing", topic="cv.uploaded", from_beginning=True
        )
        body = dry.json()
        assert body["dry_run"] is True
        assert [p["partition"] for p in body["partitions"]] == [
            p.partition for p in plan.partitions
        ]
        assert [p["target"] for p in body["partitions"]] == [p.target for p in plan.partitions]
        assert body["total"] > 0
        assert body["moved_by_members"] == {}
        assert body["committed_directly"] == []
        assert await _audit(system, operator, "ops.replay") == [], "a dry run is a read"

        done = await client.post(
            _PARSING_REPLAY,
            json={"since": since.isoformat()},
            headers=operator.headers,
        )
        assert done.status_code == 200, done.text
        result = done.json()
        assert result["dry_run"] is False
        assert result["total"] >= 1
        moved = sorted(p for ps in result["moved_by_members"].values() for p in ps)
        assert moved + result["committed_directly"] == sorted(
            p["partition"] for p in result["partitions"]
        )
    [entry] = await _audit(system, operator, "ops.replay")
    assert entry["outcome"] == "ok"
    detail = entry["detail"]
    assert isinstance(detail, dict)
    assert detail["group"] == "parsing"
    assert detail["messages"] == result["total"]


async def test_replay_requests_that_cannot_be_planned(system: RunningSystem) -> None:
    operator, _ = await _operator(system)
    now = datetime.now(UTC).isoformat()
    async with system.client() as client:
        for path, body, status, code in (
            (_PARSING_REPLAY, {}, 422, "validation_error"),
            (_PARSING_REPLAY, {"from_beginning": True, "since": now}, 422, "validation_error"),
            (_PARSING_REPLAY, {"from_beginning": False}, 422, "validation_error"),
            (_PARSING_REPLAY, {"since": "2026-11-26T10:00:00"}, 422, "validation_error"),
            (_PARSING_REPLAY, {"from_offset": -1}, 422, "validation_error"),
            (
                "/v1/ops/groups/parsing/topics/cv.parsed/replay",
                {"from_beginning": True},
                404,
                "topic_not_read_by_group",
            ),
            (
                "/v1/ops/groups/accounting/topics/cv.parsed/replay",
                {"from_beginning": True},
                404,
                "consumer_group_not_found",
            ),
            (
                "/v1/ops/groups/Parsing!/topics/cv.uploaded/replay",
                {"from_beginning": True},
                422,
                "validation_error",
            ),
        ):
            response = await client.post(path, json=body, headers=operator.headers)
            assert response.status_code == status, (path, body, response.text)
            assert response.json()["code"] == code, body
    assert await _audit(system, operator, "ops.replay") == []

    # The routes' bodies cannot ask for two starts; the service refuses them all the same.
    redis = make_redis(system.settings.redis.url or "")
    try:
        async with system.db.sessions() as session:
            with pytest.raises(InvalidReplayError):
                await ops.replay_topic(
                    session,
                    system.settings.kafka,
                    system.settings.control,
                    redis,
                    ops.ReplayRequest(
                        group="parsing",
                        topic="cv.uploaded",
                        from_beginning=True,
                        since=datetime.now(UTC),
                    ),
                    actor_id=uuid.uuid4(),
                    meta=NO_REQUEST,
                )
    finally:
        await redis.aclose()


async def test_replay_of_an_idle_group_and_a_broker_that_went_away(
    settings: Settings, tmp_path: Path
) -> None:
    """A system of its own with no workers, on a broker of its own that the test stops, and
    a Redis of its own: the other system's workers would obey seeks on its control channel."""
    services = EmbeddedStack(tmp_path / "services")
    try:
        redis_url = services.start_redis()
        bootstrap = services.start_kafka()
        own = await isolated_settings(
            settings,
            tmp_path,
            kafka={"bootstrap_servers": bootstrap},
            redis={"url": redis_url},
        )
        async with running_system(own, [API]) as system:
            operator, _ = await _operator(system)
            replay = {"from_beginning": True}
            async with system.client() as client:
                # No worker ran here, so nothing declared the topics yet.
                missing = await client.post(_PARSING_REPLAY, json=replay, headers=operator.headers)
                assert missing.status_code == 404, missing.text
                assert missing.json()["code"] == "topic_not_found"

                await ensure_topics(own.kafka, group_topics("parsing"))
                reprocess = await client.post(
                    _PARSING_REPLAY, json={**replay, "reprocess": True}, headers=operator.headers
                )
                assert reprocess.status_code == 409, reprocess.text
                assert reprocess.json()["code"] == "no_running_worker"

                idle = await client.post(_PARSING_REPLAY, json=replay, headers=operator.headers)
                assert idle.status_code == 200, idle.text
                assert idle.json()["moved_by_members"] == {}
                assert idle.json()["committed_directly"] == [
                    p["partition"] for p in idle.json()["partitions"]
                ]
                outcomes = [
                    (e["outcome"], e["detail"].get("reason"))
                    for e in await _audit(system, operator, "ops.replay")
                ]
                assert outcomes == [("ok", None), ("failed", "no_running_worker")]

                assert services.redis is not None
                services.redis.stop()
                away = await client.post(_PARSING_REPLAY, json=replay, headers=operator.headers)
                assert away.status_code == 503, away.text
                assert away.json()["code"] == "control_channel_unavailable"
                [entry, *_] = await _audit(system, operator, "ops.replay")
                assert entry["detail"]["reason"] == "control_channel_unavailable"

                assert services.kafka is not None
                services.kafka.stop()
                for path in ("/v1/ops/topics", "/v1/ops/groups", "/v1/ops/dead-letters/cv.parsed"):
                    down = await client.get(path, headers=operator.headers)
                    assert down.status_code == 503, (path, down.text)
                    assert down.json()["code"] == "broker_unavailable"
    finally:
        services.stop()
