"""The kernel websocket: Voilà's, with bounds.

For training only, not for treating patients.

A few websockets per kernel and per client address (each holds ZeroMQ sockets of the server: ~250 to one
kernel exhausted its files and every other page got HTTP 500), a bounded write buffer (a reader that falls
behind is dropped, not buffered for), and every message from the page counted as the user's activity
(:class:`launcher.places.KernelAgeCuller`).
"""

from __future__ import annotations

import contextlib

import tornado.web
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..settings import SETTING, Suite

__all__ = ["SuiteKernelWebsocket"]


class SuiteKernelWebsocket(VoilaKernelWebsocketHandler):
    @property
    def suite(self) -> Suite:
        return self.settings[SETTING]

    async def get(self, kernel_id, *args, **kwargs):
        suite = self.suite
        open_ = suite.websockets
        client = self.request.remote_ip or "?"
        on_kernel = sum(1 for k, _ in open_.values() if k == kernel_id)
        of_client = sum(1 for _, a in open_.values() if a == client)
        per_kernel, per_client = suite.max_websockets_per_kernel, suite.max_websockets_per_client
        if (per_kernel and on_kernel >= per_kernel) or (per_client and of_client >= per_client):
            self.log.warning(
                "websocket refused: %d open to kernel %s, %d from %s", on_kernel, kernel_id, of_client, client
            )
            self.set_header("Retry-After", "60")
            raise tornado.web.HTTPError(429, reason="Too many connections")
        open_[self] = (kernel_id, client)
        try:
            return await super().get(kernel_id, *args, **kwargs)
        finally:
            if self.ws_connection is None:
                open_.pop(self, None)

    def on_message(self, ws_message):
        suite = self.suite
        suite.places.touch(suite.websockets.get(self, (None,))[0])
        return super().on_message(ws_message)

    def on_close(self):
        self.suite.websockets.pop(self, None)
        return super().on_close()

    def write_message(self, message, binary=False):
        suite = self.suite
        stream = getattr(self.ws_connection, "stream", None)
        pending = len(getattr(stream, "_write_buffer", None) or ()) if stream is not None else 0
        size = len(message) if isinstance(message, (bytes, str)) else 0
        if pending and pending + size > suite.websocket_write_buffer:
            self.log.warning(
                "websocket to kernel %s dropped: its reader fell %d bytes behind",
                suite.websockets.get(self, ("?",))[0],
                pending,
            )
            suite.websockets.pop(self, None)
            with contextlib.suppress(Exception):
                self.ws_connection.abort()
            return None
        return super().write_message(message, binary)
