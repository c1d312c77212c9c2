"""The parse budget: a hostile file ends with a clear outcome, never a held worker."""

import pytest

from consumers.parsing import sandbox as sandbox_module
from consumers.parsing.errors import FILE_TOO_COMPLEX, ParseError
from consumers.parsing.sandbox import ParseSandbox, SandboxUnavailableError
from schemas.files import FileKind
from tests.consumers.parsing.hostile import hostile_texts
from tests.consumers.parsing.samples import PT_CV

# Generous: a linear parse of any of these takes well under a second; the quadratic
# stages they used to hit took 10 s to forever.
BUDGET_S = 30.0


@pytest.fixture(scope="module")
def sandbox():
    box = ParseSandbox(timeout_seconds=BUDGET_S, memory_bytes=1536 * 1024 * 1024)
    yield box
    box.close()


async def test_a_normal_cv_parses_in_the_sandbox(sandbox):
    parsed = await sandbox.parse(PT_CV.encode(), FileKind.TXT)

    assert parsed.contact.email == "joao.santos@email.com.br"
    assert "Python" in parsed.skills


@pytest.mark.parametrize("name", list(hostile_texts()))
async def test_hostile_text_is_parsed_within_the_budget(sandbox, name):
    data = hostile_texts()[name]

    parsed = await sandbox.parse(data, FileKind.TXT)

    # Bounded, not refused: the text kept is a CV's worth.
    assert len(parsed.text) <= 120_000


async def test_a_parse_past_the_deadline_is_killed_and_the_next_one_works():
    box = ParseSandbox(timeout_seconds=0.001, memory_bytes=0)
    try:
        with pytest.raises(ParseError) as caught:
            await box.parse(hostile_texts()["10 MiB over many lines"], FileKind.TXT)
        assert caught.value.code == FILE_TOO_COMPLEX
        assert not box._idle  # the child that overran was killed, not kept

        box.timeout_seconds = BUDGET_S
        parsed = await box.parse(PT_CV.encode(), FileKind.TXT)
        assert parsed.contact.name == "João da Silva Santos"
    finally:
        box.close()


async def test_a_parser_out_of_memory_fails_the_document_not_the_worker():
    # Under an address-space limit below the child's own footprint, every new allocation
    # fails (receiving a 10 MiB file first): the document fails, the worker does not.
    box = ParseSandbox(timeout_seconds=BUDGET_S, memory_bytes=32 * 1024 * 1024)
    try:
        with pytest.raises(ParseError) as caught:
            await box.parse(hostile_texts()["10 MiB over many lines"], FileKind.TXT)
        assert caught.value.code == FILE_TOO_COMPLEX
    finally:
        box.close()


async def test_warmed_children_serve_the_first_documents():
    box = ParseSandbox(timeout_seconds=BUDGET_S, memory_bytes=0, processes=2)
    try:
        await box.warm()
        started = {child.process.pid for child in box._idle}
        assert len(started) == 2
        assert all(child.process.is_alive() for child in box._idle)
        await box.warm()  # already warm: nothing more is started
        assert {child.process.pid for child in box._idle} == started

        parsed = await box.parse(PT_CV.encode(), FileKind.TXT)

        assert parsed.contact.email == "joao.santos@email.com.br"
        assert {child.process.pid for child in box._idle} == started
    finally:
        box.close()


async def test_a_child_that_does_not_start_is_the_workers_error_not_the_documents(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No time to read the warm-up sample: the child never says it is ready.
    monkeypatch.setattr(sandbox_module, "_START_SECONDS", 0.0)
    box = ParseSandbox(timeout_seconds=BUDGET_S, memory_bytes=0)
    try:
        with pytest.raises(SandboxUnavailableError):
            await box.parse(PT_CV.encode(), FileKind.TXT)
        assert not box._idle
    finally:
        box.close()


async def test_started_children_have_read_the_warm_up_sample() -> None:
    box = ParseSandbox(timeout_seconds=BUDGET_S, memory_bytes=0)
    try:
        await box.warm()
        assert box.sample is not None
        assert box.sample.contact.name == "Ana Souza Lima"
    finally:
        box.close()
