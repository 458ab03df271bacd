"""Start one nbgrader kernel inside a bubblewrap sandbox: the launcher of the ``itb-sandbox`` kernelspec.

For training only, not for treating patients.

``deploy.class_setup`` copies this file into ``<prefix>/venv/share/jupyter/kernels/itb-sandbox/`` with a
``sandbox.json`` beside it (the class environment, the limits) and a ``kernel.json`` whose ``argv`` is

    <venv>/bin/python -I <this file> {connection_file}

The course's nbgrader configuration (``c.Execute.kernel_name = "itb-sandbox"``,
``c.KernelManager.transport = "ipc"``) makes ``nbgrader autograde`` and ``nbgrader validate`` start every
kernel through it, so the code a trainee submitted runs

* in new user, PID, IPC, UTS, cgroup and network namespaces (``bwrap --unshare-all``: no network at all,
  not even 127.0.0.1), as uid/gid 65534 inside, with no capabilities and no further user namespaces,
  in a new session (no terminal to inject into), killed with its launcher (``--die-with-parent``);
* with an empty environment but for a few harmless variables (``--clearenv``: no hub token, no
  ``JUPYTERHUB_*``, nothing of the educator's);
* seeing only ``/usr`` (and its ``/bin``, ``/lib`` links), a few files of ``/etc``, the class environment
  and the Python it was made from (``interpreter_prefixes``: pyenv's or ``/opt``'s, when not Debian's),
  all read-only; the one submission folder nbgrader grades in (read-only, as ``/submission``); a
  private ``/tmp`` (also ``HOME``) of bounded size; and its own socket folder.  Nothing of ``/home``, the
  course, the gradebook, the exchange or other submissions exists inside;
* under ``prlimit`` limits: address space, CPU seconds, file size, open files, no core files;
* with Python's safe path (``-P``): the submission's folder is not on ``sys.path``, so a package submitted
  beside the notebook (an ``exercises/`` of the trainee's own) cannot replace the checker.

The kernel talks to nbgrader over Unix sockets (ZeroMQ ``ipc``), which a network namespace does not
cut: nbgrader chooses the socket paths ``<ip>-<port>`` (``ip`` relative to its working folder by
default), the kernel binds them in its own folder (``/run/itb-kernel`` inside, a fresh private folder
outside), and this launcher links each of nbgrader's paths to the kernel's socket.  Interrupts go as
messages (``interrupt_mode: message`` in the kernelspec): the kernel is in its own session, out of reach
of a signal to the launcher's process group.

Runs as the educator, outside the sandbox, in the submission's folder: it imports nothing from there
(``python -I``) and reads only nbgrader's connection file and its own ``sandbox.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

INSIDE = "/run/itb-kernel"
#: Where the submission's folder is inside: not at its own path, which would show the way down to it
#: (the educator's home, the course) as empty folders.
SUBMISSION = "/submission"
#: What a kernel may keep of the launcher's environment: nbgrader's own markers, nothing else.
PASS_ENV = ("NBGRADER_EXECUTION", "NBGRADER_VALIDATING")
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "nsswitch.conf", "alternatives", "fonts", "mime.types")


class Refused(Exception):
    pass


def _settings() -> dict:
    return json.loads((Path(__file__).resolve().parent / "sandbox.json").read_text())


def _manager_cwd() -> str:
    """The working folder of the process that started this kernel (nbgrader): a relative ``ip`` is its."""
    try:
        return os.readlink(f"/proc/{os.getppid()}/cwd")
    except OSError as exc:
        raise Refused(f"cannot find the folder nbgrader works in ({exc.strerror})") from None


def grading_folder(cwd: str, home: str | None) -> str:
    """The folder the kernel may read: nbgrader's submission folder, never a home or a course root."""
    real = os.path.realpath(cwd)
    if real == "/" or (home and (os.path.realpath(home) + os.sep).startswith(real.rstrip(os.sep) + os.sep)):
        raise Refused(f"{real} holds a home folder: the sandbox binds only one submission's folder")
    if any(os.path.lexists(os.path.join(real, name)) for name in ("gradebook.db", "nbgrader_config.py")):
        raise Refused(f"{real} is a course folder: the sandbox binds only one submission's folder")
    return real


def interpreter_prefixes(venv: str) -> list[str]:
    """The folders outside ``/usr`` that the class environment's Python needs, to bind read-only beside it.

    A virtual environment's ``bin/python`` is often a link to the Python it was made from (``python -m venv``
    links by default), and even a copied one loads that Python's standard library and ``libpython`` from its
    prefix: pyenv's ``/root/.pyenv/versions/3.11.7``, a ``/opt/python``.  Without them inside, the kernel
    does not start (``prlimit: failed to execute …/bin/python: No such file or directory``).  The prefix is
    the parent of ``home`` in ``pyvenv.cfg`` and of the folder the interpreter's links end in."""
    found: list[str] = []
    candidates = [os.path.dirname(os.path.realpath(os.path.join(venv, "bin", "python")))]
    try:
        for line in Path(venv, "pyvenv.cfg").read_text().splitlines():
            key, _, value = line.partition("=")
            if key.strip() == "home" and value.strip():
                candidates.append(os.path.realpath(value.strip()))
    except OSError:
        pass
    inside = (venv, "/usr", "/bin", "/sbin", "/lib", "/lib64")  # bound already
    for bindir in candidates:
        prefix = os.path.dirname(bindir)
        if prefix in ("", "/") or any(prefix == top or prefix.startswith(top + "/") for top in inside):
            continue
        if os.path.isdir(prefix) and prefix not in found:
            found.append(prefix)
    return found


def bwrap_command(settings: dict, run_dir: str, folder: str, extra: list[str]) -> list[str]:
    venv = settings["venv"]
    lim = settings["limits"]
    cmd = [
        settings.get("bwrap", "bwrap"),
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--cap-drop",
        "ALL",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
        "--ro-bind",
        "/usr",
        "/usr",
    ]
    for top in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{top}"
        if os.path.islink(path):
            cmd += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            cmd += ["--ro-bind", path, path]
    for name in ETC:
        if os.path.exists(f"/etc/{name}"):
            cmd += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
    cmd += [
        "--ro-bind",
        os.path.join(run_dir, "passwd"),
        "/etc/passwd",
        "--ro-bind",
        os.path.join(run_dir, "group"),
        "/etc/group",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--size",
        str(lim["tmp_mb"] * 2**20),
        "--tmpfs",
        "/tmp",
        *[a for prefix in interpreter_prefixes(venv) for a in ("--ro-bind", prefix, prefix)],
        "--ro-bind",
        venv,
        venv,
        "--bind",
        run_dir,
        INSIDE,
        "--ro-bind",
        folder,
        SUBMISSION,
        "--chdir",
        SUBMISSION,
        "--setenv",
        "HOME",
        "/tmp",
        "--setenv",
        "USER",
        "nobody",
        "--setenv",
        "LANG",
        "C.UTF-8",
        "--setenv",
        "PATH",
        f"{venv}/bin:/usr/bin:/bin",
        "--setenv",
        "TMPDIR",
        "/tmp",
        "--setenv",
        "PYTHONDONTWRITEBYTECODE",
        "1",
        "--setenv",
        "MPLBACKEND",
        "agg",
        "--setenv",
        "OPENBLAS_NUM_THREADS",
        "1",
        "--setenv",
        "OMP_NUM_THREADS",
        "1",
    ]
    for name in PASS_ENV:
        if name in os.environ:
            cmd += ["--setenv", name, os.environ[name]]
    cmd += [
        "--",
        "/usr/bin/prlimit",
        f"--as={lim['address_space_mb'] * 2**20}",
        f"--cpu={lim['cpu_seconds']}",
        f"--fsize={lim['file_size_mb'] * 2**20}",
        f"--nofile={lim['open_files']}",
        "--core=0",
        "--",
        # -P (safe path): neither Python nor IPython puts the working folder (the submission) on the path, so
        # a package submitted beside the notebook cannot stand in for the checker the check cells import
        f"{venv}/bin/python",
        "-P",
        "-m",
        "ipykernel_launcher",
        "-f",
        f"{INSIDE}/kernel.json",
        *[a for a in extra if a.startswith("--")],
    ]
    return cmd


def prepare(connection_file: str, run_dir: str) -> list[str]:
    """The kernel's connection file in ``run_dir`` and nbgrader's socket paths linked to it; the links."""
    info = json.loads(Path(connection_file).read_text())
    if info.get("transport") != "ipc":
        raise Refused(
            "the grading sandbox has no network: set c.KernelManager.transport = 'ipc' "
            "in the course's nbgrader_config.py"
        )
    outside = os.path.join(_manager_cwd(), info["ip"])
    links = []
    for key in ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port"):
        port = info[key]
        link = f"{outside}-{port}"
        os.symlink(os.path.join(run_dir, f"k-{port}"), link)  # fails if anything is there: never replaced
        links.append(link)
    inner = {**info, "ip": f"{INSIDE}/k"}
    fd = os.open(os.path.join(run_dir, "kernel.json"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(inner, f)
    Path(run_dir, "passwd").write_text("nobody:x:65534:65534:nobody:/tmp:/usr/sbin/nologin\n")
    Path(run_dir, "group").write_text("nogroup:x:65534:\n")
    return links


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: grading_sandbox.py CONNECTION_FILE [KERNEL ARGS…]", file=sys.stderr)
        return 2
    settings = _settings()
    run_dir = tempfile.mkdtemp(prefix="itb-grading-")  # 0700, the educator's
    links: list[str] = []
    child: subprocess.Popen | None = None
    try:
        folder = grading_folder(os.getcwd(), os.environ.get("HOME"))
        links = prepare(argv[0], run_dir)
        # a signal to the launcher's group (nbgrader's or a terminal's Ctrl+C) must not orphan the kernel
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, lambda *_: child.terminate() if child else None)
        child = subprocess.Popen(bwrap_command(settings, run_dir, folder, argv[1:]), stdin=subprocess.DEVNULL)
        return child.wait()
    except Refused as exc:
        print(f"itb-sandbox: refused: {exc}", file=sys.stderr)
        return 2
    finally:
        if child is not None and child.poll() is None:
            child.kill()
            child.wait()
        for link in links:
            if os.path.islink(link):
                os.unlink(link)
        shutil.rmtree(run_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
