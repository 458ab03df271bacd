"""Places on the server: which client holds which kernel, the user's last activity, and the culler.

For training only, not for treating patients.
"""

from __future__ import annotations

import contextlib
import contextvars
import time

from jupyter_server._tz import utcnow
from jupyter_server.utils import ensure_async

__all__ = ["Places", "KernelAgeCuller", "watch_handouts"]

#: The client address of the page request being rendered and the kernels it got (set where its kernel is
#: started or handed out); per request, so not part of any server's state.
CLIENT: contextvars.ContextVar[tuple[str, list] | None] = contextvars.ContextVar("itb_client", default=None)


class Places:
    """Who holds a place (kernel id -> client address), the last sign of a user on it (kernel id ->
    ``time.monotonic()``: handout, any message from its websocket), and pages being rendered per client."""

    def __init__(self) -> None:
        self.owners: dict[str, str] = {}
        self.activity: dict[str, float] = {}
        self.pending: dict[str, int] = {}

    def prune(self, alive) -> None:
        alive = set(alive)
        for table in (self.owners, self.activity):
            for kid in [k for k in table if k not in alive]:
                del table[kid]

    def held_by(self, address: str) -> int:
        return sum(1 for a in self.owners.values() if a == address) + self.pending.get(address, 0)

    def claim(self, kernel_id: str) -> None:
        """A kernel was handed to (or started for) the page being rendered: its place belongs to that client."""
        request = CLIENT.get()
        if request is not None:
            self.owners[kernel_id] = request[0]
            self.activity[kernel_id] = time.monotonic()
            request[1].append(kernel_id)

    def touch(self, kernel_id: str | None) -> None:
        """A user's sign on the page of ``kernel_id`` (a message from its websocket)."""
        if kernel_id in self.activity:
            self.activity[kernel_id] = time.monotonic()


def watch_handouts(kernel_manager, places: Places) -> None:
    """Every kernel started for a page or handed to one is claimed for its client; a preheated kernel handed
    to a page starts its idle time afresh.

    Voilà keeps a pool kernel's ``last_activity`` from when it finished running the
    notebook; one that waited longer than ``cull_idle_timeout`` for its first visitor
    (a class server started early) could be culled between the page's HTML and its
    websocket, leaving a dead app on the screen.
    """
    start = kernel_manager.start_kernel

    async def start_kernel(*args, **kwargs):
        kernel_id = await ensure_async(start(*args, **kwargs))
        # a page's own kernel (preheating off or bypassed), not a pool's (those are handed out below)
        if (kwargs.get("env") or {}).get("VOILA_PREHEAT") != "True":
            places.claim(kernel_id)
        return kernel_id

    kernel_manager.start_kernel = start_kernel
    get_rendered = getattr(kernel_manager, "get_rendered_notebook", None)
    if get_rendered is None:  # preheating switched off
        return

    async def get_rendered_notebook(*args, **kwargs):
        result = await get_rendered(*args, **kwargs)
        kernel_id = result[-1]
        with contextlib.suppress(KeyError):
            kernel_manager.get_kernel(kernel_id).last_activity = utcnow()
        places.claim(kernel_id)
        return result

    kernel_manager.get_rendered_notebook = get_rendered_notebook


def _pooled_ids(kernel_manager) -> set[str]:
    """Kernels waiting, preheated, in Voilà's pools (not yet handed to a page)."""
    ids = set()
    for pool in getattr(kernel_manager, "_pools", {}).values():
        for f in pool:
            try:
                if f.done():
                    ids.add(f.result().get("kernel_id"))
            except Exception:  # noqa: BLE001 - a failed pool start has no kernel
                pass
    return ids


class KernelAgeCuller:
    """Shut down every kernel handed to a page more than ``max_age`` seconds ago, busy or not, and every kernel
    whose page showed no user activity for ``inactivity`` seconds.

    Idle kernels are culled by jupyter_server (``MappingKernelManager.cull_*`` in voila.json); this
    bounds the rest: a tab left open and busy all day, or a computation that never ends.
    """

    def __init__(
        self, kernel_manager, max_age: float, log, inactivity: float = 0.0, activity: dict[str, float] | None = None
    ) -> None:
        self.km, self.max_age, self.log, self.inactivity = kernel_manager, max_age, log, inactivity
        self.activity = {} if activity is None else activity
        self.first_seen: dict[str, float] = {}

    async def check(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        pooled = _pooled_ids(self.km)
        alive = set(self.km.list_kernel_ids())
        for kid in list(self.first_seen):
            if kid not in alive:
                del self.first_seen[kid]
        stopped = []
        for kid in alive - pooled:
            seen = self.first_seen.setdefault(kid, now)
            last = self.activity.get(kid, seen)
            if self.max_age > 0 and now - seen > self.max_age:
                self.log.warning("Kernel %s is older than %.0f s: shutting it down", kid, self.max_age)
            elif self.inactivity > 0 and now - last > self.inactivity:
                # connected or not: an open websocket without a user's change holds a place for nothing
                self.log.warning("Kernel %s had no user activity for %.0f s: shutting it down", kid, self.inactivity)
            else:
                continue
            try:
                await ensure_async(self.km.shutdown_kernel(kid))
                stopped.append(kid)
            except Exception:  # noqa: BLE001 - gone already
                pass
        return stopped
