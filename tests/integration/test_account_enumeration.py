"""Log-in tells nobody whether an address has an account: same answer, same time."""

from __future__ import annotations

import statistics
import time

import httpx

from infra.settings import Settings
from tests.support.asgi import api_clients
from tests.support.identity import Account, log_in, new_email, register

WRONG = "not the password at all"
# Headers that differ between any two answers, enumeration or not.
_PER_RESPONSE = {"x-request-id", "date", "content-length"}


def _shape(response: httpx.Response) -> tuple[int, dict[str, str], object]:
    headers = {k: v for k, v in response.headers.items() if k not in _PER_RESPONSE}
    return response.status_code, headers, response.json()


async def _timed(client: httpx.AsyncClient, account: Account) -> tuple[float, httpx.Response]:
    started = time.perf_counter()
    response = await log_in(client, account, WRONG)
    return time.perf_counter() - started, response


async def test_unknown_address_and_wrong_password_answer_alike_in_similar_time(
    settings: Settings,
) -> None:
    async with api_clients(settings) as client_from:
        client = client_from("10.9.0.1")
        known = await register(client)
        await _timed(client, Account(email=new_email()))  # the first call warms up the pools
        known_times, unknown_times = [], []
        known_answers, unknown_answers = [], []
        # Interleaved, so a busy moment of the machine falls on both sides.
        for _ in range(8):
            elapsed, answer = await _timed(client, known)
            known_times.append(elapsed)
            known_answers.append(answer)
            elapsed, answer = await _timed(client, Account(email=new_email()))
            unknown_times.append(elapsed)
            unknown_answers.append(answer)
    assert {_shape(a)[0] for a in known_answers + unknown_answers} == {401}
    assert _shape(known_answers[0]) == _shape(unknown_answers[0])
    known_median = statistics.median(known_times)
    unknown_median = statistics.median(unknown_times)
    # Both pay one full password hash (a dummy one for an unknown address): tens of ms
    # each; a missing hash on one side would make it several times faster.
    assert 0.6 < unknown_median / known_median < 1.6, (known_times, unknown_times)
