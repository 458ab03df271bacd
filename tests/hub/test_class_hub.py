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

import json
import os
import re
import shutil
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
        subprocess.run(["useradd", "--create-home", "--home-dir", str(PREFIX / "home" / name), "--shell",
                        "/bin/bash", name], check=True)


def _as(user: str, *cmd: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    home = Path(f"~{user}").expanduser()
    env = {"HOME": str(home), "USER": user, "PATH": f"{PREFIX / 'venv' / 'bin'}:/usr/bin:/bin", "LANG": "C.UTF-8"}
    out = subprocess.run(["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()], *cmd],
                         cwd=cwd or home, capture_output=True, text=True, timeout=600)
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
    h = hubclient.Hub.start(ROOT, PREFIX, chp, EDUCATOR, TRAINEES, cull_timeout=HUB_CULL_TIMEOUT,
                            log=ARTIFACTS / "hub.log")
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
                code += (f"\nright = answer\nanswer = next(k for k in ex.part({wrong_part!r}).options "
                         "if k != right)")
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

    # -- each opens an app through the hub: time to interactive (page rendered, kernel answering) ---------
    with ThreadPoolExecutor(max_workers=min(8, len(TRAINEES))) as pool:
        opened = list(pool.map(lambda n: sessions[n].render("itb/notebooks/screening.ipynb"), TRAINEES))
    tti = [seconds for seconds, _page, _text in opened]
    assert all("test dose" in text.lower() for _s, _p, text in opened)
    hub.figures["time_to_interactive_s"] = {
        "n": len(tti), "median": round(statistics.median(tti), 2), "max": round(max(tti), 2)}
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
    leaked = [str(p) for p in PREFIX.glob("**/*") if re.search(r"ANSWER_KEY|exercises/(solutions|source)", str(p))
              and "itb-course" not in str(p)]
    assert not leaked, leaked[:5]
    listing = s.get(f"/user/{t1}/api/contents/itb/exercises").json()
    assert sorted(c["name"] for c in listing["content"]) == ["assessment.ipynb", "practice.ipynb", "trainee"]
    assert s.get(f"/user/{t1}/files/itb/exercises/solutions/ANSWER_KEY.md").status_code == 404
    assert s.get(f"/user/{t1}/api/contents/..%2f..%2f..%2fetc").status_code in (400, 404)
    # the educator's progress view of the trainee is readable by the educators' group
    mine = Path(f"~{t1}").expanduser() / ".itb-training" / "itb" / "progress.sqlite"
    assert mine.exists()
    read = _as(EDUCATOR, str(PREFIX / "venv" / "bin" / "python"), "-c",
               f"import exercises.progress as p; print(len(p.read_attempts({str(mine)!r})))",
               check=False)
    assert read.returncode == 0 and int(read.stdout.strip()) > 0, read.stderr


def test_idle_servers_are_culled(hub):
    # jupyterhub-idle-culler, as the hub's configured service runs it, with a short timeout
    services = hub.api("GET", "/services").json()
    assert "idle-culler" in services and services["idle-culler"]["command"][1:3] == ["-m", "jupyterhub_idle_culler"]
    assert hub.running_servers(), "the class's servers should still be running before culling"
    t0 = time.monotonic()
    culler = subprocess.Popen([sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_TIMEOUT}",
                               "--cull-every=5", f"--url={hub.url}/hub/api"],
                              env={**os.environ, "JUPYTERHUB_API_TOKEN": hub.token},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
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
