"""The pre-spawn hook (``deploy/hub_hooks.py``, run as root) against a trainee who controls everything in
their home: links, FIFOs, their own folders in the hook's places, a runtime root made first.  And what
one trainee can read of another's.

For training only, not for treating patients.

Real Unix users (``useradd``, removed after each test) with real homes under a temporary prefix, a class
install owned by root, and the real hook functions called as the hub calls them.  Needs root (skipped
otherwise); seconds, not a hub.  Each test is named after its finding (issue "A class that cannot be
turned against itself", items 1 and 3).
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
import hub_hooks

pytestmark = pytest.mark.skipif(
    not hasattr(os, "geteuid")
    or os.geteuid() != 0
    or shutil.which("useradd") is None
    or shutil.which("runuser") is None,
    reason="adds Unix users: run as root with useradd and runuser",
)


class Class:
    """A class install, an educators' group and users made for one test, removed after it."""

    def __init__(self, base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.base, self.tag = base, secrets.token_hex(3)
        self.users: list[str] = []
        self.group = f"itbx-class-{self.tag}"
        subprocess.run(["groupadd", self.group], check=True)
        monkeypatch.setattr(hub_hooks, "EDUCATORS_GROUP", self.group)
        monkeypatch.setenv("ITB_RUNTIME_ROOT", str(base / "run"))
        monkeypatch.setenv("ITB_COURSE", "itb")
        (base / "home").mkdir()
        os.chmod(base, 0o755)
        os.chmod(base / "home", 0o755)
        self.suite = base / "suite"
        for d in ("notebooks", "exercises/trainee", "educator"):
            (self.suite / d).mkdir(parents=True)
        for f in (
            "notebooks/index.ipynb",
            "exercises/practice.ipynb",
            "exercises/assessment.ipynb",
            "exercises/trainee/which_syndrome.ipynb",
            "educator/class_view.ipynb",
        ):
            (self.suite / f).write_text("{}")
        for p in [self.suite, *self.suite.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)

    def user(self, role: str) -> str:
        name = f"itbx-{role}-{self.tag}"
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(self.base / "home" / name), "--shell", "/bin/sh", name],
            check=True,
            capture_output=True,
        )
        self.users.append(name)
        return name

    def home(self, name: str) -> Path:
        return self.base / "home" / name

    def spawn(self, name: str, educators: tuple[str, ...] = ()) -> SimpleNamespace:
        spawner = SimpleNamespace(
            user=SimpleNamespace(name=name, groups=[]), environment={}, args=[], log=logging.getLogger("itb.hub.test")
        )
        hub_hooks.prepare_home(spawner, self.base, list(educators))
        return spawner

    def as_user(self, name: str, *cmd: str) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", name, "--", *cmd], capture_output=True, text=True, timeout=60)

    def owned_by(self, path: Path, name: str) -> None:
        """What the trainee would make (a link, a FIFO): theirs, as if they had made it."""
        os.chown(path, *self.ids(name), follow_symlinks=False)

    def ids(self, name: str) -> tuple[int, int]:
        import pwd

        pw = pwd.getpwnam(name)
        return pw.pw_uid, pw.pw_gid

    def remove(self) -> None:
        for name in self.users:
            subprocess.run(["userdel", name], capture_output=True)
        subprocess.run(["groupdel", self.group], capture_output=True)


@pytest.fixture
def klass(monkeypatch):
    base = Path(tempfile.mkdtemp(prefix="itb-hook-", dir="/tmp"))
    k = Class(base, monkeypatch)
    try:
        yield k
    finally:
        k.remove()
        shutil.rmtree(base, ignore_errors=True)


def _snapshot(path: Path) -> dict:
    return {
        str(p.relative_to(path)): (os.lstat(p).st_uid, stat.S_IMODE(os.lstat(p).st_mode))
        for p in [path, *path.rglob("*")]
    }


# -- item 1: root through the pre-spawn hook ---------------------------------------------------------


@pytest.mark.parametrize("place", ["itb", "itb/exercises", ".itb-training", ".itb-training/itb"])
def test_root_through_the_pre_spawn_hook_a_link_in_the_home_hands_nothing_over(klass, place, caplog):
    """A trainee replaces a folder of the layout with a link to a folder of root's: the hook, as root,
    chowned it to them (and rmtree'd the class's apps under it).  Now the link is refused and left alone."""
    t = klass.user("t")
    klass.spawn(t)  # the layout exists, as after a first sign-in
    target = klass.base / "victim"
    (target / "notebooks").mkdir(parents=True)
    (target / "notebooks" / "index.ipynb").write_text("{}")
    (target / "itb").mkdir()
    os.chmod(target, 0o755)
    before = _snapshot(target)
    place_path = klass.home(t) / place
    shutil.rmtree(place_path)
    place_path.symlink_to(target)
    klass.owned_by(place_path, t)
    with caplog.at_level(logging.WARNING):
        klass.spawn(t)
    assert _snapshot(target) == before  # nothing chowned, chmodded, made or deleted there
    assert place_path.is_symlink() and os.readlink(place_path) == str(target)  # the trainee's link stays
    assert "refused" in caplog.text and place in caplog.text


def test_root_through_the_pre_spawn_hook_the_class_install_is_never_deleted_or_handed_over(klass):
    """``~/itb`` -> the class install: the old hook chowned the install to the trainee and rmtree'd its apps."""
    t = klass.user("t")
    itb = klass.home(t) / "itb"
    itb.symlink_to(klass.suite)
    klass.owned_by(itb, t)
    before = _snapshot(klass.suite)
    klass.spawn(t)
    assert _snapshot(klass.suite) == before
    assert (klass.suite / "notebooks" / "index.ipynb").exists()


def test_root_through_the_pre_spawn_hook_another_trainees_progress_is_not_taken_over(klass):
    """``~/.itb-training`` -> another trainee's: the old hook chowned their progress to the attacker."""
    victim, attacker = klass.user("v"), klass.user("a")
    klass.spawn(victim)
    progress = klass.home(victim) / ".itb-training" / "itb" / "progress.sqlite"
    progress.write_text("answers")
    os.chown(progress, *klass.ids(victim))
    mine = klass.home(attacker) / ".itb-training"
    mine.symlink_to(klass.home(victim) / ".itb-training")
    klass.owned_by(mine, attacker)
    klass.spawn(attacker)
    vuid = klass.ids(victim)[0]
    assert os.stat(progress.parent.parent).st_uid == vuid and os.stat(progress.parent).st_uid == vuid
    assert klass.as_user(attacker, "cat", str(progress)).returncode != 0


@pytest.mark.parametrize("kind", ["fifo", "folder", "file", "foreign-link"])
def test_root_through_the_pre_spawn_hook_never_deletes_what_it_did_not_make(klass, kind, caplog):
    """At the place of one of the hook's links the trainee has a FIFO, a folder of their work, a file or a
    link of their own: the old hook rmtree'd or unlinked it.  Now it is refused, left as it is, and the hook
    does not hang on the FIFO."""
    t = klass.user("t")
    klass.spawn(t)
    spot = klass.home(t) / "itb" / "notebooks"
    spot.unlink()
    if kind == "fifo":
        os.mkfifo(spot)
    elif kind == "folder":
        spot.mkdir()
        (spot / "my-notes.ipynb").write_text("mine")
    elif kind == "file":
        spot.write_text("mine")
    else:
        spot.symlink_to(klass.home(t))
    klass.owned_by(spot, t)
    before = os.lstat(spot)
    with caplog.at_level(logging.WARNING):
        klass.spawn(t)
    after = os.lstat(spot)
    assert (after.st_ino, after.st_mode, after.st_uid) == (before.st_ino, before.st_mode, before.st_uid)
    if kind == "folder":
        assert (spot / "my-notes.ipynb").read_text() == "mine"
    assert "refused" in caplog.text
    assert os.readlink(klass.home(t) / "itb" / "exercises" / "trainee") == str(klass.suite / "exercises" / "trainee")


def test_root_through_the_pre_spawn_hook_a_folder_of_someone_else_is_refused(klass, caplog):
    """A folder owned by another user at a place of the layout (moved or made there) is not chowned."""
    t, other = klass.user("t"), klass.user("o")
    klass.spawn(t)
    spot = klass.home(t) / "itb" / "exercises"
    shutil.rmtree(spot)
    spot.mkdir()
    os.chown(spot, *klass.ids(other))
    with caplog.at_level(logging.WARNING):
        klass.spawn(t)
    assert os.lstat(spot).st_uid == klass.ids(other)[0]
    assert "refused" in caplog.text


def test_root_through_the_pre_spawn_hook_a_runtime_root_made_first_by_someone_is_refused(klass):
    """The runtime root lives in /tmp, where anyone may make it first (a folder or a link of theirs): the old
    hook chowned whatever was there to root and made the trainee's socket folder inside it."""
    t, early = klass.user("t"), klass.user("e")
    run = klass.base / "run"
    run.mkdir()
    os.chown(run, *klass.ids(early))
    with pytest.raises(hub_hooks.Refused):
        klass.spawn(t)
    assert os.lstat(run).st_uid == klass.ids(early)[0] and not (run / t).exists()
    run.rmdir()
    elsewhere = klass.base / "elsewhere"
    elsewhere.mkdir()
    run.symlink_to(elsewhere)
    with pytest.raises(hub_hooks.Refused):
        klass.spawn(t)
    assert not (elsewhere / t).exists()


def test_the_hook_lays_out_a_home_and_replaces_only_its_own_links(klass):
    """The layout itself, a second sign-in changing nothing, and the hook's own outdated link replaced."""
    t, edu = klass.user("t"), klass.user("edu")
    spawner = klass.spawn(t)
    home = klass.home(t)
    assert os.readlink(home / "itb" / "notebooks") == str(klass.suite / "notebooks")
    for app in ("practice.ipynb", "assessment.ipynb", "trainee"):
        assert os.readlink(home / "itb" / "exercises" / app) == str(klass.suite / "exercises" / app)
    assert not (home / "itb" / "educator").exists()
    assert spawner.environment["ITB_ROLE"] == "trainee"
    assert spawner.environment["JUPYTER_RUNTIME_DIR"] == str(klass.base / "run" / t)
    assert "--ServerApp.terminals_enabled=False" in spawner.args
    link = home / "itb" / "notebooks"
    link.unlink()
    link.symlink_to(klass.suite / "notebooks-of-an-older-install")  # the hook's own, outdated
    klass.spawn(t)
    assert os.readlink(link) == str(klass.suite / "notebooks")
    before = _snapshot(home)
    klass.spawn(t)
    assert _snapshot(home) == before
    # the class moved to another prefix: an older hook's links (the user's, into the old suite) are replaced
    old = home / "itb" / "exercises" / "practice.ipynb"
    old.unlink()
    old.symlink_to("/opt/itb-class/suite/exercises/practice.ipynb")
    klass.owned_by(old, t)
    klass.spawn(t)
    assert os.readlink(old) == str(klass.suite / "exercises" / "practice.ipynb")
    klass.spawn(edu, educators=(edu,))
    assert os.readlink(klass.home(edu) / "itb" / "educator") == str(klass.suite / "educator")


# -- item 3: another trainee's work is readable -------------------------------------------------------


def test_another_trainees_work_is_not_readable(klass):
    """``~/itb`` was 0755 and what a trainee saved 0644 (umask 022): another trainee read their answers.
    Now the home is closed to other trainees (educators may only pass through to the progress folder)."""
    t1, t2, edu = klass.user("t1"), klass.user("t2"), klass.user("edu")
    klass.spawn(edu, educators=(edu,))
    klass.spawn(t1)
    home = klass.home(t1)
    work = home / "itb" / "which_syndrome" / "which_syndrome.ipynb"  # fetched by nbgrader, saved 0644
    assert (
        klass.as_user(t1, "sh", "-c", f"umask 022 && mkdir -p {work.parent} && echo answers > {work}").returncode == 0
    )
    history = home / ".ipython" / "profile_default" / "history.sqlite"
    assert (
        klass.as_user(t1, "sh", "-c", f"umask 022 && mkdir -p {history.parent} && echo history > {history}").returncode
        == 0
    )
    progress = home / ".itb-training" / "itb" / "progress.sqlite"
    assert klass.as_user(t1, "sh", "-c", f"echo rows > {progress} && chmod 0640 {progress}").returncode == 0
    for path in (work, history, progress, home / ".bashrc"):
        assert klass.as_user(t2, "cat", str(path)).returncode != 0, path
    for folder in (home, home / "itb", home / ".itb-training"):
        assert klass.as_user(t2, "ls", str(folder)).returncode != 0, folder
    assert stat.S_IMODE(os.stat(home / "itb").st_mode) == 0o700
    # the educators read the progress and nothing else
    assert klass.as_user(edu, "cat", str(progress)).stdout == "rows\n"
    assert klass.as_user(edu, "cat", str(work)).returncode != 0
    assert klass.as_user(edu, "ls", str(home)).returncode != 0


def test_another_trainees_work_is_not_readable_servers_run_with_a_private_umask(klass):
    """What a trainee's server and kernels write (notebooks, history) is theirs only: umask 077."""
    from jupyterhub.spawner import LocalProcessSpawner

    t = klass.user("t")
    spawner_class = hub_hooks.ClassSpawner
    assert issubclass(spawner_class, LocalProcessSpawner)
    preexec = spawner_class().make_preexec_fn(t)
    out = subprocess.run(
        ["sh", "-c", "umask; id -u"], preexec_fn=preexec, capture_output=True, text=True, cwd="/", check=True
    )
    assert out.stdout.split() == ["0077", str(klass.ids(t)[0])]
    config = (ROOT / "deploy" / "jupyterhub_config.py").read_text()
    assert "c.JupyterHub.spawner_class = ClassSpawner" in config


def test_another_trainees_work_is_not_readable_the_hubs_state_is_tightened(klass):
    """The hub's state folder (its database: every user's tokens) is root's 0700, its files 0600 — also
    when it existed already with looser modes (the old ``mkdir(mode=0o700, exist_ok=True)`` left it)."""
    state = klass.base / "state"
    state.mkdir(mode=0o755)
    os.chmod(state, 0o755)
    db = state / "jupyterhub.sqlite"
    db.write_text("tokens")
    os.chmod(db, 0o644)
    hub_hooks.secure_state(state)
    assert stat.S_IMODE(os.stat(state).st_mode) == 0o700 and os.stat(state).st_uid == 0
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    config = (ROOT / "deploy" / "jupyterhub_config.py").read_text()
    assert "secure_state(STATE)" in config
