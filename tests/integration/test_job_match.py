"""Matching a CV against a job description, at upload and afterwards."""

from __future__ import annotations

from typing import Any

from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import image_only_pdf, two_column_pdf
from tests.support.system import RunningSystem, wait_for

JOB = (
    "Vaga: Desenvolvedor Backend Python Sênior. Requisitos: Python, FastAPI, PostgreSQL, "
    "Kafka, Docker, Kubernetes, AWS e Terraform. Desejável: experiência com Go e gRPC."
)


async def test_job_description_at_upload_gives_a_match(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, two_column_pdf(), job_description=JOB)).json()["id"]
        cv = await wait_for_status(client, headers, cv_id, "scored")
    match = cv["analysis"]["job_match"]
    assert cv["has_job_description"] is True
    assert {"Python", "FastAPI", "PostgreSQL", "Kafka"} <= set(match["matched"])
    assert "Terraform" in match["missing"]
    assert 0 < match["score"] < 100


async def test_match_afterwards_adds_an_analysis_version(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        cv_id = (await upload(client, headers, two_column_pdf())).json()["id"]
        first = await wait_for_status(client, headers, cv_id, "scored")
        assert first["analysis"]["job_match"] is None

        response = await client.post(
            f"/v1/cvs/{cv_id}/match", json={"job_description": JOB}, headers=headers
        )
        assert response.status_code == 202, response.text

        async def second() -> dict[str, Any] | None:
            body: dict[str, Any] = (await client.get(f"/v1/cvs/{cv_id}", headers=headers)).json()
            return body if body["analysis_version"] == 2 else None

        cv = await wait_for(second, timeout=15, what="the matched analysis")
    assert cv["status"] == "scored"
    assert "Terraform" in cv["analysis"]["job_match"]["missing"]


async def test_match_refusals(system: RunningSystem) -> None:
    async with system.client() as client:
        owner = await new_user(client)
        failed = (await upload(client, owner, image_only_pdf())).json()["id"]
        await wait_for_status(client, owner, failed, "failed")
        not_ready = await client.post(
            f"/v1/cvs/{failed}/match", json={"job_description": JOB}, headers=owner
        )
        too_short = await client.post(
            f"/v1/cvs/{failed}/match", json={"job_description": "Python"}, headers=owner
        )
        stranger = await new_user(client)
        theirs = await client.post(
            f"/v1/cvs/{failed}/match", json={"job_description": JOB}, headers=stranger
        )
    assert not_ready.status_code == 409
    assert not_ready.json()["code"] == "cv_not_ready"
    assert too_short.status_code == 422
    assert theirs.status_code == 404
