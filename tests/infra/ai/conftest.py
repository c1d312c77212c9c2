"""The fake Gemini server (one per session) and a client pointed at it, with short
timeouts and backoffs so failure paths stay fast."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import SecretStr

from consumers.parsing.parser import parse_cv
from infra.ai.gemini import GeminiClient
from infra.settings import GeminiSettings
from schemas.cv import ParsedCv
from tests.support.fake_gemini import FakeGemini, running_fake_gemini, valid_reply

API_KEY = "test-key-do-not-log-0123"
MODEL = "gemini-test"
TIMEOUT_SECONDS = 0.5
ATTEMPTS = 3
BREAKER_FAILURES = 3

PT_CV_TEXT = """\
MARIANA COSTA OLIVEIRA
Analista de Dados Pleno
Belo Horizonte - MG | (31) 99876-5432 | mariana.oliveira@email.com.br
linkedin.com/in/marianaoliveira

RESUMO
Analista de dados com 5 anos de experiência em varejo e logística, com foco em
automação de relatórios, modelagem de dados e indicadores de desempenho.

EXPERIÊNCIA PROFISSIONAL
Analista de Dados Pleno – Rede Mineira de Supermercados S.A.
mar/2021 – atual
• Automatizei o fechamento mensal de vendas em Python, reduzindo o prazo de 5 para 2 dias.
• Desenvolvi painéis no Power BI usados por 40 gerentes de loja.
• Responsável pela manutenção das bases de dados de estoque.

Assistente de BI | TransLog Transportes Ltda
02/2019 - 02/2021
• Criei consultas SQL para acompanhamento de entregas e devoluções.
• Apoiei a equipe comercial com planilhas de metas em Excel.

FORMAÇÃO ACADÊMICA
Bacharelado em Sistemas de Informação
Pontifícia Universidade Católica de Minas Gerais (PUC Minas)
2014 - 2018

HABILIDADES
Python, SQL, Power BI, Excel, pandas, PostgreSQL, Git

IDIOMAS
Inglês intermediário
"""

JOB_DESCRIPTION = (
    "Vaga: Analista de Dados Sênior. Requisitos: Python, SQL, Power BI, dbt, Airflow, "
    "experiência com modelagem dimensional e comunicação com áreas de negócio."
)


@pytest.fixture(scope="session")
def fake_gemini_server() -> Iterator[FakeGemini]:
    with running_fake_gemini() as fake:
        yield fake


@pytest.fixture
def fake_gemini(fake_gemini_server: FakeGemini) -> FakeGemini:
    """The session's fake, answering valid replies and with no requests recorded."""
    fake_gemini_server.script(valid_reply())
    return fake_gemini_server


@pytest.fixture
def gemini_settings(fake_gemini: FakeGemini) -> GeminiSettings:
    return GeminiSettings(
        api_key=SecretStr(API_KEY),
        model=MODEL,
        base_url=fake_gemini.base_url,
        api_version="v1beta",
        timeout_seconds=TIMEOUT_SECONDS,
        attempts=ATTEMPTS,
        backoff_seconds=0.01,
        backoff_max_seconds=0.05,
        breaker_failures=BREAKER_FAILURES,
        breaker_reset_seconds=30.0,
    )


@pytest.fixture
async def gemini_client(gemini_settings: GeminiSettings) -> AsyncIterator[GeminiClient]:
    client = GeminiClient(gemini_settings)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def pt_cv() -> ParsedCv:
    return parse_cv(PT_CV_TEXT)
