"""A local fake of the Stripe REST API, for running the real ``stripe`` SDK in tests.

It serves, from a background thread (uvicorn + starlette), the few endpoints we call:
``POST /v1/checkout/sessions`` (idempotent by ``Idempotency-Key``), ``POST
/v1/billing_portal/sessions``, ``GET /v1/invoices?customer=``, ``GET
/v1/subscriptions/{id}``, ``GET /v1/subscriptions?customer=&status=``, ``GET`` and
``DELETE /v1/customers/{id}``. Objects live in an in-memory store tests fill with
``put_customer`` / ``put_subscription`` / ``put_invoice`` (see ``stripe_objects``).
Errors come in Stripe's ``{"error": {...}}`` shape; ``fake.outage(503)`` makes it answer
every request (or the next ``times``) with a server error, ``fake.reject(code, message)``
refuses the next one as invalid. Every request is recorded.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support import stripe_objects
from tests.support.served_app import ServedApp


def sign(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    """A ``Stripe-Signature`` header for ``payload`` as Stripe would send it."""
    return stripe.WebhookSignature.generate_signature_header(
        payload.decode("utf-8"), secret, timestamp=timestamp
    )


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    params: dict[str, str]  # form body or query string, keys as sent: "metadata[user_id]"
    headers: dict[str, str]  # lower-case names

    @property
    def idempotency_key(self) -> str | None:
        return self.headers.get("idempotency-key")


@dataclass
class _Failure:
    status: int
    remaining: int | None  # None: until cleared
    code: str | None = None
    message: str = "An unknown error occurred"
    type: str = "api_error"


@dataclass
class _State:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: list[RecordedRequest] = field(default_factory=list)
    customers: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    invoices: dict[str, dict[str, Any]] = field(default_factory=dict)
    checkout_sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_idempotency_key: dict[str, dict[str, Any]] = field(default_factory=dict)
    failure: _Failure | None = None


def _nested(params: dict[str, str], prefix: str) -> dict[str, str]:
    """``metadata[user_id]=x`` → ``{"user_id": "x"}`` for ``prefix="metadata"``."""
    start = f"{prefix}["
    return {
        key[len(start) : -1]: value
        for key, value in params.items()
        if key.startswith(start) and key.endswith("]") and "[" not in key[len(start) : -1]
    }


def error_body(status: int, code: str | None, message: str, type: str = "invalid_request_error"):
    return JSONResponse(
        {
            "error": {
                "type": type,
                "code": code,
                "message": message,
                "request_log_url": "https://dashboard.stripe.test/logs/req_fake",
            }
        },
        status_code=status,
        headers={"request-id": f"req_{secrets.token_hex(7)}"},
    )


def _missing(kind: str, id: str) -> JSONResponse:
    return error_body(404, "resource_missing", f"No such {kind}: '{id}'")


def _list(url: str, data: list[dict[str, Any]]) -> JSONResponse:
    return JSONResponse({"object": "list", "data": data, "has_more": False, "url": url})


class FakeStripe:
    def __init__(self) -> None:
        self._state = _State()
        self._served: ServedApp | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._state.lock:
            return list(self._state.requests)

    def forget_requests(self) -> None:
        with self._state.lock:
            self._state.requests.clear()

    # The store. Objects are copied in and out: a test changes one by putting it again.
    def put_customer(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self._state.lock:
            self._state.customers[obj["id"]] = copy.deepcopy(obj)
        return obj

    def put_subscription(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self._state.lock:
            self._state.subscriptions[obj["id"]] = copy.deepcopy(obj)
        return obj

    def put_invoice(self, obj: dict[str, Any]) -> dict[str, Any]:
        with self._state.lock:
            self._state.invoices[obj["id"]] = copy.deepcopy(obj)
        return obj

    @property
    def customers(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return copy.deepcopy(self._state.customers)

    @property
    def subscriptions(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return copy.deepcopy(self._state.subscriptions)

    @property
    def invoices(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return copy.deepcopy(self._state.invoices)

    @property
    def checkout_sessions(self) -> dict[str, dict[str, Any]]:
        with self._state.lock:
            return copy.deepcopy(self._state.checkout_sessions)

    def outage(self, status: int = 503, *, times: int | None = None) -> None:
        """Answer the next ``times`` requests (every one, if None) with ``status``."""
        with self._state.lock:
            self._state.failure = _Failure(status, times)

    def reject(self, code: str, message: str, *, status: int = 400, times: int | None = 1) -> None:
        """Refuse the next ``times`` requests as Stripe refuses an invalid one."""
        with self._state.lock:
            self._state.failure = _Failure(
                status, times, code=code, message=message, type="invalid_request_error"
            )

    def recover(self) -> None:
        with self._state.lock:
            self._state.failure = None

    # Serving.
    async def _record(self, request: Request) -> tuple[RecordedRequest, Response | None]:
        raw = (await request.body()).decode("utf-8")
        params = dict(parse_qsl(raw or request.url.query, keep_blank_values=True))
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            params=params,
            headers={k.lower(): v for k, v in request.headers.items()},
        )
        with self._state.lock:
            self._state.requests.append(recorded)
            failure = self._state.failure
            if failure is not None:
                if failure.remaining is not None:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._state.failure = None
                return recorded, error_body(
                    failure.status, failure.code, failure.message, type=failure.type
                )
        if not recorded.headers.get("authorization", "").startswith("Bearer "):
            return recorded, error_body(401, None, "You did not provide an API key.")
        return recorded, None

    async def _checkout_session(self, request: Request) -> Response:
        recorded, failure = await self._record(request)
        if failure is not None:
            return failure
        p = recorded.params
        key = recorded.idempotency_key
        with self._state.lock:
            if key and key in self._state.by_idempotency_key:
                return JSONResponse(
                    self._state.by_idempotency_key[key], headers={"idempotent-replayed": "true"}
                )
        for required in ("mode", "success_url", "line_items[0][price]"):
            if required not in p:
                return error_body(400, "parameter_missing", f"Missing required param: {required}.")
        customer = p.get("customer")
        if customer is not None and customer not in self.customers:
            return _missing("customer", customer)
        session = stripe_objects.checkout_session(
            client_reference_id=p.get("client_reference_id"),
            customer=customer,
            subscription=None,
            payment_status="unpaid",
            metadata=_nested(p, "metadata"),
            currency=p.get("currency", "brl"),
            customer_email=p.get("customer_email"),
            success_url=p["success_url"],
            cancel_url=p.get("cancel_url", ""),
        )
        session["locale"] = p.get("locale")
        session["payment_method_types"] = [
            v for k, v in sorted(p.items()) if k.startswith("payment_method_types[")
        ] or ["card"]
        with self._state.lock:
            self._state.checkout_sessions[session["id"]] = session
            if key:
                self._state.by_idempotency_key[key] = session
        return JSONResponse(session)

    async def _portal_session(self, request: Request) -> Response:
        recorded, failure = await self._record(request)
        if failure is not None:
            return failure
        customer = recorded.params.get("customer")
        if not customer:
            return error_body(400, "parameter_missing", "Missing required param: customer.")
        if customer not in self.customers:
            return _missing("customer", customer)
        session_id = f"bps_{secrets.token_hex(12)}"
        return JSONResponse(
            {
                "id": session_id,
                "object": "billing_portal.session",
                "configuration": "bpc_1Pgc7HB7WZ01zgkWxH2EPWRX",
                "created": int(time.time()),
                "customer": customer,
                "flow": None,
                "livemode": False,
                "locale": None,
                "on_behalf_of": None,
                "return_url": recorded.params.get("return_url"),
                "url": f"https://billing.stripe.test/p/session/{session_id}",
            }
        )

    async def _invoices(self, request: Request) -> Response:
        recorded, failure = await self._record(request)
        if failure is not None:
            return failure
        customer = recorded.params.get("customer")
        limit = int(recorded.params.get("limit", "10"))
        found = sorted(
            (i for i in self.invoices.values() if customer is None or i["customer"] == customer),
            key=lambda i: i["created"],
            reverse=True,
        )
        return _list("/v1/invoices", found[:limit])

    async def _subscription(self, request: Request) -> Response:
        _, failure = await self._record(request)
        if failure is not None:
            return failure
        sub_id = request.path_params["id"]
        found = self.subscriptions.get(sub_id)
        return JSONResponse(found) if found else _missing("subscription", sub_id)

    async def _subscriptions(self, request: Request) -> Response:
        recorded, failure = await self._record(request)
        if failure is not None:
            return failure
        customer = recorded.params.get("customer")
        status = recorded.params.get("status")
        found = [
            s
            for s in self.subscriptions.values()
            if (customer is None or s["customer"] == customer)
            and (
                status == "all"
                or (status is None and s["status"] != "canceled")
                or s["status"] == status
            )
        ]
        return _list("/v1/subscriptions", found)

    async def _customer(self, request: Request) -> Response:
        _, failure = await self._record(request)
        if failure is not None:
            return failure
        customer_id = request.path_params["id"]
        with self._state.lock:
            found = self._state.customers.get(customer_id)
            if found is None:
                return _missing("customer", customer_id)
            if request.method == "GET":
                return JSONResponse(found)
            del self._state.customers[customer_id]
            for sub in self._state.subscriptions.values():
                if sub["customer"] == customer_id and sub["status"] != "canceled":
                    sub["status"] = "canceled"
                    sub["canceled_at"] = sub["ended_at"] = int(time.time())
        return JSONResponse({"id": customer_id, "object": "customer", "deleted": True})

    async def _not_faked(self, request: Request) -> Response:
        await self._record(request)
        return error_body(
            404, None, f"Unrecognized request URL ({request.method}: {request.url.path})."
        )

    def start(self, timeout: float = 10.0, port: int = 0) -> None:
        app = Starlette(
            routes=[
                Route("/v1/checkout/sessions", self._checkout_session, methods=["POST"]),
                Route("/v1/billing_portal/sessions", self._portal_session, methods=["POST"]),
                Route("/v1/invoices", self._invoices, methods=["GET"]),
                Route("/v1/subscriptions", self._subscriptions, methods=["GET"]),
                Route("/v1/subscriptions/{id}", self._subscription, methods=["GET"]),
                Route("/v1/customers/{id}", self._customer, methods=["GET", "DELETE"]),
                Route("/{rest:path}", self._not_faked, methods=["GET", "POST", "DELETE", "PATCH"]),
            ]
        )
        self._served = ServedApp(app, "Stripe", timeout=timeout, port=port)
        self.port = self._served.port

    def stop(self) -> None:
        if self._served is None:
            return
        self._served.stop()
        self._served = None


@contextmanager
def running_fake_stripe(port: int = 0) -> Iterator[FakeStripe]:
    fake = FakeStripe()
    fake.start(port=port)
    try:
        yield fake
    finally:
        fake.stop()
