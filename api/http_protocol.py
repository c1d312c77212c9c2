"""The HTTP/1.1 protocol the API is served with: uvicorn's h11 one, with a deadline on
the request head.

uvicorn bounds the idle time between requests but not the time a client takes to send a
request line and its headers: a client trickling one header byte at a time holds a
connection (and its slot) for as long as it likes. The body has its own deadline
(``api.middleware.BodyReadTimeoutMiddleware``).
"""

from __future__ import annotations

import asyncio
import json

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

_PROBLEM = json.dumps(
    {
        "type": "about:blank",
        "status": 408,
        "code": "request_timeout",
        "title": "The request headers arrived too slowly",
    }
).encode()
_TIMED_OUT = (
    b"HTTP/1.1 408 Request Timeout\r\ncontent-type: application/problem+json\r\n"
    b"connection: close\r\ncontent-length: %d\r\n\r\n%s" % (len(_PROBLEM), _PROBLEM)
)


def head_deadline_protocol(seconds: float) -> type[H11Protocol]:
    """An h11 protocol class that closes a connection whose request head is not complete
    ``seconds`` after its first byte (or after the connection opened)."""

    class HeadDeadlineProtocol(H11Protocol):
        _head_timer: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE and self._head_timer is None:
                self._arm()
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE:
                self._disarm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._head_timer = self.loop.call_later(seconds, self._head_timed_out)

        def _disarm(self) -> None:
            if self._head_timer is not None:
                self._head_timer.cancel()
                self._head_timer = None

        def _head_timed_out(self) -> None:
            self._head_timer = None
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                # Only when nothing of a response was sent yet: between keep-alive requests
                # the first byte of the next one arms the timer again.
                if self.conn.our_state is h11.IDLE:
                    self.transport.write(_TIMED_OUT)
                self.transport.close()

    return HeadDeadlineProtocol
