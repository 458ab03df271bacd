"""What the installed package holds: everything the apps need, never a solution, source or answer key.

For training only, not for treating patients.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_a_class_installs_holds_no_solution_source_or_answer_key(trainee_install):
    # A class's environment is installed from this wheel (deploy/class_setup.py); before this test
    # the answer key (exercises/solutions/ANSWER_KEY.md) travelled in it as package data.
    wheel, _site = trainee_install
    names = zipfile.ZipFile(wheel).namelist()
    leaked = [
        n
        for n in names
        if n.startswith(("exercises/solutions", "exercises/source", "exercises/trainee")) or "ANSWER_KEY" in n
    ]
    assert not leaked, leaked
    for needed in (
        "itbcore/drug_library.toml",
        "itbcore/py.typed",
        "exercises/cases/situations/phone_triage.yaml",
        "exercises/catalogue/which_syndrome.py",
        "widgets/app.py",
        "widgets/static/figure.js",
        "itbcore/label_differences.toml",
        "itbcore/glossary.toml",
        "launcher/app.py",
        "launcher/handlers/render.py",
    ):
        assert needed in names, needed
    # the suite's Voilà templates, where Voilà looks for them (<prefix>/share/jupyter/voila/templates/)
    data = [n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n]
    for needed in (
        "itb/index.html.j2",
        "itb/conf.json",
        "itb/itb_page_head.html.j2",
        "itb/static/itb.css",
        "itb/static/a11y.js",
        "itb/static/print.js",
        "itb-reveal/index.html.j2",
        "itb-reveal/conf.json",
        "itb-reveal/static/reveal-offline.css",
    ):
        assert "share/jupyter/voila/templates/" + needed in data, needed


def test_what_trainees_open_holds_no_solution_answer_key_or_call_for_one(tmp_path):
    # deploy/class_setup.py's build_suite: the apps, the practice and assessment apps, the trainee notebooks and
    # the class view. None of it is a worked solution, an answer key, or asks for one (ex.solution(), answer_key()).
    from deploy.class_setup import build_suite

    build_suite(tmp_path / "suite")
    files = [p for p in (tmp_path / "suite").rglob("*") if p.is_file()]
    assert any(p.name == "practice.ipynb" for p in files) and any(p.parent.name == "trainee" for p in files)
    leaked = [str(p) for p in files if "ANSWER_KEY" in p.name or {"solutions", "source"} & set(p.parts)]
    assert not leaked, leaked
    for p in files:
        text = p.read_text(encoding="utf-8", errors="replace")
        for needle in ("### BEGIN SOLUTION", ".solution(", ".answer_key("):
            assert needle not in text, (str(p.relative_to(tmp_path)), needle)
