"""The educator's next app: its preheated pool grown to the class before the click, shrunk after.

For training only, not for treating patients.

In a lesson the educator says "open Screening" and the whole room clicks within seconds.  With one
preheated kernel per app, the first trainee gets it and every other one waits while a kernel starts and
runs the notebook (2–4 s of one core each, queued on a small server).  The educator announces the next
app ahead (``POST <base>itb/next?app=screening&size=30``, :mod:`launcher.handlers.educator`, or
``--SuiteVoila.next_app`` with ``--SuiteVoila.class_size`` at start):

* the app's pool grows to its configured size plus the class (``kernel_pools_config``, the setting Voilà's
  kernel manager reads at every refill), a few kernels at a time (:attr:`Lesson.step`, the server's cores),
  so warming does not starve pages being rendered, and never past the launcher's kernel cap;
* every page of that app counts one trainee arrived (:meth:`Lesson.arrival`, from the page handler); the
  pool's size falls with the class still to come, so Voilà's refill after a page does not start kernels nobody will use;
* when the class has arrived the pool is back at its configured size; when it has not, the pool is shrunk
  after :attr:`Lesson.window` seconds, or when the educator announces another app (or ``size=0``): the
  surplus idle kernels are shut down.

Voilà keeps no public list of a pool's kernels: :func:`pool_of` reads its ``_pools`` (pinned by
``tests/notebooks/test_lesson.py``), as :mod:`launcher.places` does for the culler.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from dataclasses import dataclass, field

from jupyter_server.utils import ensure_async

__all__ = ["Lesson", "Plan", "is_warm", "pool_of"]


def pool_of(kernel_manager, notebook: str) -> list:
    """The pool of ``notebook`` in Voilà's kernel manager: tasks whose result holds ``kernel_id`` and the
    notebook's render ``task``."""
    return list(getattr(kernel_manager, "_pools", {}).get(notebook, ()))


def _result(item) -> dict | None:
    try:
        return item.result() if item.done() and not item.cancelled() and item.exception() is None else None
    except Exception:  # noqa: BLE001 - a failed start
        return None


def is_warm(item) -> bool:
    """A pool item whose kernel has started and has run the notebook (its page is ready to hand out)."""
    res = _result(item)
    return res is not None and res["task"].done()


@dataclass
class Plan:
    """A class announced for one app."""

    app: str
    size: int
    base: int
    started: float = field(default_factory=time.monotonic)
    deadline: float = 0.0
    arrived: int = 0
    #: Seconds from the announcement until the pool was warm (None: not yet).
    warm_s: float | None = None
    #: Kernels the cap kept the pool from growing by, at most (0: none).
    capped: int = 0

    @property
    def remaining(self) -> int:
        if self.deadline and time.monotonic() > self.deadline:
            return 0
        return max(0, self.size - self.arrived)

    @property
    def target(self) -> int:
        return self.base + self.remaining


class Lesson:
    """The educator's announcements for one server's kernel manager; :meth:`tick` runs every half second."""

    def __init__(self, kernel_manager, max_kernels: int, window: float, log, step: int | None = None) -> None:
        self.km, self.max_kernels, self.window, self.log = kernel_manager, max_kernels, window, log
        #: Kernels started at once while warming (the cores: more only queue for them).
        self.step = max(1, step if step is not None else (os.cpu_count() or 2))
        self.plan: Plan | None = None
        #: Apps whose grown pool is to be shrunk back to its configured size.
        self.winding: dict[str, int] = {}
        self._busy = asyncio.Lock()
        self._base = {k: int(v.get("pool_size", 0)) for k, v in kernel_manager.kernel_pools_config.items()}

    # ---- configuration: the pool sizes Voilà's kernel manager refills to

    def configured(self, app: str) -> int:
        """The pool size of ``app`` as configured at start (voila.json, the launcher's one per app)."""
        return self._base.get(app, self._base.get("default", 0))

    def _set_size(self, app: str, size: int) -> None:
        pools = dict(self.km.kernel_pools_config)
        pools[app] = {**pools.get(app, {}), "pool_size": size}
        self.km.kernel_pools_config = pools

    def _size(self, app: str) -> int:
        return int(self.km.kernel_pools_config.get(app, {}).get("pool_size", self.configured(app)))

    def max_size(self, app: str) -> int:
        """The largest class ``app`` may be announced for: the kernel cap less every configured pool."""
        others = sum(n for k, n in self._base.items() if k not in (app, "default"))
        return max(0, self.max_kernels - others - self.configured(app))

    # ---- the educator

    def announce(self, app: str, size: int) -> Plan | None:
        """Grow ``app``'s pool for a class of ``size`` (0: cancel); the previous app's pool is shrunk back."""
        old = self.plan
        if old is not None:
            self.winding[old.app] = old.base
            self._set_size(old.app, min(self._size(old.app), old.base))
        if size <= 0:
            self.plan = None
            self.log.info("Class announcement withdrawn")
            return None
        self.winding.pop(app, None)
        plan = Plan(app, size, self.configured(app))
        plan.deadline = plan.started + self.window if self.window > 0 else 0.0
        self.plan = plan
        self.log.info("Next app %s for a class of %d: warming its pool to %d kernels", app, size, plan.target)
        return plan

    def arrival(self, notebook: str) -> None:
        """A page of ``notebook`` is about to be rendered (called before Voilà hands out a preheated kernel
        and refills the pool, or starts a kernel for the page when the pool is empty)."""
        plan = self.plan
        if plan is None or notebook != plan.app or plan.remaining <= 0:
            return
        plan.arrived += 1
        # Voilà refills to this size right after the page: only for the class still to come.
        self._set_size(notebook, min(self._size(notebook), plan.target))

    def status(self) -> dict:
        plan = self.plan
        out: dict = {"step": self.step, "max_kernels": self.max_kernels, "kernels": len(self.km.list_kernel_ids())}
        if plan is None:
            return {**out, "app": None}
        pool = pool_of(self.km, plan.app)
        warm = self._warm(plan, pool)
        return {
            **out,
            "app": plan.app,
            "size": plan.size,
            "arrived": plan.arrived,
            "remaining": plan.remaining,
            "target": plan.target,
            "pool": len(pool),
            "warm": warm,
            "warm_s": plan.warm_s,
            "capped": plan.capped,
            "window_left_s": max(0.0, plan.deadline - time.monotonic()) if plan.deadline else None,
        }

    # ---- the periodic work

    def _warm(self, plan: Plan, pool: list) -> int:
        """How many of the pool's kernels have run the notebook; notes when the pool first reached its target."""
        warm = sum(1 for f in pool if is_warm(f))
        if plan.warm_s is None and warm >= plan.target:
            plan.warm_s = time.monotonic() - plan.started
            self.log.info("Pool of %s warm: %d kernels in %.0f s", plan.app, warm, plan.warm_s)
        return warm

    async def tick(self) -> None:
        if self._busy.locked():  # the previous tick still shuts kernels down
            return
        async with self._busy:
            await self._tick()

    async def _tick(self) -> None:
        for app, base in list(self.winding.items()):
            if await self._shrink(app, base):
                self.winding.pop(app, None)
        plan = self.plan
        if plan is None:
            return
        target = plan.target
        if plan.remaining <= 0:  # the class has arrived, or its window is over
            if plan.deadline and time.monotonic() > plan.deadline and plan.arrived < plan.size:
                self.log.info("Class window for %s over (%d of %d arrived)", plan.app, plan.arrived, plan.size)
            self.plan = None
            self.winding[plan.app] = plan.base
            self._set_size(plan.app, min(self._size(plan.app), plan.base))
            await self._shrink(plan.app, plan.base)
            return
        pool = pool_of(self.km, plan.app)
        warm = self._warm(plan, pool)
        if len(pool) > target:
            await self._shrink(plan.app, target)
            return
        starting = len(pool) - warm
        if len(pool) >= target or starting >= self.step:
            return
        pending = sum(1 for p in getattr(self.km, "_pools", {}).values() for f in p if not f.done())
        room = self.max_kernels - len(self.km.list_kernel_ids()) - pending
        grow = min(self.step - starting, target - len(pool), room)
        if grow <= 0:
            plan.capped = max(plan.capped, target - len(pool))
            return
        self._set_size(plan.app, len(pool) + grow)
        self.km.fill_if_needed(delay=0, notebook_name=plan.app)

    async def _shutdown(self, app: str, kernel_id: str) -> None:
        # Still waiting in the pool?  A page may have taken it since the pool was read; checked with no await
        # before Voilà's shutdown_kernel takes it out of the pool.
        if not any((_result(item) or {}).get("kernel_id") == kernel_id for item in pool_of(self.km, app)):
            return
        with contextlib.suppress(Exception):  # gone already
            await ensure_async(self.km.shutdown_kernel(kernel_id))

    async def _shrink(self, app: str, size: int) -> bool:
        """Shut down the idle preheated kernels of ``app`` past ``size``; True when the pool is that small."""
        self._set_size(app, min(self._size(app), size))
        pool = pool_of(self.km, app)
        surplus = len(pool) - size
        if surplus <= 0:
            self._set_size(app, size)
            return True
        # the last in the pool first (the first are handed out first); only kernels done with the notebook
        idle = [_result(item)["kernel_id"] for item in reversed(pool) if is_warm(item)][:surplus]
        await asyncio.gather(*(self._shutdown(app, kid) for kid in idle))
        return len(pool_of(self.km, app)) <= size
