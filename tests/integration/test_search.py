"""GET /v1/cvs?q=...: full-text search over the caller's own analysed CVs."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import new_user, upload, wait_for_status
from tests.support.documents import CV_PT_LEFT, CV_PT_RIGHT, txt_cv
from tests.support.system import RunningSystem

DATA_CV = [
    "Maria Gestão Souza",
    "maria.souza@example.com",
    "Skills",
    "Tableau, Power BI, SQL",
    "Experience",
    "Data Analyst at Ambev Tech",
    "Jan 2020 - Present",
    "- Built dashboards.",
]


async def _search(
    client: httpx.AsyncClient, headers: dict[str, str], q: str, **params: Any
) -> dict[str, Any]:
    response = await client.get("/v1/cvs", params={"q": q, **params}, headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _scored(client: httpx.AsyncClient, headers: dict[str, str], lines: list[str]) -> str:
    cv_id: str = (await upload(client, headers, txt_cv(lines), "cv.txt", "text/plain")).json()["id"]
    await wait_for_status(client, headers, cv_id, "scored")
    return cv_id


async def test_finds_own_cvs_by_skill_title_and_company(system: RunningSystem) -> None:
    async with system.client() as client:
        owner = await new_user(client)
        other = await new_user(client)
        backend = await _scored(client, owner, CV_PT_LEFT + CV_PT_RIGHT)
        data = await _scored(client, owner, DATA_CV)
        await _scored(client, other, DATA_CV)

        by_skill = await _search(client, owner, "kafka")
        # Employers are sealed at rest as identifying, and stay out of the index.
        by_company = await _search(client, owner, "Nubank")
        # Portuguese stemming and folded accents: "desenvolvedores" / "sênior".
        by_title = await _search(client, owner, "desenvolvedores senior")
        by_english_stem = await _search(client, owner, "analysts")
        both = await _search(client, owner, "sql or kafka")
        nothing = await _search(client, owner, "cobol")
        others = await _search(client, other, "kafka")

    assert [i["id"] for i in by_skill["items"]] == [backend]
    assert by_skill["total"] == 1
    assert by_skill["items"][0]["score"] is not None
    assert by_company["total"] == 0
    assert [i["id"] for i in by_title["items"]] == [backend]
    assert [i["id"] for i in by_english_stem["items"]] == [data]
    assert {i["id"] for i in both["items"]} == {backend, data}
    assert nothing == {"items": [], "total": 0, "limit": 20, "offset": 0}
    assert others["items"] == []


async def test_contact_fields_and_raw_text_are_not_searchable(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        await _scored(client, headers, DATA_CV)

        by_name = await _search(client, headers, "Maria Souza")
        by_email = await _search(client, headers, "maria.souza@example.com")
        by_bullet = await _search(client, headers, "dashboards")

    assert by_name["total"] == by_email["total"] == by_bullet["total"] == 0


async def test_search_is_ranked_and_paginated(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        # Kafka as a skill and in the job title outranks Kafka as a skill alone.
        plain = await _scored(client, headers, [*DATA_CV, "Kafka"])
        strong = await _scored(
            client,
            headers,
            ["Ana Lima", "Skills", "Kafka, Kafka Streams", "Experience",
             "Kafka Engineer at Kafka Labs", "Jan 2021 - Present"],
        )  # fmt: skip
        first = await _search(client, headers, "kafka", limit=1)
        second = await _search(client, headers, "kafka", limit=1, offset=1)

    assert first["total"] == second["total"] == 2
    assert [first["items"][0]["id"], second["items"][0]["id"]] == [strong, plain]


async def test_search_refusals(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        too_long = await client.get("/v1/cvs", params={"q": "x" * 201}, headers=headers)
        anonymous = await client.get("/v1/cvs", params={"q": "kafka"})
        odd = await _search(client, headers, "!!! & | ( :*")
        control = await _search(client, headers, "aj\x00\x1e1q\x03")
        blank = await _search(client, headers, "   ")

    assert (too_long.status_code, too_long.json()["code"]) == (422, "validation_error")
    assert (anonymous.status_code, anonymous.json()["code"]) == (401, "not_authenticated")
    assert odd["total"] == 0
    assert control["total"] == 0
    assert blank["total"] == 0  # a blank query is the plain list: this user has no CVs
