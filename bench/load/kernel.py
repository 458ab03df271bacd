"""The kernel protocol a trainee speaks: the websocket frames, a kernel session, a probe's change.

For training only, not for treating patients.  Re-exported by :mod:`bench.load`; import from there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import uuid

from .settings import BENIGN_STDERR, MAX_MESSAGES, TAG

__all__ = []


# --------------------------------------------------------------------------- kernel protocol


def _pack(channel: str, msg: dict) -> bytes:
    """A kernel message in the ``v1.kernel.websocket.jupyter.org`` framing."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata", "content")]
    chan = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(chan))
    for p in parts:
        offsets.append(offsets[-1] + len(p))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + chan + b"".join(parts)


def _unpack(frame: bytes) -> tuple[str, dict]:
    n = int.from_bytes(frame[:8], "little")
    offs = [int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(n)]
    channel = frame[offs[0] : offs[1]].decode()
    parts = [frame[offs[i] : offs[i + 1]] for i in range(1, n - 1)]
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return channel, {
        "header": header,
        "parent_header": parent,
        "metadata": metadata,
        "content": content,
        "buffers": parts[4:],
    }


class KernelSession:
    """One trainee's kernel websocket: send a message, read until its reply or its idle status."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.states: dict[str, dict] = {}  # model_id -> state
        self.errors: list[str] = []
        self.benign = 0  # kernel log lines known to be harmless
        self._first_values: dict[str, object] = {}  # model_id -> value or index when interactive

    def _msg(self, msg_type: str, content: dict, metadata: dict | None = None) -> dict:
        return {
            "header": {
                "msg_id": uuid.uuid4().hex,
                "msg_type": msg_type,
                "username": "trainee",
                "session": self.session,
                "date": dt.datetime.now(dt.UTC).isoformat(),
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": metadata or {},
            "content": content,
        }

    async def send(self, channel: str, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        msg = self._msg(msg_type, content, metadata)
        await self.ws.send(_pack(channel, msg))
        return msg["header"]["msg_id"]

    def _watch(self, channel: str, msg: dict) -> None:
        """Keep widget states current and note anything a trainee must not see."""
        mt, c = msg["header"].get("msg_type"), msg["content"]
        if mt == "error":
            self.errors.append(f"kernel error: {c.get('ename')}: {c.get('evalue')}")
        elif mt == "stream" and c.get("name") == "stderr":
            if BENIGN_STDERR.match(c.get("text", "")):
                self.benign += 1
            else:
                self.errors.append(f"stderr: {c.get('text', '')[:200]}")
        elif mt == "status" and c.get("execution_state") in ("dead", "restarting"):
            self.errors.append(f"kernel {c['execution_state']}")
        elif mt == "comm_msg":
            data = c.get("data", {})
            if data.get("method") in ("update", "echo_update"):
                self.states.setdefault(c.get("comm_id"), {}).update(data.get("state", {}))
            elif data.get("method") == "update_states":
                for mid, st in data.get("states", {}).items():
                    self.states[mid] = {**st.get("state", {}), "_model_name": st.get("model_name", "")}
        elif mt == "comm_open":
            d = c.get("data", {})
            self.states[c.get("comm_id")] = {**d.get("state", {})}

    async def until(self, done, timeout: float) -> dict:
        """Read messages until ``done(channel, msg)`` is true; return that message."""
        async with asyncio.timeout(timeout):
            for _ in range(MAX_MESSAGES):
                frame = await self.ws.recv()
                if isinstance(frame, str):
                    continue
                channel, msg = _unpack(frame)
                self._watch(channel, msg)
                if done(channel, msg):
                    return msg
        raise RuntimeError(f"no reply within {MAX_MESSAGES} messages")

    async def request(
        self,
        channel: str,
        msg_type: str,
        content: dict,
        timeout: float,
        *,
        idle: bool = False,
        metadata: dict | None = None,
    ) -> dict:
        """Send; wait for the reply (shell) or, with ``idle``, the kernel's idle status for it."""
        mid = await self.send(channel, msg_type, content, metadata)

        def done(ch, m):
            if m["parent_header"].get("msg_id") != mid:
                return False
            if idle:
                return m["header"]["msg_type"] == "status" and m["content"].get("execution_state") == "idle"
            return ch == "shell"

        return await self.until(done, timeout)

    # widget helpers ------------------------------------------------------------------------
    def text(self) -> str:
        """The visible text of all widgets: values, descriptions, output streams, tags stripped."""
        out = []
        for st in self.states.values():
            for k in ("value", "description", "_options_labels", "outputs"):
                v = st.get(k)
                if isinstance(v, str):
                    out.append(v)
                elif isinstance(v, list):
                    out.append(json.dumps(v, ensure_ascii=False))
        return html.unescape(TAG.sub(" ", " ".join(out))).replace("\\n", " ")

    def find(self, css: str) -> str | None:
        for mid, st in self.states.items():
            if css in (st.get("_dom_classes") or ()):
                return mid
        return None

    def descendants(self, mid: str, cap: int = 500) -> list[str]:
        out, todo = [], [mid]
        while todo and len(out) < cap:
            m = todo.pop(0)
            out.append(m)
            for ref in self.states.get(m, {}).get("children", []) or []:
                if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
                    todo.append(ref.removeprefix("IPY_MODEL_"))
        return out

    def first(self, mid: str, *model_names: str) -> str | None:
        for m in self.descendants(mid):
            if self.states.get(m, {}).get("_model_name") in model_names:
                return m
        return None


def _probe_change(ks: KernelSession, pr: dict, original: bool = False) -> tuple[str, dict] | None:
    """(model_id, state change) for the probe; ``original``: back to the value before it."""
    scope = ks.find(f"itb-field-{pr['field']}")
    if scope is None:
        return None
    kind = pr.get("kind", "text")
    if kind == "text":
        mid = ks.first(scope, "TextModel", "TextareaModel")
        return (mid, {"value": ks._first_values[mid] if original else str(pr["value"])}) if mid else None
    if kind == "slider":
        mid = next(
            (m for m in ks.descendants(scope) if ks.states[m].get("_model_name", "").endswith("SliderModel")), None
        )
        if mid is None:
            return None
        st = ks.states[mid]
        v0 = ks._first_values[mid]
        if original:
            return mid, {"value": v0}
        if isinstance(v0, list):
            return None
        return mid, {"value": min(st.get("max", v0), v0 + st.get("step", 1) * int(pr.get("steps", 1)))}
    if kind in ("select", "click"):
        mid = ks.first(scope, "DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel")
        if mid is not None:
            labels = ks.states[mid].get("_options_labels", [])
            if str(pr["value"]) not in labels:
                return None
            return mid, {"index": ks._first_values[mid] if original else labels.index(str(pr["value"]))}
        if kind == "click" and not original:
            btn = next(
                (
                    m
                    for m in ks.descendants(scope)
                    if ks.states[m].get("_model_name") == "ButtonModel"
                    and ks.states[m].get("description") == str(pr["value"])
                ),
                None,
            )
            return (btn, {"__click__": True}) if btn else None
    return None
