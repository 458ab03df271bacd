"""A real class on JupyterHub on this machine: sign-in, one server per trainee, an app, an nbgrader
assignment from release to gradebook, the class view, who may read what, and idle culling.

For training only, not for treating patients.

JupyterHub with configurable-http-proxy (npm) and its LocalProcessSpawner start each trainee's
server as their own Unix user, from the class install ``deploy.class_setup`` makes with Debian's
Python (every user can run it).  The educator runs nbgrader's commands as their Unix user.  Needs
root (it adds Unix users ``itb-edu`` and ``itb-t1`` …); ``ITB_HUB_TRAINEES=20`` runs the full class
(default 3, as in ``.ci/run``).  Figures go to ``test-artifacts/hub-figures.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubclient

pytestmark = [pytest.mark.hub, pytest.mark.timeout(1500)]

N_TRAINEES = int(os.environ.get("ITB_HUB_TRAINEES", "3"))
PREFIX = Path(os.environ.get("ITB_HUB_TEST_PREFIX", "/tmp/itb-class-test"))
PYTHON = "/usr/bin/python3"
EDUCATOR = "itb-edu"
TRAINEES = [f"itb-t{i}" for i in range(1, N_TRAINEES + 1)]
ASSIGNMENT = "which_syndrome"
ARTIFACTS = ROOT / "test-artifacts"
#: The hub's own culler (deploy/jupyterhub_config.py) runs with this timeout, longer than the class's
#: work; the culling test then runs the same culler with CULL_TIMEOUT so the wait stays short.
HUB_CULL_TIMEOUT = 900
CULL_TIMEOUT = 20


def _need(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def _user(name: str) -> None:
    if subprocess.run(["id", "-u", name], capture_output=True).returncode != 0:
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(PREFIX / "home" / name), "--shell", "/bin/bash", name],
            check=True,
        )


def _as(
    user: str, *cmd: str, cwd: Path | None = None, check: bool = True, env: dict | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    home = Path(f"~{user}").expanduser()
    env = {
        "HOME": str(home),
        "USER": user,
        "PATH": f"{PREFIX / 'venv' / 'bin'}:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        **(env or {}),
    }
    out = subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()], *cmd],
        cwd=cwd or home,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} as {user} failed:\n{out.stdout}\n{out.stderr}")
    return out


@pytest.fixture(scope="module")
def hub():
    _need(hasattr(os, "geteuid") and os.geteuid() == 0, "the class test adds Unix users: run it as root")
    _need(shutil.which("useradd") is not None and shutil.which("runuser") is not None, "useradd/runuser missing")
    _need(Path(PYTHON).exists(), f"{PYTHON} (a Python every Unix user can run) is missing")
    chp = hubclient.find_proxy(ROOT)
    _need(chp is not None, "configurable-http-proxy is not installed (python3 tasks.py test installs it with npm)")
    _need(
        shutil.which("bwrap") is not None,
        "bubblewrap (bwrap) is missing: nbgrader grades in its sandbox "
        "(python3 tasks.py test installs Debian's 'bubblewrap' as root)",
    )
    from deploy import class_setup

    PREFIX.mkdir(parents=True, exist_ok=True)
    os.chmod(PREFIX, 0o755)
    (PREFIX / "home").mkdir(exist_ok=True)
    os.chmod(PREFIX / "home", 0o755)
    for name in [EDUCATOR, *TRAINEES]:
        _user(name)
    t0 = time.perf_counter()
    class_setup.setup(PREFIX, PYTHON, [EDUCATOR])
    install_s = time.perf_counter() - t0
    for name in TRAINEES:  # a trainee's earlier run leaves nothing behind
        home = Path(f"~{name}").expanduser()
        for sub in (".itb-training", "itb"):
            shutil.rmtree(home / sub, ignore_errors=True)
    course = Path(f"~{EDUCATOR}").expanduser() / "itb-course"  # an earlier run's submissions and grades go
    for sub in ("release", "submitted", "autograded", "feedback", "gradebook.db", "grades.csv"):
        target = course / sub
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)
    shutil.rmtree(PREFIX / "exchange", ignore_errors=True)
    (PREFIX / "exchange").mkdir()
    os.chmod(PREFIX / "exchange", 0o1777)
    h = hubclient.Hub.start(
        ROOT, PREFIX, chp, EDUCATOR, TRAINEES, cull_timeout=HUB_CULL_TIMEOUT, log=ARTIFACTS / "hub.log"
    )
    h.figures["class_install_s"] = round(install_s, 1)
    try:
        yield h
    finally:
        h.stop()
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "hub-figures.json").write_text(json.dumps(h.figures, indent=2) + "\n")


def _answers(source: Path, wrong_part: str | None) -> dict[str, str]:
    """The solution cells of the authored source, by grade id (one part answered wrong if asked)."""
    nb = json.loads(source.read_text())
    out = {}
    for cell in nb["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            code = "".join(cell["source"]).replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
            if wrong_part and meta["grade_id"] == f"{ASSIGNMENT}_{wrong_part}_answer":
                # a real option, but not the right one (worked out as the solution cell does: a trainee's install
                # has no ex.solution()): the feedback names the rule and its source
                code += f"\nright = answer\nanswer = next(k for k in ex.part({wrong_part!r}).options if k != right)"
            out[meta["grade_id"]] = code
    return out


def test_a_class_signs_in_works_submits_and_is_graded(hub):
    # -- the educator releases the assignment (as their Unix user, in their course folder) ---------------
    course = Path(f"~{EDUCATOR}").expanduser() / "itb-course"
    _as(EDUCATOR, "nbgrader", "generate_assignment", ASSIGNMENT, "--force", cwd=course)
    _as(EDUCATOR, "nbgrader", "release_assignment", ASSIGNMENT, "--force", cwd=course)

    # -- every trainee signs in at once; their own server starts and lands on the Voilà home page ---------
    sessions = {name: hubclient.Session(hub, name) for name in [EDUCATOR, *TRAINEES]}
    with ThreadPoolExecutor(max_workers=min(8, len(sessions))) as pool:
        landed = dict(zip(sessions, pool.map(lambda s: s.sign_in(), sessions.values()), strict=False))
    for name, (url, _seconds) in landed.items():
        assert url.split("?")[0].endswith("/voila/render/itb/notebooks/index.ipynb"), (name, url)
    hub.figures["sign_in_to_home_s"] = sorted(round(s, 1) for _, s in landed.values())

    # -- the whole class opens the same app at once through the hub: time to interactive (page rendered,
    #    kernel answering, every widget's state received), from the click ---------------------------------
    with ThreadPoolExecutor(max_workers=len(TRAINEES)) as pool:
        opened = list(pool.map(lambda n: sessions[n].render("itb/notebooks/screening.ipynb"), TRAINEES))
    tti = sorted(seconds for seconds, _page, _text in opened)
    assert all("test dose" in text.lower() for _s, _p, text in opened)
    hub.figures["time_to_interactive_s"] = {
        "n": len(tti),
        "median": round(statistics.median(tti), 2),
        "p95": round(tti[min(len(tti) - 1, round(0.95 * (len(tti) - 1)))], 2),
        "max": round(max(tti), 2),
        "load_average": round(os.getloadavg()[0], 1),
    }
    hub.figures["memory_per_trainee_mb"] = hubclient.memory_by_user(TRAINEES)
    _s, _page, home = sessions[TRAINEES[0]].render("itb/notebooks/index.ipynb")
    assert f"Signed in as {TRAINEES[0]}" in " ".join(home.split()) and "Open the exercises in JupyterLab" in home

    # -- trainees fetch, work (Voilà runs their notebook in their kernel) and submit --------------------
    source = ROOT / "exercises" / "source" / f"{ASSIGNMENT}.ipynb"
    for i, name in enumerate(TRAINEES):
        s = sessions[name]
        s.nbgrader("fetch", ASSIGNMENT)
        path = f"itb/{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
        s.fill_answers(path, _answers(source, wrong_part="section" if i == 1 else None))
        page = s.get(f"/user/{name}/voila/render/{path}").text
        assert f"{name} (signed in)" in page, name
        s.nbgrader("submit", ASSIGNMENT)

    # -- the educator collects, autogrades and exports the gradebook ----------------------------------
    _as(EDUCATOR, "nbgrader", "collect", ASSIGNMENT, "--update", cwd=course)
    _as(EDUCATOR, "nbgrader", "autograde", ASSIGNMENT, "--force", cwd=course)
    _as(EDUCATOR, "nbgrader", "export", "--to", "grades.csv", cwd=course)
    grades = (course / "grades.csv").read_text().splitlines()
    scores = {row.split(",")[3]: row for row in grades[1:] if row.split(",")[0] == ASSIGNMENT}
    header = grades[0].split(",")
    col = header.index("raw_score")
    assert float(scores[TRAINEES[0]].split(",")[col]) == 2.0
    if N_TRAINEES > 1:
        assert float(scores[TRAINEES[1]].split(",")[col]) == 1.0  # the wrong part scored nothing
        graded = course / "autograded" / TRAINEES[1] / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        outputs = json.dumps([c.get("outputs", []) for c in json.loads(graded.read_text())["cells"]])
        assert "Not yet" in outputs and "Rule:" in outputs and "(source: " in outputs

    # -- the class view: educators only -----------------------------------------------------------------
    _s, _page, shown = sessions[EDUCATOR].render("itb/educator/class_view.ipynb")
    for name in TRAINEES:
        assert name in shown
    assert "Download the table as CSV" in shown and "Not available" not in shown
    t1 = sessions[TRAINEES[0]]
    assert t1.get(f"/user/{TRAINEES[0]}/voila/render/itb/educator/class_view.ipynb").status_code == 404
    assert t1.api_get("/hub/api/groups/trainees").status_code == 403  # a trainee may not list the class


async def _forge(ks, mid: str, state: dict) -> None:
    """What a forged browser sends: a widget update the page never offers."""
    await ks.request(
        "shell",
        "comm_msg",
        {"comm_id": mid, "data": {"method": "update", "state": state, "buffer_paths": []}},
        60,
        idle=True,
    )


def test_a_hub_voila_page_refuses_a_forged_widget_update(hub):
    # Before: a hub's Voilà kernel loaded no widgets._kernel (a forged slider bound or signed-in name was taken),
    # and the practice page was rendered with Voilà's lab template, without the suite's stylesheet and scripts
    name = TRAINEES[0]
    s = hubclient.Session(hub, name)
    s.sign_in()
    seen: dict = {}

    async def forge_pk(ks) -> None:
        slider = next(m for m, st in ks.states.items() if st.get("_model_name") == "FloatSliderModel")
        seen["max"] = ks.states[slider]["max"]
        await _forge(ks, slider, {"max": 1e12, "value": 1e12})  # a forged slider bound
        seen["after"] = (ks.states[slider]["max"], ks.states[slider]["value"])

    _s, page, _text = s.render("itb/notebooks/pk.ipynb", forge_pk)
    assert seen["after"][0] == seen["max"] and seen["after"][1] <= seen["max"], seen  # the real state sent back
    assert "voila/templates/itb/static/itb.css" in page

    async def forge_practice(ks) -> None:
        field = ks.find("itb-field-trainee")
        seen["name"] = ks.states[field].get("value")
        await _forge(ks, field, {"value": "itb-someone-else"})  # the disabled, signed-in trainee's name
        seen["forged"] = ks.states[field].get("value")

    _s, page, _text = s.render("itb/exercises/practice.ipynb", forge_practice)
    assert seen["name"] == name and seen["forged"] == name, seen
    assert "voila/templates/itb/static/itb.css" in page and "a11y.js" in page  # the suite's template


def test_a_trainee_reaches_neither_another_trainee_nor_the_solutions(hub):
    t1, t2 = TRAINEES[0], TRAINEES[-1] if N_TRAINEES > 1 else TRAINEES[0]
    s = hubclient.Session(hub, t1)
    s.sign_in()
    if t2 != t1:
        r = s.get(f"/user/{t2}/api/contents", follow_redirects=False)
        assert r.status_code in (302, 403, 404) and "content" not in r.text[:200]
        # the Unix user cannot open another trainee's progress, nor the educator's course
        other = Path(f"~{t2}").expanduser() / ".itb-training" / "itb" / "progress.sqlite"
        probe = _as(t1, PYTHON, "-c", f"open({str(other)!r}, 'rb')", check=False)
        assert probe.returncode != 0 and "Permission denied" in probe.stderr
    course = Path(f"~{EDUCATOR}").expanduser() / "itb-course" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    probe = _as(t1, PYTHON, "-c", f"open({str(course)!r})", check=False)
    assert probe.returncode != 0 and "Permission denied" in probe.stderr
    # the class install holds no solution, source or answer key, and the trainee's server serves none
    leaked = [
        str(p)
        for p in PREFIX.glob("**/*")
        if re.search(r"ANSWER_KEY|exercises/(solutions|source)", str(p)) and "itb-course" not in str(p)
    ]
    assert not leaked, leaked[:5]
    listing = s.get(f"/user/{t1}/api/contents/itb/exercises").json()
    assert sorted(c["name"] for c in listing["content"]) == ["assessment.ipynb", "practice.ipynb", "trainee"]
    assert s.get(f"/user/{t1}/files/itb/exercises/solutions/ANSWER_KEY.md").status_code == 404
    assert s.get(f"/user/{t1}/api/contents/..%2f..%2f..%2fetc").status_code in (400, 404)
    # the educator's progress view of the trainee is readable by the educators' group
    mine = Path(f"~{t1}").expanduser() / ".itb-training" / "itb" / "progress.sqlite"
    assert mine.exists()
    read = _as(
        EDUCATOR,
        str(PREFIX / "venv" / "bin" / "python"),
        "-c",
        f"import exercises.progress as p; print(len(p.read_attempts({str(mine)!r})))",
        check=False,
    )
    assert read.returncode == 0 and int(read.stdout.strip()) > 0, read.stderr


# -- what a submission can do while the educator grades it (issue 21, items 2 and 5) --------------------------

#: What a malicious answer cell tries while nbgrader runs it: each probe records what it reached (a truthy
#: value) or False; the cell prints them as one line for the test to read from the autograded notebook.
SNOOP = """import glob as _g, json as _j, os as _o, socket as _s
_reached = {{}}
def _probe(name, fn):
    try:
        _reached[name] = fn()
    except Exception as exc:
        _reached[name] = False
def _solutions():
    n = 0
    for p in _g.glob({course!r} + "/source/**/*.ipynb", recursive=True):
        with open(p) as f:
            n += "BEGIN SOLUTION" in f.read()
    return n
def _read(path):
    with open(path, "rb") as f:
        return len(f.read())
def _gradebook():
    with open({course!r} + "/gradebook.db", "r+b"):
        return "opened for writing"
def _course_write():
    p = {course!r} + "/.itb-probe"
    open(p, "w").close()
    _o.unlink(p)
    return "made a file in the course folder"
def _net():
    c = _s.create_connection(("127.0.0.1", {port}), timeout=3)
    c.sendall(b"hello")
    c.close()
    return "connected to 127.0.0.1:{port}"
def _memory():
    b = bytearray(3 << 30)
    return str(len(b) >> 30) + " GiB allocated"
_probe("solution files read", _solutions)
_probe("submissions listed", lambda: _o.listdir({course!r} + "/submitted"))
_probe("another trainee's submission read", lambda: _read({other_submission!r}))
_probe("another trainee's progress listed", lambda: _o.listdir({other_progress!r}))
_probe("exchange inbound listed", lambda: _o.listdir({inbound!r}))
_probe("educator's home listed", lambda: _o.listdir({edu_home!r}))
_probe("gradebook.db writable", _gradebook)
_probe("course folder writable", _course_write)
_probe("hub token read", lambda: _o.environ.get("JUPYTERHUB_API_TOKEN", False))
_probe("JUPYTERHUB_* variables", lambda: sorted(k for k in _o.environ if k.startswith("JUPYTERHUB")))
_probe("network", _net)
_probe("memory", _memory)
print("ITB-REACHED " + _j.dumps(_reached))
"""
SPIN = """import signal, subprocess, sys
# a process of its own that outlives the kernel, then a cell that ignores nbgrader's interrupt
subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True, stdin=subprocess.DEVNULL,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
"""


def _submit_from_a_terminal(user: str, edit) -> None:
    """A trainee (a Unix user of their own) fetches, changes the notebook with ``edit`` and submits with
    nbgrader's own commands: the exchange and the course are the real ones."""
    _user(user)
    home = Path(f"~{user}").expanduser()
    shutil.rmtree(home / "itb", ignore_errors=True)
    _as(user, "nbgrader", "fetch_assignment", ASSIGNMENT)
    path = home / "itb" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = json.loads(path.read_text())
    edit(nb)
    path.write_text(json.dumps(nb))
    _as(user, "nbgrader", "submit", ASSIGNMENT)


def _set_answers(nb: dict, answers: dict[str, str]) -> None:
    for cell in nb["cells"]:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell["source"] = answers[gid]


def _course() -> Path:
    return Path(f"~{EDUCATOR}").expanduser() / "itb-course"


def _release() -> None:
    _as(EDUCATOR, "nbgrader", "generate_assignment", ASSIGNMENT, "--force", cwd=_course())
    _as(EDUCATOR, "nbgrader", "release_assignment", ASSIGNMENT, "--force", cwd=_course())


def _scores() -> dict[str, float]:
    _as(EDUCATOR, "nbgrader", "export", "--to", "grades.csv", cwd=_course())
    rows = (_course() / "grades.csv").read_text().splitlines()
    header = rows[0].split(",")
    return {
        r.split(",")[header.index("student_id")]: float(r.split(",")[header.index("raw_score")])
        for r in rows[1:]
        if r.split(",")[0] == ASSIGNMENT
    }


class _Listener:
    """A TCP port on 127.0.0.1 that counts who connects."""

    def __init__(self) -> None:
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port, self.accepted, self.stop = self.sock.getsockname()[1], 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.accepted += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        self.sock.close()


def test_autograding_runs_trainee_code_as_the_educator(hub):
    """A submitted answer cell ran during ``nbgrader autograde`` as the educator: it read every solution, the
    other submissions and progress, could rewrite the gradebook, read the educator's hub token and reach the
    network.  Now each kernel runs in the grading sandbox: all of it fails, and grading still scores."""
    course, attacker, other = _course(), "itb-snoop", TRAINEES[0]
    _release()
    listener = _Listener()
    source = ROOT / "exercises" / "source" / f"{ASSIGNMENT}.ipynb"
    answers = _answers(source, wrong_part=None)
    snoop = SNOOP.format(
        course=str(course),
        port=listener.port,
        inbound=str(PREFIX / "exchange" / "itb" / "inbound"),
        other_submission=str(course / "submitted" / other / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"),
        other_progress=str(Path(f"~{other}").expanduser() / ".itb-training" / "itb"),
        edu_home=str(Path(f"~{EDUCATOR}").expanduser()),
    )
    which = f"{ASSIGNMENT}_which_answer"
    _submit_from_a_terminal(attacker, lambda nb: _set_answers(nb, {**answers, which: snoop + answers[which]}))
    _as(EDUCATOR, "nbgrader", "collect", ASSIGNMENT, "--update", cwd=course)
    gradebook = (course / "gradebook.db").stat()
    token = "itb-test-" + os.urandom(8).hex()
    t0 = time.monotonic()
    try:
        graded = _as(
            EDUCATOR,
            "nbgrader",
            "autograde",
            ASSIGNMENT,
            "--force",
            cwd=course,
            env={"JUPYTERHUB_API_TOKEN": token, "JUPYTERHUB_USER": EDUCATOR},
        )
    finally:
        listener.close()
    hub.figures["autograde_with_sandbox_s"] = round(time.monotonic() - t0, 1)
    notebook = (course / "autograded" / attacker / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text()
    texts = ["".join(o.get("text", "")) for c in json.loads(notebook)["cells"] for o in c.get("outputs", [])]
    lines = [ln for t in texts for ln in t.splitlines() if ln.startswith("ITB-REACHED ")]
    assert lines, f"the answer cell did not run:\n{graded.stdout[-2000:]}\n{graded.stderr[-2000:]}"
    reached = json.loads(lines[0].split(" ", 1)[1])
    hub.figures["autograde_attack_reached"] = reached
    assert not any(reached.values()), f"reached while graded: { {k: v for k, v in reached.items() if v} }"
    assert len(reached) == 12
    assert listener.accepted == 0, f"{listener.accepted} connection(s) to 127.0.0.1:{listener.port}"
    assert token not in notebook
    assert (course / "gradebook.db").stat().st_uid == gradebook.st_uid
    # grading still works: the attacker's right answers and the honest trainees' scores
    scores = _scores()
    assert scores[attacker] == 2.0
    if (course / "submitted" / TRAINEES[0]).exists():
        assert scores[TRAINEES[0]] == 2.0
    if N_TRAINEES > 1 and (course / "submitted" / TRAINEES[1]).exists():
        assert scores[TRAINEES[1]] == 1.0


def test_autograding_runs_trainee_code_as_the_educator_a_never_ending_cell_is_stopped(hub):
    """An answer cell that starts a process of its own and then loops for ever, ignoring nbgrader's interrupt: the
    process ran on as the educator after grading, for good.  Now the sandbox's CPU limit ends the kernel, its
    PID namespace ends everything it started, and nbgrader goes on."""
    import psutil

    from deploy.class_setup import GRADING_CELL_TIMEOUT, GRADING_LIMITS

    course, attacker = _course(), "itb-spin"
    _release()
    answers = _answers(ROOT / "exercises" / "source" / f"{ASSIGNMENT}.ipynb", wrong_part=None)
    which = f"{ASSIGNMENT}_which_answer"
    _submit_from_a_terminal(attacker, lambda nb: _set_answers(nb, {**answers, which: SPIN}))
    _as(EDUCATOR, "nbgrader", "collect", ASSIGNMENT, "--update", cwd=course)
    uid = int(subprocess.run(["id", "-u", EDUCATOR], capture_output=True, text=True, check=True).stdout)
    before = {p.pid for p in psutil.process_iter()}
    # the kernel ends at its CPU limit or, on a busy machine, at nbgrader's timeout of the cell
    bound = max(GRADING_LIMITS["cpu_seconds"], GRADING_CELL_TIMEOUT) + 60
    t0 = time.monotonic()
    try:
        out = _as(
            EDUCATOR,
            "nbgrader",
            "autograde",
            ASSIGNMENT,
            "--student",
            attacker,
            "--force",
            cwd=course,
            check=False,
            timeout=bound + 120,
        )
    except subprocess.TimeoutExpired:
        out = None
    seconds = round(time.monotonic() - t0, 1)
    time.sleep(2)
    left = []  # what grading started as the educator and is still running
    for p in psutil.process_iter(["uids", "cmdline"]):
        try:
            if p.pid not in before and p.info["uids"] and p.info["uids"].real == uid:
                left.append((p.pid, " ".join(p.info["cmdline"] or [])[:80]))
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    log = (out.stdout + out.stderr) if out else ""
    hub.figures["autograde_never_ending_cell"] = {
        "seconds": seconds,
        "left_running": len(left),
        "kernel_died": "Kernel died" in log,
        "timeout": "Timeout" in log,
    }
    for pid, _cmd in left:  # do not let them spin through the other tests
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"still running as the educator after grading: {left}"
    assert out is not None, f"nbgrader autograde still running after {seconds} s"
    assert seconds < bound, f"grading the never-ending cell took {seconds} s (bound {bound} s)"
    assert "Kernel died" in log or "Timeout" in log, log[-2000:]


def _html_attacks(nb: dict, answers: dict[str, str]) -> None:
    which = f"{ASSIGNMENT}_which_answer"
    _set_answers(
        nb,
        {
            **answers,
            which: (
                "from IPython.display import HTML, display\n"
                "display(HTML('<img src=x onerror=alert(2)><script>alert(3)</script><a "
                'href="javascript:alert(4)">x</a>\'))\n' + answers[which]
            ),
        },
    )
    notes = "My notes <img src=x onerror=alert(1)> [see](javascript:alert(5))\n\n<script>alert(6)</script>"
    nb["cells"].insert(1, {"cell_type": "markdown", "metadata": {}, "source": notes})


def _unsafe(html: str) -> list[str]:
    """What a browser would run of the trainee's markup (each payload calls ``alert``): on* attributes,
    javascript: links, scripts.  The pages' own on* handlers (the formgrader's ``onclick``) are not the trainee's."""
    from html.parser import HTMLParser

    found: list[str] = []

    class Parser(HTMLParser):
        script = False

        def handle_starttag(self, tag, attrs):
            for name, value in attrs:
                value = (value or "").strip().lower()
                if (name.lower().startswith("on") and "alert(" in value) or value.startswith("javascript:"):
                    found.append(f"<{tag} {name}={value!r}>")
            self.script = tag == "script"

        def handle_endtag(self, tag):
            self.script = False

        def handle_data(self, data):
            if self.script and "alert(" in data:
                found.append(f"<script>{data.strip()[:60]}</script>")

    Parser().feed(html)
    return found


FORMGRADER_RENDER = """import json, sys
from nbconvert.exporters import HTMLExporter
from nbgrader.apps.baseapp import NbGrader
from nbgrader.server_extensions.formgrader import handlers
app = NbGrader()  # the configuration the formgrader loads (FormgradeExtension.load_config), from the server's folder
app.load_config_file()
config = app.config
config.HTMLExporter.template_name = "formgrade"  # FormgradeExtension.build_extra_config
config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
resources = {"assignment_id": "a", "notebook_id": "n", "submission_id": "s", "index": 0, "total": 1,
             "base_url": "/", "student": "x", "last_name": "", "first_name": "", "notebook_path": "n.ipynb"}
html, _ = HTMLExporter(config=config).from_filename(sys.argv[1], resources=resources)
sys.stdout.write(html)
"""


def test_formgrader_shows_submitted_html_unsanitised(hub):
    """An ``<img src=x onerror=…>`` in a trainee's markdown or output ran in the educator's formgrader page and
    in the feedback.  Now both sanitise what trainees wrote: no on* attribute, no script, no javascript: link."""
    course, attacker = _course(), "itb-html"
    _release()
    answers = _answers(ROOT / "exercises" / "source" / f"{ASSIGNMENT}.ipynb", wrong_part=None)
    _submit_from_a_terminal(attacker, lambda nb: _html_attacks(nb, answers))
    _as(EDUCATOR, "nbgrader", "collect", ASSIGNMENT, "--update", cwd=course)
    _as(EDUCATOR, "nbgrader", "autograde", ASSIGNMENT, "--student", attacker, "--force", cwd=course)
    graded = course / "autograded" / attacker / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert "onerror=alert(2)" in graded.read_text()  # the output is there to be shown
    # the feedback the trainee gets back, and the page the educator grades on
    _as(EDUCATOR, "nbgrader", "generate_feedback", ASSIGNMENT, "--student", attacker, "--force", cwd=course)
    feedback = (course / "feedback" / attacker / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
    page = _as(EDUCATOR, str(PREFIX / "venv" / "bin" / "python"), "-c", FORMGRADER_RENDER, str(graded)).stdout
    assert "My notes" in feedback and "My notes" in page  # the trainee's cell is shown, as text
    unsafe = {"feedback": _unsafe(feedback), "formgrader": _unsafe(page)}
    hub.figures["unsanitised_html"] = unsafe
    assert unsafe == {"feedback": [], "formgrader": []}, unsafe
    assert _scores()[attacker] == 2.0


def test_idle_servers_are_culled(hub):
    # jupyterhub-idle-culler, as the hub's configured service runs it, with a short timeout
    services = hub.api("GET", "/services").json()
    assert "idle-culler" in services and services["idle-culler"]["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert hub.running_servers(), "the class's servers should still be running before culling"
    t0 = time.monotonic()
    culler = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={CULL_TIMEOUT}",
            "--cull-every=5",
            f"--url={hub.url}/hub/api",
        ],
        env={**os.environ, "JUPYTERHUB_API_TOKEN": hub.token},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        running = hub.running_servers()
        while running and time.monotonic() - t0 < CULL_TIMEOUT + 120:
            time.sleep(3)
            running = hub.running_servers()
    finally:
        culler.terminate()
        culler.wait(10)
    assert not running, f"still running after culling should have stopped them: {running}"
    hub.figures["culled_after_s"] = round(time.monotonic() - t0, 1)
