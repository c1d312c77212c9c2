"""No log line, in either renderer, carries CV text, personal data, passwords or tokens.

The pipeline and its failure paths run with known values; every line the process logs
meanwhile (ours, uvicorn's, the broker client's) is rendered as in development and as
in production, then searched for them.
"""

from __future__ import annotations

import io
import logging
import uuid
from collections.abc import Iterator

import pytest

from infra.logging import build_formatter
from tests.consumers.parsing.factories import one_column_pdf
from tests.consumers.parsing.test_hostile_pdf import _next_chain, _pdf_from
from tests.support.api import upload, wait_for_status
from tests.support.system import RunningSystem

PROBE = uuid.uuid4().hex[:10]
EMAIL = f"zuleica.{PROBE}@example.com"
NAME = "Zuleica Quintanilha Probatória"
PHONE = "(11) 97654-3210"
PASSWORD = f"sonda-{PROBE}-password"
JOB_MARKER = f"VAGASONDA{PROBE}"

CV = f"""{NAME}
Analista de Dados | São Paulo - SP | {PHONE} | {EMAIL}

EXPERIÊNCIA
Analista de Dados – Empresa Exemplo Ltda
jan/2020 – atual
• Painéis em Power BI e rotinas em Python e SQL.

FORMAÇÃO
Bacharelado em Estatística – USP
2015 - 2019

HABILIDADES
Python, SQL, Power BI
"""


@pytest.fixture
def rendered() -> Iterator[list[io.StringIO]]:
    outputs = [io.StringIO(), io.StringIO()]
    handlers = []
    for out, json in zip(outputs, (False, True), strict=True):
        handler = logging.StreamHandler(out)
        handler.setFormatter(build_formatter(json=json))
        handlers.append(handler)
    root = logging.getLogger()
    previous = root.level
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    quiet = {name: logging.getLogger(name).level for name in ("aiokafka", "sqlalchemy.pool")}
    for name in quiet:
        logging.getLogger(name).setLevel(logging.INFO)
    yield outputs
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(previous)
    for name, level in quiet.items():
        logging.getLogger(name).setLevel(level)


async def test_no_personal_data_or_secret_reaches_a_log_line(
    system: RunningSystem, rendered: list[io.StringIO]
) -> None:
    async with system.client() as client:
        assert (
            await client.post("/v1/auth/register", json={"email": EMAIL, "password": PASSWORD})
        ).status_code == 201
        taken = await client.post("/v1/auth/register", json={"email": EMAIL, "password": PASSWORD})
        wrong = await client.post(
            "/v1/auth/token", data={"username": EMAIL, "password": "nope-nope"}
        )
        tokens = (
            await client.post("/v1/auth/token", data={"username": EMAIL, "password": PASSWORD})
        ).json()
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        forged = await client.get(
            "/v1/cvs", headers={"Authorization": f"Bearer {tokens['access_token']}x"}
        )
        job = f"Vaga de analista de dados com Python e SQL. {JOB_MARKER}"
        good = await upload(client, headers, CV.encode(), "cv.txt", "text/plain", job)
        unsafe = await upload(
            client, headers, _pdf_from(one_column_pdf(CV.split("\n")), _next_chain)
        )
        nul = await upload(client, headers, CV.encode(), "cv.txt", "text/plain", job + "\x00")
        await wait_for_status(client, headers, good.json()["id"], "scored", timeout=60)
        await wait_for_status(client, headers, unsafe.json()["id"], "failed", timeout=60)
        await client.post("/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        reused = await client.post(
            "/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
        )
    assert (taken.status_code, wrong.status_code, forged.status_code) == (409, 401, 401)
    assert (nul.status_code, reused.status_code) == (422, 401)

    console, json = (out.getvalue() for out in rendered)
    for text in (console, json):
        assert "cv parsed" in text  # the pipeline's lines were captured
        secrets = {
            "e-mail": EMAIL,
            "e-mail user": f"zuleica.{PROBE}",
            "name": "Quintanilha",
            "phone": "97654",
            "password": PASSWORD,
            "job description": JOB_MARKER,
            "access token": tokens["access_token"].split(".")[2],
            "refresh token": tokens["refresh_token"].split(".")[2],
        }
        leaked = {what for what, value in secrets.items() if value in text}
        assert not leaked, f"leaked into the logs: {sorted(leaked)}"
