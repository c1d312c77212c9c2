"""The PDF report: cv.scored → report worker → object storage → GET /v1/cvs/{id}/report.pdf."""

from __future__ import annotations

import asyncio
import uuid
from io import BytesIO

import httpx
from pypdf import PdfReader
from sqlalchemy import func, select

from consumers.context import WorkerContext
from consumers.report.service import handle_cv_scored
from infra.db.models import Cv, UserEvent
from infra.storage import make_object_store
from schemas.events import CvScored
from schemas.files import report_key
from tests.support.api import new_user, upload, user_id_of, wait_for_status
from tests.support.documents import image_only_pdf, two_column_pdf
from tests.support.sse import collect_until
from tests.support.system import RunningSystem, wait_for

JOB = "Requisitos: Python, FastAPI e Kafka. Diferenciais: Terraform."


async def _report(client: httpx.AsyncClient, headers: dict[str, str], cv_id: str) -> bytes:
    async def ready() -> bytes | None:
        response = await client.get(f"/v1/cvs/{cv_id}/report.pdf", headers=headers)
        if response.status_code == 404 and response.json()["code"] == "report_not_ready":
            return None
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/pdf"
        return response.content

    return await wait_for(ready, timeout=15, what=f"the report of {cv_id}")


async def test_a_scored_cv_gets_its_report_in_its_language(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        async with client.stream("GET", "/v1/events", headers=headers) as stream:
            cv_id = (await upload(client, headers, two_column_pdf(), job_description=JOB)).json()[
                "id"
            ]
            events = await collect_until(
                stream, lambda evs: any(e.event == "report.ready" for e in evs)
            )
        cv = await wait_for_status(client, headers, cv_id, "scored")
        pdf = await _report(client, headers, cv_id)

    ready = next(e for e in events if e.event == "report.ready")
    assert {k: ready.data[k] for k in ("cv_id", "analysis_version", "url")} == {
        "cv_id": cv_id,
        "analysis_version": 1,
        "url": f"/v1/cvs/{cv_id}/report.pdf",
    }
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    assert "Relatório da análise do currículo" in text
    assert str(cv["analysis"]["score"]) in text
    assert "Aderência à vaga" in text
    assert cv["analysis"]["contact"]["email"] not in text
    # At rest the report is sealed with the user's key, like the CV file it quotes.
    stored = await make_object_store(system.settings).get(
        report_key(user_id_of(headers), uuid.UUID(cv_id), 1)
    )
    assert pdf.startswith(b"%PDF-")
    assert not stored.startswith(b"%PDF-")
    assert b"Relat" not in stored


async def test_a_new_analysis_version_waits_for_its_own_report(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, two_column_pdf())).json()["id"]
        first = await _report(client, headers, cv_id)
        response = await client.post(
            f"/v1/cvs/{cv_id}/match", json={"job_description": JOB}, headers=headers
        )
        assert response.status_code == 202

        async def second() -> bytes | None:
            pdf = await _report(client, headers, cv_id)
            return pdf if pdf != first else None

        matched = await wait_for(second, timeout=15, what="the report of version 2")
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(matched)).pages)
    assert "Análise versão 2" in text


async def test_report_refusals(system: RunningSystem) -> None:
    async with system.client() as client:
        owner = await new_user(client)
        other = await new_user(client)
        failed = (await upload(client, owner, image_only_pdf())).json()["id"]
        await wait_for_status(client, owner, failed, "failed")
        scored = (await upload(client, owner, two_column_pdf())).json()["id"]
        await _report(client, owner, scored)

        not_analysed = await client.get(f"/v1/cvs/{failed}/report.pdf", headers=owner)
        someone_elses = await client.get(f"/v1/cvs/{scored}/report.pdf", headers=other)
        unknown = await client.get(f"/v1/cvs/{uuid.uuid4()}/report.pdf", headers=owner)
        anonymous = await client.get(f"/v1/cvs/{scored}/report.pdf")

    assert (not_analysed.status_code, not_analysed.json()["code"]) == (404, "report_not_ready")
    assert (someone_elses.status_code, someone_elses.json()["code"]) == (404, "not_found")
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")


async def test_the_same_message_twice_reports_once(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, two_column_pdf())).json()["id"]
        await _report(client, headers, cv_id)
    async with system.db.sessions() as session:
        cv = await session.get(Cv, uuid.UUID(cv_id))
    assert cv is not None
    event = CvScored(
        correlation_id="dup-report",
        user_id=cv.user_id,
        cv_id=cv.id,
        analysis_version=1,
        score=50,
        provider="offline",
    )
    ctx = WorkerContext.from_settings(system.settings)
    try:
        await asyncio.gather(*(handle_cv_scored(ctx, event) for _ in range(3)))
        await handle_cv_scored(ctx, event)
        # A version that does not exist is recorded as handled and reports nothing.
        await handle_cv_scored(ctx, event.model_copy(update={"analysis_version": 99}))
    finally:
        await ctx.close()
    async with system.db.sessions() as session:
        reported = await session.scalar(
            select(func.count())
            .select_from(UserEvent)
            .where(UserEvent.data["cv_id"].astext == cv_id, UserEvent.type == "report.ready")
        )
    assert reported == 2  # the pipeline's own, and exactly one for the repeated message
