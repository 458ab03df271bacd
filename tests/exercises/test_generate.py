"""Generated notebooks: trainee versions hold no solution and lock the checks; solutions execute."""

import subprocess
import sys

import nbformat
import pytest

from exercises import generate
from exercises.core import list_exercises

SOURCES = sorted(generate.SOURCE_DIR.glob("*.ipynb"))


def _solution_lines(src):
    lines = []
    for cell in src.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            body = [ln.strip() for ln in cell.source.split("\n") if ln.strip() not in (generate.BEGIN, generate.END)]
            # a line of brackets alone (a formatted call's closing ")") says nothing about the solution
            lines += [ln for ln in body if any(ch.isalnum() for ch in ln) and not ln.startswith("#") and ln != "answer"]
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


# Executes the given notebooks concurrently (kernel start-up dominates, so they overlap well on two cores)
# and writes each executed notebook to <out>/<folder>/<name>.ipynb. It runs in a subprocess so that the
# kernel machinery's own warnings stay outside this test session's filterwarnings = error.
_RUNNER = """
import asyncio, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient

out = Path(sys.argv[1])

async def run(path, sem):
    async with sem:
        nb = nbformat.read(path, as_version=4)
        await NotebookClient(nb, timeout=120, kernel_name="python3",
                             resources={"metadata": {"path": str(out)}}).async_execute()
        target = out / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)

async def main():
    sem = asyncio.Semaphore(4)
    await asyncio.gather(*(run(Path(p), sem) for p in sys.argv[2:]))

asyncio.run(main())
"""


@pytest.fixture(scope="session")
def executed(tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """Every solution notebook and one trainee notebook, each executed once per test session."""
    out = tmp_path_factory.mktemp("executed")
    paths = [generate.SOLUTION_DIR / f"{p.stem}.ipynb" for p in SOURCES] + [generate.TRAINEE_DIR / "refill_dates.ipynb"]
    subprocess.run(
        [sys.executable, "-c", _RUNNER, str(out), *map(str, paths)], check=True, capture_output=True, cwd=out
    )
    return {f"{p.parent.name}/{p.stem}": nbformat.read(out / p.parent.name / p.name, as_version=4) for p in paths}


@pytest.mark.slow
@pytest.mark.parametrize("ident", [p.stem for p in SOURCES])
def test_solutions_execute_and_pass(ident, executed):
    sol = executed[f"solutions/{ident}"]
    checks = [c for c in sol.cells if "ex.check(" in c.source]
    assert checks
    for c in checks:
        out = c.outputs[0]["data"]["text/plain"]
        assert out.startswith("✔ Correct"), out


@pytest.mark.slow
def test_trainee_notebook_executes_without_answers(executed):
    trainee = executed["trainee/refill_dates"]
    for c in (c for c in trainee.cells if "ex.check(" in c.source):
        assert c.outputs[0]["data"]["text/plain"].startswith("… No answer yet")
