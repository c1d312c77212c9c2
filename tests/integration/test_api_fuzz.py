"""Schemathesis over the OpenAPI document, with a valid token: no failure of any check.

Every operation gets a bounded number of generated requests (valid and invalid); each
response must be a documented status with a documented content type and body, and no
request may get a server error.
"""

from __future__ import annotations

import asyncio
from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.support.api import new_user
from tests.support.system import RunningSystem

EXAMPLES_PER_OPERATION = 15
# Rules a JSON schema cannot state, so a schema-valid request may rightly be refused:
# an upload's file is judged by its content (PNG bytes are a 415), and an e-mail address
# must have a real domain (".test" is reserved), a coach message must say something once
# its surrounding blanks are gone (and stay under its cap).
# An event stream with a valid token never ends by design; it has its own tests.
# Logging out ends the session every other operation here runs with; it has its own tests.
_STREAMS = {"GET /v1/events"}
_ENDS_THE_SESSION = {"POST /v1/auth/logout"}
_CONTENT_RULES = {
    "POST /v1/cvs",
    "POST /v1/auth/register",
    "POST /v1/coach/sessions/{coach_session_id}/messages",
    "POST /webhooks/stripe",
    "GET /v1/notifications/unsubscribe",
    "POST /v1/notifications/unsubscribe",
    "GET /v1/auth/verify",
    "PUT /v1/me/notifications",
}
# A Stripe webhook, an unsubscribe and a verification link are judged by their signatures (a 400
# otherwise); notification choices name known categories, some not optional (422/409).
# Payments are not configured in the suite's system, so these answer 503
# billing_unavailable by design; tests/integration/test_billing_stripe.py runs them
# against the fake Stripe.
_NOT_CONFIGURED = {
    "POST /v1/billing/checkout",
    "POST /v1/billing/portal",
    "GET /v1/billing/invoices",
}


_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _checker(base_url: str, headers: dict[str, str], excluded: list[Any]) -> Any:
    def check(case: Any) -> None:
        response = case.call(base_url=base_url, headers=headers, timeout=10)
        case.validate_response(response, headers=headers, excluded_checks=excluded)

    return check


def _fuzz(openapi: dict[str, Any], base_url: str, headers: dict[str, str]) -> dict[str, str]:
    schema = schemathesis.openapi.from_dict(openapi)
    failures: dict[str, str] = {}
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        if operation.label in _STREAMS or operation.label in _ENDS_THE_SESSION:
            continue
        excluded = [positive_data_acceptance] if operation.label in _CONTENT_RULES else []
        if operation.label in _NOT_CONFIGURED:
            excluded.append(not_a_server_error)

        check = _checker(base_url, headers, excluded)
        try:
            _SETTINGS(given(case=operation.as_strategy())(check))()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # failure groups too: one run reports every operation
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    return failures


async def test_schemathesis_finds_no_failure(system: RunningSystem) -> None:
    async with system.client() as client:
        headers = await new_user(client)
        openapi = (await client.get("/openapi.json")).json()

    failures = await asyncio.to_thread(_fuzz, openapi, system.base_url, headers)

    assert not failures, "\n\n".join(f"{op}: {error}" for op, error in failures.items())
