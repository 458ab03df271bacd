"""What the installed package holds: everything the apps need, never a solution, source or answer key.

For training only, not for treating patients.
"""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_a_class_installs_holds_no_solution_source_or_answer_key(tmp_path):
    # A class's environment is installed from this wheel (deploy/class_setup.py); before this test
    # the answer key (exercises/solutions/ANSWER_KEY.md) travelled in it as package data.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, cwd=tmp_path)
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    leaked = [n for n in names if n.startswith(("exercises/solutions", "exercises/source", "exercises/trainee"))
              or "ANSWER_KEY" in n]
    assert not leaked, leaked
    for needed in ("itbcore/drug_library.toml", "exercises/cases/situations/phone_triage.yaml",
                   "exercises/catalogue/which_syndrome.py", "widgets/app.py", "widgets/static/figure.js",
                   "itbcore/label_differences.toml", "launcher/app.py", "launcher/handlers/render.py"):
        assert needed in names, needed
    # the suite's Voilà templates, where Voilà looks for them (<prefix>/share/jupyter/voila/templates/)
    data = [n.split(".data/data/", 1)[1] for n in names if ".data/data/" in n]
    for needed in ("itb/index.html.j2", "itb/conf.json", "itb/itb_page_head.html.j2", "itb/static/itb.css",
                   "itb/static/a11y.js", "itb/static/print.js", "itb-reveal/index.html.j2", "itb-reveal/conf.json",
                   "itb-reveal/static/reveal-offline.css"):
        assert "share/jupyter/voila/templates/" + needed in data, needed
