"""What every app kernel does before it builds an app: bound its memory, keep its logs on the server, and
trust nothing the browser sends but the values a user can change.

For training only, not for treating patients.

Started by the kernel, not by an import: the launcher starts every kernel with this module as an IPython
extension (:mod:`launcher.kernels`), whose :func:`load_ipython_extension` runs :func:`harden` once the kernel's
shell and output streams exist.  Importing :mod:`widgets` changes nothing of ipywidgets; a kernel served
otherwise (a class hub's Voilà) loads the extension the same way (``c.InteractiveShellApp.extensions``), and
tests call :func:`harden` themselves.

* **Memory**: the launcher (:mod:`launcher`) gives its kernels a limit in
  ``ITB_KERNEL_MEMORY_LIMIT_BYTES``; here it becomes ``RLIMIT_DATA``, so one kernel asked for a huge
  array gets a ``MemoryError`` (shown as a message) instead of taking the machine.
* **Logs**: the ``widgets`` logger writes to the kernel process's own stderr (the server's log), never to
  ``sys.stderr``, which ipykernel sends to the browser as output.
* **Widget updates from the browser**: a user changes a value, an index or a tab; nothing else.  Any other
  key (a slider's ``max``, a field's ``disabled``, a dropdown's ``options``) is ignored, a text longer than
  :data:`MAX_CLIENT_TEXT` is refused, and an update of the wrong type is refused without a traceback;
  each refusal sends the widget's real state back so the page shows it.  A number that is not finite (NaN,
  infinity, also inside a list) is refused the same way.
* **Disabled widgets**: a disabled widget takes nothing from the browser — no update of any key (a
  "disabled" field such as the signed-in trainee's name cannot be changed over the websocket) and no
  custom message (a disabled button's click does not run its handlers).
* **Widgets built by the browser** (``comm_open`` on ``jupyter.widget``): only models of the kinds this kernel
  has built itself (the app's own widgets) and only with binary buffers of at most :data:`MAX_CLIENT_BUFFER`
  bytes in all; anything else is closed without building a widget (60 image models with 8 MiB buffers took a
  kernel from 74 to 555 MiB).  Incoming widget messages (``comm_msg``) carry at most the same buffer bytes.
* **Nothing from the server on the page** (kernels started by the launcher, which sets ``ITB_SERVED``): the
  kernel's file descriptor 2 (where the ``widgets`` logger, ipykernel's own log and tracebacks of comm
  handlers write) goes back to the server's stderr instead of being forwarded to the page as output, and an
  exception in a widget callback is logged on the server; the page gets its type only, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import sys
from typing import Any

import ipywidgets as W

__all__ = [
    "CLIENT_KEYS",
    "MAX_CLIENT_BUFFER",
    "MAX_CLIENT_TEXT",
    "SERVED_ENV",
    "harden",
    "load_ipython_extension",
    "server_log",
]

#: The only widget state a browser may set: what a user changes by typing, clicking or choosing.
CLIENT_KEYS = frozenset({"value", "index", "selected_index", "label"})
#: Longest text a browser may put into a widget (a quantity needs 64 characters; a name or an answer a few more).
MAX_CLIENT_TEXT = 1000
#: Set by the launcher: the memory limit of its kernels in bytes.
KERNEL_MEMORY_ENV = "ITB_KERNEL_MEMORY_LIMIT_BYTES"
#: Set by the launcher: this kernel serves a page (nothing from the server's stderr may reach it).
SERVED_ENV = "ITB_SERVED"
#: Most bytes of binary buffers one message from the browser may carry (the apps take none; env
#: ``ITB_MAX_CLIENT_BUFFER``).
MAX_CLIENT_BUFFER = int(os.environ.get("ITB_MAX_CLIENT_BUFFER", 64 * 1024))

server_log = logging.getLogger("widgets")
_applied = False


def _server_stderr():
    """The server's stderr: ipykernel redirects file descriptor 2 to a pipe whose text goes to the page as
    output, keeping a copy of the real one (``_original_stdstream_copy``); outside a kernel, ``sys.__stderr__``."""
    copy = getattr(sys.stderr, "_original_stdstream_copy", None)
    if isinstance(copy, int):
        with contextlib.suppress(OSError):
            return os.fdopen(os.dup(copy), "w", buffering=1, encoding="utf-8", errors="replace")
    return sys.__stderr__ or sys.stderr


def _log_to_server() -> None:
    if any(getattr(h, "_itb_server", False) for h in server_log.handlers):
        return
    stream = _server_stderr()
    handler = logging.StreamHandler(stream)
    handler._itb_server = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("[widgets %(levelname)s] %(message)s"))
    server_log.addHandler(handler)
    server_log.propagate = False  # never through the root logger to the kernel's output stream


# The ``widgets`` logger writes to the server's stderr from the first import (logging only; nothing of
# ipywidgets changes before :func:`harden`).
_log_to_server()


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


def _quiet_page() -> None:
    """In a served kernel: fd 2 back to the server's stderr, widget callback errors logged there."""
    copy = getattr(sys.stderr, "_original_stdstream_copy", None)
    if isinstance(copy, int):
        with contextlib.suppress(OSError):
            os.dup2(copy, 2)  # C-level and logging writes to fd 2 no longer reach the pipe ipykernel forwards
    import warnings

    def _showwarning(message, category, filename, lineno, file=None, line=None):
        server_log.warning("%s: %s (%s:%s)", category.__name__, message, filename, lineno)

    warnings.showwarning = _showwarning  # not through sys.stderr, which ipykernel sends to the page
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "_showtraceback"):
        return
    send = shell._showtraceback

    def _showtraceback(etype, evalue, stb):
        server_log.error("error in a widget callback:\n%s", "\n".join(map(str, stb or [])))
        with contextlib.suppress(Exception):
            send(etype, "the error is in the server's log", [])

    shell._showtraceback = _showtraceback


def _finite(value: Any, depth: int = 0) -> bool:
    """False for NaN or an infinity, also inside lists, tuples and dicts (a range slider's pair)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if depth < 4 and isinstance(value, (list, tuple)):
        return all(_finite(v, depth + 1) for v in value)
    if depth < 4 and isinstance(value, dict):
        return all(_finite(v, depth + 1) for v in value.values())
    return True


def _buffer_bytes(buffers: Any) -> int:
    total = 0
    for b in buffers or ():
        try:
            total += memoryview(b).nbytes
        except TypeError:
            total += len(b) if hasattr(b, "__len__") else 0
    return total


_set_state = W.Widget.set_state


def _disabled(widget: W.Widget) -> bool:
    return getattr(widget, "disabled", False) is True


def _guarded_set_state(self: W.Widget, sync_data: dict[str, Any]) -> None:
    # a disabled widget: whatever the page sends for it is not a user's change
    allowed = {} if _disabled(self) else {k: v for k, v in sync_data.items() if k in CLIENT_KEYS}
    refused = [k for k in sync_data if k not in allowed]
    for k, v in list(allowed.items()):
        if (isinstance(v, str) and len(v) > MAX_CLIENT_TEXT) or isinstance(v, (bytes, memoryview)) or not _finite(v):
            refused.append(k)
            del allowed[k]
    if allowed:
        try:
            _set_state(self, allowed)
        except Exception as exc:  # noqa: BLE001 - a wrong-typed update: refused, never a traceback
            server_log.warning(
                "refused a browser update of %s %s: %s", type(self).__name__, sorted(allowed), type(exc).__name__
            )
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


_comm_opened = W.Widget.handle_comm_opened
_handle_msg = W.Widget._handle_msg


def _built_model_names() -> set[str]:
    """The model names of the widgets this kernel has built itself (the app's kinds)."""
    names = set()
    for w in list(W.Widget.widgets.values()):
        with contextlib.suppress(Exception):
            names.add(w._model_name)
    return names


def _guarded_comm_opened(comm, msg) -> None:
    """``comm_open`` from the browser: only a kind of widget the app built, with small buffers; else closed."""
    try:
        state = msg["content"]["data"]["state"]
        name = state.get("_model_name")
    except (KeyError, TypeError, AttributeError):
        name = None
    size = _buffer_bytes(msg.get("buffers"))
    if name is None or name not in _built_model_names() or size > MAX_CLIENT_BUFFER:
        server_log.warning("refused a widget built by the browser: %.80r with %d buffer bytes", name, size)
        with contextlib.suppress(Exception):
            comm.close()
        return
    try:
        _comm_opened(comm, msg)
    except Exception as exc:  # noqa: BLE001 - a malformed model: refused, never a traceback
        server_log.warning("refused a widget built by the browser: %.80r (%s)", name, type(exc).__name__)
        with contextlib.suppress(Exception):
            comm.close()


def _guarded_handle_msg(self: W.Widget, msg: dict) -> None:
    size = _buffer_bytes(msg.get("buffers"))
    if size > MAX_CLIENT_BUFFER:
        server_log.warning("refused a browser message of %d buffer bytes for %s", size, type(self).__name__)
        return
    _handle_msg(self, msg)


def _guard_comm_target() -> None:
    try:
        from comm import get_comm_manager

        manager = get_comm_manager()
    except Exception:  # noqa: BLE001 - no kernel here (tests, scripts): nothing to guard
        return
    if manager is not None and hasattr(manager, "register_target"):
        manager.register_target("jupyter.widget", _guarded_comm_opened)


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
    W.Widget.handle_comm_opened = staticmethod(_guarded_comm_opened)
    W.Widget._handle_msg = _guarded_handle_msg
    _guard_comm_target()
    if os.environ.get(SERVED_ENV) == "1" and "ipykernel" in sys.modules:
        _quiet_page()


def load_ipython_extension(ipython) -> None:
    """The served kernel's start-up (``--InteractiveShellApp.extra_extensions=widgets._kernel``, given by the
    launcher to every kernel it starts): apply the rules above before the notebook's first cell runs."""
    harden()
