"""What the hub does for each server it starts: the trainee's layout, the progress folder, the token.

For training only, not for treating patients.

Runs inside JupyterHub (as root, before each spawn), so it only prepares files the user will own:

* ``~/itb/notebooks`` and ``~/itb/exercises/{practice.ipynb,assessment.ipynb,trainee}`` are links into the class
  install (read-only for everyone); the solutions, the authored sources and the answer key are not
  in the class install at all (``deploy.class_setup`` leaves them out);
* ``~/itb/educator`` (the class view) for educators only;
* ``~/.itb-training/<course>/`` — the trainee's own progress — owned by the trainee, group
  ``itb-educators``, mode 2750: the trainee writes, educators read, other trainees cannot even list it;
  the home itself becomes 0711 (passable, not listable).
"""
from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
from pathlib import Path

EDUCATORS_GROUP = os.environ.get("ITB_EDUCATORS_GROUP", "itb-educators")


def _link(target: Path, link: Path, uid: int, gid: int) -> None:
    if link.is_symlink() or link.exists():
        if link.is_symlink() and os.readlink(link) == str(target):
            return
        if link.is_dir() and not link.is_symlink():
            shutil.rmtree(link)
        else:
            link.unlink()
    link.symlink_to(target)
    os.lchown(link, uid, gid)


def _own_dir(path: Path, uid: int, gid: int, mode: int) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def prepare_home(spawner, prefix: Path, educators: list[str]) -> None:
    """Lay out the user's home before their server starts (JupyterHub ``Spawner.pre_spawn_hook``)."""
    name = spawner.user.name
    pw = pwd.getpwnam(name)  # LocalProcessSpawner starts the server as this Unix user
    home, uid, gid = Path(pw.pw_dir), pw.pw_uid, pw.pw_gid
    educator = name in educators
    try:
        edu_gid = grp.getgrnam(EDUCATORS_GROUP).gr_gid
    except KeyError:
        subprocess.run(["groupadd", "--system", EDUCATORS_GROUP], check=True)
        edu_gid = grp.getgrnam(EDUCATORS_GROUP).gr_gid
    if educator and name not in grp.getgrnam(EDUCATORS_GROUP).gr_mem:
        subprocess.run(["usermod", "-a", "-G", EDUCATORS_GROUP, name], check=True)
    _own_dir(home, uid, gid, 0o711)
    suite = prefix / "suite"
    itb = home / "itb"
    _own_dir(itb, uid, gid, 0o755)
    _link(suite / "notebooks", itb / "notebooks", uid, gid)
    _own_dir(itb / "exercises", uid, gid, 0o755)
    for app in ("practice.ipynb", "assessment.ipynb"):
        _link(suite / "exercises" / app, itb / "exercises" / app, uid, gid)
    _link(suite / "exercises" / "trainee", itb / "exercises" / "trainee", uid, gid)
    if educator:
        _link(suite / "educator", itb / "educator", uid, gid)
    elif (itb / "educator").is_symlink():
        (itb / "educator").unlink()
    course = os.environ.get("ITB_COURSE", "itb")
    _own_dir(home / ".itb-training", uid, gid, 0o711)
    _own_dir(home / ".itb-training" / course, uid, edu_gid, 0o2750)
    # kernels talk over Unix sockets (jupyterhub_config.py says why): keep their paths under the
    # 107-byte limit of a socket address, whatever the home's path, in a folder only the user can enter
    runtime = Path(os.environ.get("ITB_RUNTIME_ROOT", "/tmp/itb-runtime")) / name
    _own_dir(runtime.parent, 0, 0, 0o711)
    _own_dir(runtime, uid, gid, 0o700)
    spawner.environment = {**spawner.environment, "ITB_ROLE": "educator" if educator else "trainee",
                           "JUPYTER_RUNTIME_DIR": str(runtime)}
    # educators run nbgrader's commands in a terminal; trainees need none
    spawner.args = [a for a in spawner.args if "terminals_enabled" not in a] + (
        [] if educator else ["--ServerApp.terminals_enabled=False"])


def server_token_scopes(spawner) -> list[str]:
    """The scopes of the server's own API token: an educator's server may list the class (its role)."""
    name = spawner.user.name
    base = [f"users:activity!user={name}", f"access:servers!server={name}/"]
    if any(g.name == "educators" for g in spawner.user.groups):
        return base + ["list:users", "read:users!group=trainees", "read:users:activity!group=trainees",
                       "read:groups"]
    return base
