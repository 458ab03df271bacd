"""What every app kernel does before it builds an app: bound its memory, keep its logs on the server, and
trust nothing the browser sends but the values a user can change.

For training only, not for treating patients.

* **Memory**: the launcher (:mod:`widgets.serve`) gives its kernels a limit in
  ``ITB_KERNEL_MEMORY_LIMIT_BYTES``; here it becomes ``RLIMIT_DATA``, so one kernel asked for a huge
  array gets a ``MemoryError`` (shown as a message) instead of taking the machine.
* **Logs**: the ``widgets`` logger writes to the kernel process's own stderr (the server's log), never to
  ``sys.stderr``, which ipykernel sends to the browser as output.
* **Widget updates from the browser**: a user changes a value, an index or a tab; nothing else.  Any other
  key (a slider's ``max``, a field's ``disabled``, a dropdown's ``options``) is ignored, a text longer than
  :data:`MAX_CLIENT_TEXT` is refused, and an update of the wrong type is refused without a traceback;
  each refusal sends the widget's real state back so the page shows it.
* **Disabled widgets**: a disabled widget takes nothing from the browser — no update of any key (a
  "disabled" field such as the signed-in trainee's name cannot be changed over the websocket) and no
  custom message (a disabled button's click does not run its handlers).
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
from typing import Any

import ipywidgets as W

__all__ = ["CLIENT_KEYS", "MAX_CLIENT_TEXT", "harden", "server_log"]

#: The only widget state a browser may set: what a user changes by typing, clicking or choosing.
CLIENT_KEYS = frozenset({"value", "index", "selected_index", "label"})
#: Longest text a browser may put into a widget (a quantity needs 64 characters; a name or an answer a few more).
MAX_CLIENT_TEXT = 1000
#: Set by the launcher: the memory limit of its kernels in bytes.
KERNEL_MEMORY_ENV = "ITB_KERNEL_MEMORY_LIMIT_BYTES"

server_log = logging.getLogger("widgets")
_applied = False


def _log_to_server() -> None:
    if any(getattr(h, "_itb_server", False) for h in server_log.handlers):
        return
    stream = sys.__stderr__ or sys.stderr
    handler = logging.StreamHandler(stream)
    handler._itb_server = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("[widgets %(levelname)s] %(message)s"))
    server_log.addHandler(handler)
    server_log.propagate = False  # never through the root logger to the kernel's output stream


def _limit_memory() -> None:
    limit = os.environ.get(KERNEL_MEMORY_ENV)
    if not limit or "ipykernel" not in sys.modules:
        return
    try:
        import resource

        want = int(limit)
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            want = min(want, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (want, hard))
    except (ImportError, ValueError, OSError) as exc:  # not on this platform: the server still caps kernels
        server_log.warning("kernel memory limit not applied: %s", exc)


_set_state = W.Widget.set_state


def _disabled(widget: W.Widget) -> bool:
    return getattr(widget, "disabled", False) is True


def _guarded_set_state(self: W.Widget, sync_data: dict[str, Any]) -> None:
    # a disabled widget: whatever the page sends for it is not a user's change
    allowed = {} if _disabled(self) else {k: v for k, v in sync_data.items() if k in CLIENT_KEYS}
    refused = [k for k in sync_data if k not in allowed]
    for k, v in list(allowed.items()):
        if isinstance(v, str) and len(v) > MAX_CLIENT_TEXT:
            refused.append(k)
            del allowed[k]
    if allowed:
        try:
            _set_state(self, allowed)
        except Exception as exc:  # noqa: BLE001 - a wrong-typed update: refused, never a traceback
            server_log.warning("refused a browser update of %s %s: %s", type(self).__name__, sorted(allowed),
                               type(exc).__name__)
            refused += list(allowed)
    if refused:
        server_log.warning("ignored browser state %s for %s", sorted(set(refused)), type(self).__name__)
        keys = [k for k in set(refused) if k in self.keys]
        if keys:
            with contextlib.suppress(Exception):  # no comm (outside a kernel)
                self.send_state(keys)  # the page shows the real state again


_handle_custom_msg = W.Widget._handle_custom_msg


def _guarded_custom_msg(self: W.Widget, content: Any, buffers: Any) -> None:
    if _disabled(self):  # a disabled button's click (or any message of a disabled widget): ignored
        event = content.get("event") if isinstance(content, dict) else None
        server_log.warning("ignored a browser message %r for a disabled %s", event, type(self).__name__)
        return
    _handle_custom_msg(self, content, buffers)


def harden() -> None:
    """Apply the rules above (once per process)."""
    global _applied
    _log_to_server()
    if _applied:
        return
    _applied = True
    _limit_memory()
    W.Widget.set_state = _guarded_set_state
    W.Widget._handle_custom_msg = _guarded_custom_msg
