"""What the hub does for each server it starts: the trainee's layout, the progress folder, the token.

For training only, not for treating patients.

Runs inside JupyterHub as root, before each spawn, in a home the trainee controls completely: any entry
may be a link, a FIFO, someone else's folder, or change while the hook runs.  So the hook never follows a
link and never deletes what it did not make.  Every folder is opened relative to its checked parent
(``os.open`` with ``O_NOFOLLOW | O_DIRECTORY`` and ``dir_fd``), checked on the opened descriptor (a folder,
owned by the trainee or just made by the hook) and only then given its owner and mode with
``fchown``/``fchmod``; anything else is refused and logged, and the rest of the layout goes on.  Its
links into the class install are replaced only when they are its own (root's, or into a ``suite``),
with ``os.unlink`` on a checked ``lstat``; a trainee's own file, folder or link is left alone.  (The
hook does not ``seteuid`` to the trainee: the hub is one process with threads, and a changed effective
user would hold for all of them; descriptors checked as above need no change of user.)

* ``~`` — the trainee's, group ``itb-educators``, mode 0710: educators may pass through to the progress
  folder, other trainees cannot even enter;
* ``~/itb`` (0700) with ``notebooks`` and ``exercises/{practice.ipynb,assessment.ipynb,trainee}``, links
  into the class install (read-only for everyone); the solutions, the authored sources and the answer key
  are not in the class install at all (``deploy.class_setup`` leaves them out); ``~/itb/educator`` (the
  class view) for educators only;
* ``~/.itb-training/<course>/`` — the trainee's own progress — owned by the trainee, group
  ``itb-educators``, mode 2750: the trainee writes, educators read, other trainees cannot reach it;
* the servers run with umask 077 (:class:`ClassSpawner`), so what a trainee saves or fetches is theirs only.
"""

from __future__ import annotations

import contextlib
import grp
import logging
import os
import pwd
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

EDUCATORS_GROUP = os.environ.get("ITB_EDUCATORS_GROUP", "itb-educators")
#: The umask of every trainee's server and its kernels: new files are the trainee's only.
SERVER_UMASK = 0o077
_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_log = logging.getLogger("itb.hub")


class Refused(Exception):
    """Something the hook will not touch (a link, a FIFO, a folder of someone else)."""


def _kind(st: os.stat_result) -> str:
    m = st.st_mode
    return (
        "link"
        if stat.S_ISLNK(m)
        else "FIFO"
        if stat.S_ISFIFO(m)
        else "socket"
        if stat.S_ISSOCK(m)
        else "device"
        if stat.S_ISCHR(m) or stat.S_ISBLK(m)
        else "file"
        if stat.S_ISREG(m)
        else "folder"
        if stat.S_ISDIR(m)
        else "special file"
    )


def _dir_at(parent: int, name: str, uid: int, gid: int, mode: int, where: str) -> int:
    """The folder ``name`` in the open folder ``parent`` (made when absent), as an open descriptor, given
    ``uid:gid`` and ``mode``; never through a link.  :class:`Refused` for anything but a folder that is
    ``uid``'s or was just made here."""
    made = False
    try:
        st = os.lstat(name, dir_fd=parent)
    except FileNotFoundError:
        os.mkdir(name, 0o700, dir_fd=parent)
        made = True
    else:
        if not stat.S_ISDIR(st.st_mode):
            raise Refused(f"{where} is a {_kind(st)}, not a folder")
    try:
        fd = os.open(name, _DIR, dir_fd=parent)
    except OSError as exc:  # ELOOP / ENOTDIR: swapped for a link or a file since the lstat
        raise Refused(f"{where} cannot be opened as a folder without following a link ({exc.strerror})") from None
    try:
        st = os.fstat(fd)
        if st.st_uid != uid and not (made and st.st_uid == 0):
            raise Refused(f"{where} belongs to uid {st.st_uid}, not to uid {uid}")
        os.fchown(fd, uid, gid)
        os.fchmod(fd, mode)
    except BaseException:
        os.close(fd)
        raise
    return fd


@contextlib.contextmanager
def _opened(fd: int) -> Iterator[int]:
    try:
        yield fd
    finally:
        os.close(fd)


def _ours(st: os.stat_result, link_target: str, suite: Path, rel: str) -> bool:
    """The hook's own link: made by it (root's: a user cannot make a link owned by root), into the class
    install, or into an earlier install at another prefix (``…/suite/<rel>``, an older hook's, theirs)."""
    t = os.path.normpath(link_target)
    return (
        st.st_uid == 0
        or t == str(suite)
        or t.startswith(str(suite) + os.sep)
        or t.endswith(os.sep + os.path.join("suite", rel))
    )


def _link_at(parent: int, name: str, target: Path, suite: Path, where: str) -> None:
    """A link ``name`` -> ``target`` in the open folder ``parent``; an existing entry is replaced only when it
    is the hook's own link (into ``suite``), by ``os.unlink``; anything else is refused."""
    try:
        st = os.lstat(name, dir_fd=parent)
    except FileNotFoundError:
        pass
    else:
        if not stat.S_ISLNK(st.st_mode):
            raise Refused(f"{where} is the user's {_kind(st)}, not the class's link: left as it is")
        current = os.readlink(name, dir_fd=parent)
        if current == str(target):
            return
        if not _ours(st, current, suite, os.path.relpath(target, suite)):
            raise Refused(f"{where} is the user's own link (to {current}), not the class's: left as it is")
        os.unlink(name, dir_fd=parent)  # unlink never follows: only the link goes
    try:
        os.symlink(target, name, dir_fd=parent)
    except FileExistsError:
        raise Refused(f"{where} appeared while the hook was making it: left as it is") from None


def _unlink_ours(parent: int, name: str, suite: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        st = os.lstat(name, dir_fd=parent)
        if stat.S_ISLNK(st.st_mode) and _ours(st, os.readlink(name, dir_fd=parent), suite, name):
            os.unlink(name, dir_fd=parent)


def _open_admin_dir(path: Path) -> int:
    """A folder only root and the administrator control (a home's parent, the runtime root's parent)."""
    return os.open(os.path.realpath(path), os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def _educators_gid(name: str, educator: bool) -> int:
    try:
        edu_gid = grp.getgrnam(EDUCATORS_GROUP).gr_gid
    except KeyError:
        subprocess.run(["groupadd", "--system", EDUCATORS_GROUP], check=True)
        edu_gid = grp.getgrnam(EDUCATORS_GROUP).gr_gid
    if educator and name not in grp.getgrnam(EDUCATORS_GROUP).gr_mem:
        subprocess.run(["usermod", "-a", "-G", EDUCATORS_GROUP, name], check=True)
    return edu_gid


def _try(log: logging.Logger, what: str, fn, *args) -> int | None:
    try:
        return fn(*args)
    except Refused as exc:
        log.warning("itb pre-spawn: refused: %s (%s)", exc, what)
        return None


def prepare_home(spawner, prefix: Path, educators: list[str]) -> None:
    """Lay out the user's home before their server starts (JupyterHub ``Spawner.pre_spawn_hook``).

    What the trainee has made unsafe is refused and logged (``Refused`` in the hub's log) and the server
    still starts; only a home that is not the user's own, or a runtime root that is not root's, stops it.
    """
    log = getattr(spawner, "log", None) or _log
    name = spawner.user.name
    pw = pwd.getpwnam(name)  # LocalProcessSpawner starts the server as this Unix user
    home, uid, gid = Path(pw.pw_dir), pw.pw_uid, pw.pw_gid
    educator = name in educators
    edu_gid = _educators_gid(name, educator)
    suite = prefix / "suite"
    course = os.environ.get("ITB_COURSE", "itb")
    with _opened(_open_admin_dir(home.parent)) as parent:
        home_fd = _dir_at(parent, home.name, uid, edu_gid, 0o710, f"the home of {name}")
    with _opened(home_fd):
        itb = _try(log, name, _dir_at, home_fd, "itb", uid, gid, 0o700, f"~{name}/itb")
        if itb is not None:
            with _opened(itb):
                _try(log, name, _link_at, itb, "notebooks", suite / "notebooks", suite, f"~{name}/itb/notebooks")
                if educator:
                    _try(log, name, _link_at, itb, "educator", suite / "educator", suite, f"~{name}/itb/educator")
                else:
                    _unlink_ours(itb, "educator", suite)
                ex = _try(log, name, _dir_at, itb, "exercises", uid, gid, 0o700, f"~{name}/itb/exercises")
                if ex is not None:
                    with _opened(ex):
                        for app in ("practice.ipynb", "assessment.ipynb", "trainee"):
                            _try(
                                log,
                                name,
                                _link_at,
                                ex,
                                app,
                                suite / "exercises" / app,
                                suite,
                                f"~{name}/itb/exercises/{app}",
                            )
        training = _try(log, name, _dir_at, home_fd, ".itb-training", uid, edu_gid, 0o710, f"~{name}/.itb-training")
        if training is not None:
            with _opened(training):
                fd = _try(log, name, _dir_at, training, course, uid, edu_gid, 0o2750, f"~{name}/.itb-training/{course}")
                if fd is not None:
                    os.close(fd)
    # kernels talk over Unix sockets (jupyterhub_config.py says why): keep their paths under the
    # 107-byte limit of a socket address, whatever the home's path, in a folder only the user can enter;
    # its root (in /tmp, where anyone may have made it first) must be root's own folder
    root = Path(os.environ.get("ITB_RUNTIME_ROOT", "/tmp/itb-runtime"))
    with _opened(_open_admin_dir(root.parent)) as tmp, _opened(_dir_at(tmp, root.name, 0, 0, 0o711, str(root))) as rfd:
        os.close(_dir_at(rfd, name, uid, gid, 0o700, str(root / name)))
    spawner.environment = {
        **spawner.environment,
        "ITB_ROLE": "educator" if educator else "trainee",
        "JUPYTER_RUNTIME_DIR": str(root / name),
    }
    # educators run nbgrader's commands in a terminal; trainees need none
    spawner.args = [a for a in spawner.args if "terminals_enabled" not in a] + (
        [] if educator else ["--ServerApp.terminals_enabled=False"]
    )


def secure_state(state: Path) -> None:
    """The hub's state folder (database, cookie secret, pid files): root's, 0700, its files 0600 — also when
    it already exists with looser modes.  A link or anything but root's folder is refused."""
    state.mkdir(parents=True, exist_ok=True, mode=0o700)
    with (
        _opened(_open_admin_dir(state.parent)) as parent,
        _opened(_dir_at(parent, state.name, 0, 0, 0o700, f"the hub's state folder {state}")) as fd,
    ):
        for entry in os.listdir(fd):
            try:  # never through a link; O_NONBLOCK: a FIFO does not hang the hub
                efd = os.open(entry, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=fd)
            except OSError:
                continue
            with _opened(efd):
                st = os.fstat(efd)
                if stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode):
                    os.fchmod(efd, stat.S_IMODE(st.st_mode) & 0o700)


class ClassSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose servers (and so their kernels) run with umask 077: what a trainee saves,
    fetches or runs (notebooks, the IPython history) is readable by them only.  TLJH's SystemdSpawner:
    ``c.SystemdSpawner.unit_extra_properties = {"UMask": "0077"}``; KubeSpawner: one pod per trainee."""

    def make_preexec_fn(self, name: str):
        switch_user = super().make_preexec_fn(name)

        def preexec() -> None:
            os.umask(SERVER_UMASK)
            switch_user()

        return preexec


def server_token_scopes(spawner) -> list[str]:
    """The scopes of the server's own API token: an educator's server may list the class (its role)."""
    name = spawner.user.name
    base = [f"users:activity!user={name}", f"access:servers!server={name}/"]
    if any(g.name == "educators" for g in spawner.user.groups):
        return base + ["list:users", "read:users!group=trainees", "read:users:activity!group=trainees", "read:groups"]
    return base
