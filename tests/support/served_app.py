"""An ASGI app served by uvicorn on a free local port from a daemon thread, so that a
real SDK in a test talks HTTP to a fake of its service (fake_stripe, fake_gemini)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable

import uvicorn
from starlette.types import ASGIApp


class ServedApp:
    def __init__(
        self,
        app: ASGIApp,
        what: str,
        *,
        timeout: float = 10.0,
        on_loop: Callable[[], None] | None = None,
        port: int = 0,
    ) -> None:
        """Serve ``app`` and return once it accepts connections; ``on_loop`` runs first on
        the server's own event loop (for what must be made there, like an asyncio.Event)."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # 0 picks a free port; a fixed one is for a server started before the fake.
        sock.bind(("127.0.0.1", port))
        self.port: int = sock.getsockname()[1]
        self._loop: asyncio.AbstractEventLoop | None = None
        config = uvicorn.Config(
            app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = server = uvicorn.Server(config)

        async def serve() -> None:
            self._loop = asyncio.get_running_loop()
            if on_loop is not None:
                on_loop()
            await server.serve(sockets=[sock])

        self._thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the fake {what} server did not start")
            time.sleep(0.01)

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` on the server's loop (asyncio objects are not thread-safe)."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(callback)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)
