"""The CV pipeline end to end: API → outbox → Kafka → parsing → scoring → Postgres → SSE."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest
from sqlalchemy import func, select

from infra.db.models import Analysis, Cv
from tests.support.api import new_user, send_oversized_upload, upload, user_id_of, wait_for_status
from tests.support.documents import docx_cv, image_only_pdf, two_column_pdf, txt_cv
from tests.support.kafka import read_topic
from tests.support.sse import collect_until
from tests.support.system import RunningSystem


async def test_an_offline_analysis_is_made_in_the_parsing_hop(system: RunningSystem) -> None:
    """Without an AI provider, parsing scores the CV itself: one message from upload to
    score instead of two (with one, scoring does it on cv.parsed: test_scoring_with_gemini)."""
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, cv_id, "scored")

    key = cv_id.encode()
    [uploaded] = [r for r in await read_topic(system.settings, "cv.uploaded") if r.key == key]
    [scored] = [r for r in await read_topic(system.settings, "cv.scored") if r.key == key]
    assert [r for r in await read_topic(system.settings, "cv.parsed") if r.key == key] == []
    assert json.loads(scored.value)["causation_id"] == json.loads(uploaded.value)["event_id"]


async def test_upload_is_parsed_and_scored(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, two_column_pdf(), filename="joao.pdf")
        assert response.status_code == 202, response.text
        body = response.json()
        assert body["status"] == "queued"
        assert response.headers["x-request-id"]

        cv = await wait_for_status(client, headers, body["id"], "scored", "failed")

    assert cv["status"] == "scored", cv
    assert cv["filename"] == "joao.pdf"
    analysis = cv["analysis"]
    assert 0 <= analysis["score"] <= 100
    assert analysis["language"] == "pt"
    assert analysis["provider"] == "offline"
    assert analysis["contact"]["email"] == "joao.silva@example.com"
    assert analysis["contact"]["phone"] == "+5511987654321"
    assert {"experience", "education", "skills"} <= {s["kind"] for s in analysis["sections"]}
    assert {"category", "score", "weight"} <= set(analysis["breakdown"][0])
    assert cv["error"] is None


@pytest.mark.parametrize(
    ("content", "filename", "content_type"),
    [
        (docx_cv(), "cv.docx", "application/octet-stream"),
        (txt_cv(), "cv.txt", "text/plain"),
    ],
)
async def test_docx_and_txt_are_scored(
    system: RunningSystem, content: bytes, filename: str, content_type: str
) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, content, filename, content_type)
        assert response.status_code == 202, response.text
        cv = await wait_for_status(client, headers, response.json()["id"], "scored", "failed")
    assert cv["status"] == "scored", cv
    assert cv["analysis"]["contact"]["email"] == "joao.silva@example.com"


async def test_scanned_pdf_fails_with_a_reason(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, image_only_pdf())
        assert response.status_code == 202
        cv = await wait_for_status(client, headers, response.json()["id"], "scored", "failed")
    assert cv["status"] == "failed"
    assert cv["error"]["code"] == "no_extractable_text"
    assert cv["analysis"] is None


async def test_sse_delivers_scored_and_resumes_without_duplicates(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        async with client.stream("GET", "/v1/events", headers=headers) as stream:
            assert stream.status_code == 200
            assert stream.headers["content-type"].startswith("text/event-stream")
            first = (await upload(client, headers, two_column_pdf())).json()["id"]
            events = await collect_until(
                stream, lambda evs: any(e.event == "cv.scored" for e in evs)
            )
        # The CV's events, in order (the welcome notification may come between them).
        last_seen = events[-1].id
        events = [e for e in events if e.event and e.event.startswith("cv.")]
        assert [e.event for e in events] == ["cv.parsed", "cv.scored"]
        assert all(e.data["cv_id"] == first for e in events)
        assert events[1].data["score"] >= 0
        assert last_seen is not None

        # Disconnected: two more CVs are processed meanwhile.
        missed = [(await upload(client, headers, txt_cv(), "cv.txt", "text/plain")).json()["id"]]
        missed.append((await upload(client, headers, two_column_pdf())).json()["id"])
        for cv_id in missed:
            await wait_for_status(client, headers, cv_id, "scored")

        resumed_headers = {**headers, "Last-Event-ID": last_seen}
        async with client.stream("GET", "/v1/events", headers=resumed_headers) as stream:
            replayed = await collect_until(
                stream, lambda evs: sum(e.event == "cv.scored" for e in evs) == 2
            )
    ids = [int(e.id) for e in replayed if e.id]
    assert ids == sorted(set(ids)), "replayed events are ordered and unique"
    assert min(ids) > int(last_seen), "nothing already seen is sent again"
    # The first CV's report may be ready after the disconnection: it is new, not replayed.
    assert {e.data["cv_id"] for e in replayed if (e.event or "").startswith("cv.")} == set(missed)
    assert [e.event for e in replayed].count("cv.parsed") == 2


async def test_sse_requires_a_token(system: RunningSystem) -> None:
    async with system.client() as client:
        response = await client.get("/v1/events")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_list_is_newest_first_and_paginated(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        ids = [(await upload(client, headers, txt_cv(), "cv.txt")).json()["id"] for _ in range(3)]
        page = (await client.get("/v1/cvs", params={"limit": 2}, headers=headers)).json()
        rest = (
            await client.get("/v1/cvs", params={"limit": 2, "offset": 2}, headers=headers)
        ).json()
    assert page["total"] == 3
    assert [item["id"] for item in page["items"] + rest["items"]] == ids[::-1]


class TestRejections:
    async def test_unsupported_type_is_415_and_leaves_nothing(self, system: RunningSystem) -> None:
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
        async with system.client() as client:
            headers = await new_user(client)
            response = await upload(client, headers, png, "cv.pdf", "application/pdf")
            listing = (await client.get("/v1/cvs", headers=headers)).json()
        assert response.status_code == 415
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unsupported_file_type"
        assert listing["total"] == 0

    async def test_a_zip_that_is_not_docx_is_415(self, system: RunningSystem) -> None:
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "hi")
        async with system.client() as client:
            headers = await new_user(client)
            response = await upload(client, headers, buffer.getvalue(), "cv.docx")
        assert response.status_code == 415

    async def test_too_large_is_413_and_leaves_nothing(self, system: RunningSystem) -> None:
        limit = system.settings.api.max_upload_bytes
        big = b"%PDF-1.7\n" + b"0" * limit
        async with system.client() as client:
            headers = await new_user(client)
            response = await upload(client, headers, big)
            listing = (await client.get("/v1/cvs", headers=headers)).json()
        assert response.status_code == 413
        assert response.json()["code"] == "file_too_large"
        assert listing["total"] == 0

    @pytest.mark.parametrize("chunked", [False, True])
    async def test_huge_body_is_refused_before_it_is_read(
        self, system: RunningSystem, chunked: bool
    ) -> None:
        """A client streaming far more than the limit gets 413 long before it finishes."""
        async with system.client() as client:
            headers = await new_user(client)
        limit = system.settings.api.max_upload_bytes
        status = await send_oversized_upload(
            system.settings.api.host,
            system.settings.api.port,
            headers["Authorization"],
            declared_length=None if chunked else limit * 5,
            max_bytes=limit * 3,
        )
        assert status == 413

    @pytest.mark.parametrize(
        ("content", "code"),
        [
            (b"", "empty_file"),
            (b"   \n\t ", "empty_file"),
            (b"%PDF-1.7\n1 0 obj", "unreadable_file"),
        ],
    )
    async def test_empty_or_truncated_is_422(
        self, system: RunningSystem, content: bytes, code: str
    ) -> None:
        async with system.client() as client:
            headers = await new_user(client)
            response = await upload(client, headers, content)
        assert response.status_code == 422
        assert response.json()["code"] == code

    async def test_missing_file_field_is_422(self, system: RunningSystem) -> None:
        async with system.client() as client:
            headers = await new_user(client)
            response = await client.post("/v1/cvs", headers=headers, data={"x": "y"})
        assert response.status_code == 422
        assert response.json()["code"] == "validation_error"

    async def test_no_token_is_401(self, system: RunningSystem) -> None:
        async with system.client() as client:
            response = await upload(client, {}, txt_cv())
            bad = await upload(client, {"Authorization": "Bearer nope"}, txt_cv())
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"
        assert bad.status_code == 401

    async def test_another_users_cv_is_404(self, system: RunningSystem) -> None:
        async with system.client() as client:
            owner = await new_user(client)
            cv_id = (await upload(client, owner, txt_cv(), "cv.txt")).json()["id"]
            stranger = await new_user(client)
            theirs = await client.get(f"/v1/cvs/{cv_id}", headers=stranger)
            unknown = await client.get(f"/v1/cvs/{uuid.uuid4()}", headers=stranger)
            listing = (await client.get("/v1/cvs", headers=stranger)).json()
        assert theirs.status_code == 404
        assert theirs.json() == unknown.json()
        assert listing["total"] == 0


async def test_rejected_uploads_store_and_publish_nothing(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        for content in (b"", b"\x89PNG\r\n\x1a\n....", b"%PDF-1.4 truncated"):
            assert (await upload(client, headers, content)).status_code in (415, 422)
        # A good upload afterwards: once it is on the topic, anything earlier would be too.
        good = (await upload(client, headers, txt_cv(), "cv.txt")).json()["id"]
        await wait_for_status(client, headers, good, "scored")
    user_id = user_id_of(headers)
    async with system.db.sessions() as session:
        rows = (await session.scalars(select(Cv.id).where(Cv.user_id == user_id))).all()
    assert [str(cv_id) for cv_id in rows] == [good]
    files = list((system.settings.data_dir / "files" / "cvs" / str(user_id)).iterdir())
    assert [path.name for path in files] == [good]
    published = [
        record
        for record in await read_topic(system.settings, "cv.uploaded")
        if dict(record.headers).get("user_id") == str(user_id).encode()
    ]
    assert [json.loads(record.value)["cv_id"] for record in published] == [good]


async def test_request_id_is_kept(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        response = await upload(client, headers, txt_cv(), "cv.txt", request_id="req-abc-123")
        await wait_for_status(client, headers, response.json()["id"], "scored")
    assert response.headers["x-request-id"] == "req-abc-123"
    async with system.db.sessions() as session:
        cv = await session.get(Cv, uuid.UUID(response.json()["id"]))
        assert cv is not None
        analyses = await session.scalar(
            select(func.count()).select_from(Analysis).where(Analysis.cv_id == cv.id)
        )
    assert cv.correlation_id == "req-abc-123"
    assert analyses == 1


async def test_health_and_readiness(system: RunningSystem) -> None:
    async with system.client() as client:
        health = await client.get("/healthz")
        ready = await client.get("/readyz")
    assert health.json() == {"status": "ok"}
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"] == {
        "postgres": "ok",
        "redis": "ok",
        "kafka": "ok",
        "api": "ok",
        "relay": "ok",
        "parsing": "ok",
        "scoring": "ok",
        "export": "ok",
        "erasure": "ok",
        "report": "ok",
        "coaching": "ok",
        "billing": "ok",
        "notifications": "ok",
    }


async def test_openapi_documents_the_routes(system: RunningSystem) -> None:
    async with httpx.AsyncClient(base_url=system.base_url) as client:
        spec = (await client.get("/openapi.json")).json()
    assert {"/v1/cvs", "/v1/cvs/{cv_id}", "/v1/events", "/v1/auth/token"} <= set(spec["paths"])
