"""``python3 tasks.py serve`` says each step on its own line as it starts, also when its output is a pipe.

For training only, not for treating patients.

A first install takes minutes; in a log or a pipe (CI, ``| tee``, a service) the old command said nothing for
~90 s.  Here ``tasks.serve`` runs in a child process whose stdout is a pipe, with a stand-in for the commands
(no venv made, nothing installed): each stand-in command waits until the test has read the step's line, so a
line held in a buffer (not flushed) fails the test instead of arriving late.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {root!r})
    import tasks

    venv = Path({venv!r})
    tasks.VENV, tasks.BIN, tasks.PY = venv, venv / "bin", venv / "bin" / "python"
    tasks.PORT = "8899"

    def run(*cmd, **kw):  # a stand-in: records the command, waits for the test to let it finish
        cmd = [str(c) for c in cmd]
        if cmd[1:3] == ["-m", "venv"]:
            tasks.PY.parent.mkdir(parents=True)
            tasks.PY.write_text("")
        sys.stderr.write("RUN " + " ".join(cmd[1:]) + "\\n")
        sys.stderr.flush()
        sys.stdin.readline()
        return 0

    sys.exit(tasks.serve([], run=run))
    """
)


def _serve_piped(tmp_path: Path) -> tuple[list[tuple[str, str]], int]:
    """(stream, line) in the order they came, and the exit code; each stand-in command is let go once read.

    The two pipes are read unbuffered (``os.read``), and when a stand-in command announces itself on stderr
    whatever stdout already holds is read first: "the step's line reached the pipe before its command ran"
    is then a fact about the pipes, not about which of two ready pipes ``select`` happens to return first.
    """
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), venv=str(tmp_path / ".venv"))],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"},
    )
    fds = {proc.stdout.fileno(): "out", proc.stderr.fileno(): "err"}
    pending = {"out": b"", "err": b""}
    seen: list[tuple[str, str]] = []

    def read(fd: int) -> bool:
        """Read what ``fd`` holds into its lines; False at its end."""
        chunk = os.read(fd, 65536)
        name = fds[fd]
        if not chunk:
            return False
        pending[name] += chunk
        while b"\n" in pending[name]:
            line, pending[name] = pending[name].split(b"\n", 1)
            text = line.decode()
            if name == "err" and text.startswith("RUN "):
                out = proc.stdout.fileno()
                while out in fds and select.select([out], [], [], 0.3)[0]:  # stdout's lines come first
                    if not read(out):
                        del fds[out]
                        break
                seen.append((name, text))
                # the step's command runs only now: its line must already be on the pipe
                proc.stdin.write(b"\n")
                proc.stdin.flush()
            else:
                seen.append((name, text))
        return True

    while fds:
        ready, _, _ = select.select(list(fds), [], [], 30)
        assert ready, f"nothing for 30 s (a line held in a buffer?): {seen}"
        for fd in ready:
            if fd in fds and not read(fd):
                del fds[fd]
    return seen, proc.wait(timeout=30)


@pytest.mark.timeout(120)
def test_serve_says_each_step_on_its_own_line_flushed_and_in_order_when_piped(tmp_path):
    seen, code = _serve_piped(tmp_path)
    assert code == 0, seen
    steps = [line for stream, line in seen if stream == "out"]
    assert all(line.startswith("==> ") for line in steps), steps
    runs = [line.removeprefix("RUN ") for stream, line in seen if stream == "err" and line.startswith("RUN ")]
    assert [r.split()[1] for r in runs] == ["venv", "pip", "compileall", "launcher"], runs
    expected = ["Creating the virtual environment", "Installing the suite", "Installed.", "Compiling", "Starting"]
    expected.append("Open http://localhost:8899/")
    order = [next(i for i, s in enumerate(steps) if s.startswith("==> " + e)) for e in expected]
    assert order == sorted(order), steps
    # each step's line reached the pipe before its command ran (the stand-in waited for the test to read it)
    flat = [line for _stream, line in seen]
    for step, command in [
        ("Creating", "venv"),
        ("Installing", "pip"),
        ("Compiling", "compileall"),
        ("Open", "launcher"),
    ]:
        said = next(i for i, s in enumerate(flat) if s.startswith("==> " + step))
        ran = next(i for i, s in enumerate(flat) if s.startswith("RUN ") and s.split()[2] == command)
        assert said < ran, (step, flat)
    # pip in a pipe: one line per package, no progress bars (and not silent: no -q)
    pip = next(r for r in runs if r.split()[1] == "pip")
    assert "-q" not in pip.split()


@pytest.mark.timeout(120)
def test_serve_says_the_install_is_current_when_it_is(tmp_path):
    first, _ = _serve_piped(tmp_path)
    again, code = _serve_piped(tmp_path)
    steps = [line for stream, line in again if stream == "out"]
    assert code == 0 and not any("Installing" in s or "Creating" in s for s in steps), steps
    assert any("is installed in .venv/" in s for s in steps) and steps[-1].startswith("==> Open http://localhost:")
