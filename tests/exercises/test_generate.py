"""Generated notebooks: trainee versions hold no solution and lock the checks; solutions execute."""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from exercises import generate
from exercises.core import list_exercises

SOURCES = sorted(generate.SOURCE_DIR.glob("*.ipynb"))


def _solution_lines(src):
    lines = []
    for cell in src.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            body = [l.strip() for l in cell.source.split("\n") if l.strip() not in (generate.BEGIN, generate.END)]
            lines += [l for l in body if l and not l.startswith("#") and l != "answer"]
    return lines


def test_every_exercise_has_one_source():
    assert {p.stem for p in SOURCES} == {d.id for d in list_exercises()}


def test_generated_files_are_up_to_date():
    assert generate.generate(check=True) == [], "run: python -m exercises.generate"


@pytest.mark.parametrize("src_path", SOURCES, ids=lambda p: p.stem)
def test_trainee_has_no_solution_and_locked_checks(src_path):
    src = nbformat.read(src_path, as_version=4)
    trainee = generate.trainee_notebook(src)
    text = "\n".join(c.source for c in trainee.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    for line in _solution_lines(src):
        assert line not in text, line
    checks = [c for c in trainee.cells if "ex.check(" in c.source]
    assert checks and all(c.metadata["deletable"] is False and c.metadata["editable"] is False for c in checks)
    answers = [c for c in trainee.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(answers) == len(checks)
    assert all(c.source.startswith("answer = ...") and c.metadata.get("editable", True) for c in answers)
    assert all(not c.get("outputs") for c in trainee.cells if c.cell_type == "code")
    assert "TRAINEE_SEED" in text and "not for treating patients" in text


@pytest.mark.parametrize("src_path", SOURCES, ids=lambda p: p.stem)
def test_solution_keeps_the_working(src_path):
    src = nbformat.read(src_path, as_version=4)
    sol = generate.solution_notebook(src)
    text = "\n".join(c.source for c in sol.cells)
    assert "BEGIN SOLUTION" not in text
    for line in _solution_lines(src):
        assert line in text


def test_answer_key_lists_every_exercise():
    key = generate.ANSWER_KEY.read_text(encoding="utf-8")
    for d in list_exercises():
        assert f"`{d.id}`" in key


def _execute(path: Path, tmp_path: Path) -> nbformat.NotebookNode:
    out = tmp_path / path.parent.name
    subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                    "--ExecutePreprocessor.timeout=120", "--output-dir", str(out), str(path)],
                   check=True, capture_output=True, cwd=tmp_path)
    return nbformat.read(out / path.name, as_version=4)


@pytest.mark.slow
@pytest.mark.parametrize("ident", [p.stem for p in SOURCES])
def test_solutions_execute_and_pass(ident, tmp_path):
    sol = _execute(generate.SOLUTION_DIR / f"{ident}.ipynb", tmp_path)
    checks = [c for c in sol.cells if "ex.check(" in c.source]
    assert checks
    for c in checks:
        out = c.outputs[0]["data"]["text/plain"]
        assert out.startswith("✔ Correct"), out


@pytest.mark.slow
def test_trainee_notebook_executes_without_answers(tmp_path):
    trainee = _execute(generate.TRAINEE_DIR / "refill_dates.ipynb", tmp_path)
    for c in (c for c in trainee.cells if "ex.check(" in c.source):
        assert c.outputs[0]["data"]["text/plain"].startswith("… No answer yet")
