"""``/voila/query/<kernel>``: where a preheated kernel waits for its page's request (the query string the
product-information app reads), with one waiter per live kernel, from this machine only.

For training only, not for treating patients.

Voilà's own handler lets a second connection replace the first and, when the replaced one closes, deletes
another kernel's waiter (that page then never finishes); and it keeps every page's request info for good.
Voilà's page handler hands the request info to a class (``RequestInfoSocketHandler.send_updates``, a class
method called without a request): :func:`request_info_handler` makes that class for one server, holding its
:class:`~launcher.settings.Suite`, and the application gives it to Voilà's page handler.
"""

from __future__ import annotations

import contextlib

import tornado.web
from voila.request_info_handler import RequestInfoSocketHandler

from ..settings import Suite

__all__ = ["request_info_handler"]


class _SuiteRequestInfo(RequestInfoSocketHandler):
    suite: Suite

    async def get(self, kernel_id, *args, **kwargs):
        suite = self.suite
        km = suite.kernel_manager or self.settings.get("kernel_manager")
        ip = self.request.remote_ip or ""
        if (
            not (ip.startswith("127.") or ip == "::1")
            or km is None
            or kernel_id not in km.list_kernel_ids()
            or kernel_id in suite.request_waiters
        ):
            raise tornado.web.HTTPError(404)
        return await super().get(kernel_id, *args, **kwargs)

    def open(self, kernel_id: str) -> None:
        waiters = self.suite.request_waiters
        if kernel_id in waiters:
            self.close()
            return
        waiters[kernel_id] = self
        payload = self.suite.request_cache.pop(kernel_id, None)
        if payload is not None:
            self.write_message(payload)

    def on_close(self) -> None:
        waiters = self.suite.request_waiters
        for kid in [k for k, w in waiters.items() if w is self]:
            del waiters[kid]

    @classmethod
    def send_updates(cls, msg: dict) -> None:
        suite = cls.suite
        kernel_id, payload = msg["kernel_id"], msg["payload"]
        waiter = suite.request_waiters.get(kernel_id)
        if waiter is not None:
            with contextlib.suppress(Exception):
                waiter.write_message(payload)
            return
        cache, km = suite.request_cache, suite.kernel_manager
        if km is not None:  # requests of kernels long gone
            alive = set(km.list_kernel_ids())
            for kid in [k for k in cache if k not in alive]:
                del cache[kid]
        while len(cache) >= max(1, 2 * suite.max_kernels):
            cache.pop(next(iter(cache)))
        cache[kernel_id] = payload


def request_info_handler(suite: Suite) -> type:
    """The request-info handler class of the server whose settings are ``suite``."""
    return type("SuiteRequestInfo", (_SuiteRequestInfo,), {"suite": suite})
