"""The answers are in the trainee's package (issue 21, item 4): ``Exercise.solution(part)`` answered any exercise,
the post-test's included.

Each test is named after what the attack got; each failed on the code before its fix (27ffc00).
"""
import json
import os
import re
import subprocess
import sys

from exercises.core import load_exercise
from itbcore.errors import ITBError

EX = "test_bolus_volume"


# -- Exercise.solution() answers the post-test in a trainee's install ------------------------------------------
_TRAINEE_KERNEL = r"""
import json
import exercises
from exercises import load_exercise
from exercises.assessment import form_seed
from itbcore.errors import ITBError

ex = load_exercise("test_bolus_volume", seed=form_seed("t1", "post", "test_bolus_volume"))
out = {"file": exercises.__file__, "check": ex.check("1 mL").status}
for name, call in (("solution", ex.solution), ("answer_key", ex.answer_key)):
    try:
        out[name] = {"answer": str(call())}
    except Exception as exc:
        out[name] = {"refused": type(exc).__name__, "itb": isinstance(exc, ITBError), "message": str(exc)}
print(json.dumps(out))
"""


def test_solution_answers_the_post_test(trainee_install, tmp_path):
    # Before: in the wheel a class installs, t1's post-test case (seed 7504) gave ex.solution() -> "2.0 ml" and
    # ex.answer_key() -> "- `volume`: **2 mL** — … (lionova 4.2; …)".
    _wheel, site = trainee_install
    env = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "NBGRADER_EXECUTION")}
    env.update(PYTHONPATH=str(site), ITB_PROGRESS_DB=str(tmp_path / "p.sqlite"))
    proc = subprocess.run([sys.executable, "-c", _TRAINEE_KERNEL], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(site)), out["file"]  # the install, not the checkout
    assert out["check"] in ("correct", "wrong")  # the checker still works: that is what a trainee needs
    for name in ("solution", "answer_key"):
        got = out[name]
        assert "answer" not in got, f"ex.{name}() answered the post-test in a trainee's install: {got['answer']!r}"
        assert got["refused"] == "SolutionsWithheld" and got["itb"], got
        assert "educator" in got["message"] and "answer key" in got["message"], got["message"]
    leaked = [str(p) for p in site.rglob("*") if re.search(r"ANSWER_KEY|exercises/(solutions|source)", str(p))]
    assert not leaked, leaked


def test_solution_is_refused_where_no_answer_key_is_beside_the_package(monkeypatch, tmp_path):
    # the same rule in process: what decides is the answer key beside the package (a checkout, an educator's copy)
    from exercises import core

    ex = load_exercise(EX, seed=3)
    assert ex.check(ex.solution()).correct  # a checkout: the educator's helpers work
    monkeypatch.setattr(core, "SOLUTIONS", tmp_path / "not-installed")
    for call in (ex.solution, ex.answer_key):
        try:
            got = call()
        except ITBError as exc:
            assert type(exc).__name__ == "SolutionsWithheld" and "answer key" in str(exc)
        else:
            raise AssertionError(f"answered without an answer key beside the package: {got!r}")
