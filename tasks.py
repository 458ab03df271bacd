#!/usr/bin/env python3
"""Set up and run the ITB training suite with nothing but Python 3.11+.

    python3 tasks.py serve    # install into .venv and serve the apps with Voila on http://localhost:8866
    python3 tasks.py test     # install into .venv (with test extras, Debian's chromium and bubblewrap),
                              # run ruff and mypy, then every test
    python3 tasks.py bench    # run the benchmarks in bench/ and print their tables
    python3 tasks.py i18n     # extract the messages and update the nb and tr catalogues (Babel; see README)

Extra arguments after ``test`` go to pytest (``python3 tasks.py test -k refill``).
The virtual environment is rebuilt only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
PORT = os.environ.get("ITB_PORT", "8866")


def _run(*cmd: str | os.PathLike, **kw) -> int:
    print("+", " ".join(map(str, cmd)), flush=True)
    return subprocess.call([str(c) for c in cmd], cwd=ROOT, **kw)


def say(text: str) -> None:
    """One line per step, flushed at once: a log or a pipe (CI, ``| tee``) shows each step as it starts."""
    print(f"==> {text}", flush=True)


def ensure_venv(extras: str = "", *, run=_run) -> None:
    """Create .venv and install the project (editable) unless pyproject.toml is unchanged.

    Each step says itself on its own line (:func:`say`); ``run`` runs a command (a test passes a stand-in)."""
    if not PY.exists():
        say(f"Creating the virtual environment {VENV.name}/ (once)…")
        if run(sys.executable, "-m", "venv", VENV) != 0 or not PY.exists():
            sys.exit(f"Creating {VENV} failed (see the message above; Debian needs the python3-venv package).")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".install-stamp{extras}"
    if stamp.exists() and stamp.read_text() == digest:
        say(f"The suite is installed in {VENV.name}/ (pyproject.toml unchanged).")
        return
    spec = f".[{extras}]" if extras else "."
    say(
        f"Installing the suite{' and its test tools' if extras else ''} into {VENV.name}/ "
        "(the first time takes a few minutes; pip lists each package)…"
    )
    # On a terminal pip draws its progress bars; in a log or a pipe, one line per package and no bars.
    plain = [] if sys.stdout.isatty() else ["--progress-bar", "off"]
    if run(PY, "-m", "pip", "install", "--disable-pip-version-check", *plain, "-e", spec) != 0:
        sys.exit("Installing the project into .venv failed (see pip's message above).")
    stamp.write_text(digest)
    say("Installed.")


#: The suite's packages, byte-compiled before the server starts: its preheated kernels start together and
#: would otherwise each compile them at their first import.
PACKAGES = ("itbcore", "widgets", "exercises", "launcher")


def compile_sources(*, run=_run) -> None:
    say("Compiling the suite's Python modules (the kernels then start without compiling them)…")
    if run(PY, "-m", "compileall", "-q", *PACKAGES) != 0:
        sys.exit("Compiling the suite's modules failed (see the message above).")


def _apt_install(package: str) -> None:
    """Install one of Debian's packages with apt-get, when we are root (as in CI)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        _run("apt-get", "update", "-q", env=env)
        _run("apt-get", "install", "-y", "-q", package, env=env)


def ensure_chromium() -> None:
    """The browser tests drive Debian's chromium; install it with apt-get when we are root."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    _apt_install("chromium")
    if not Path("/usr/bin/chromium").exists():
        print(
            "chromium is not installed: the browser tests will be skipped "
            "(install Debian's 'chromium' package to run them).",
            flush=True,
        )


def ensure_bubblewrap() -> None:
    """nbgrader grades each submission in a bubblewrap sandbox (deploy/grading_sandbox.py): the class-hub test
    needs Debian's bubblewrap; install it with apt-get when we are root."""
    if shutil.which("bwrap"):
        return
    _apt_install("bubblewrap")
    if not shutil.which("bwrap"):
        print(
            "bubblewrap is not installed: the class-hub test will be skipped (fails under CI) "
            "(install Debian's 'bubblewrap' package to run it).",
            flush=True,
        )


#: npm packages the tests use, installed beside the project: configurable-http-proxy (JupyterHub's proxy,
#: for the class-hub test tests/hub) and axe-core (the accessibility check of the browser test).
NODE_DIR = ROOT / ".cache" / "node"
NODE_PACKAGES = {
    "configurable-http-proxy@5": NODE_DIR / "node_modules" / ".bin" / "configurable-http-proxy",
    "axe-core@4.14": NODE_DIR / "node_modules" / "axe-core" / "axe.min.js",
}


def ensure_node_packages() -> None:
    """Install the npm packages the tests need into .cache/node (once), if npm is here."""
    missing = [pkg for pkg, path in NODE_PACKAGES.items() if not path.exists()]
    if not missing:
        return
    if not shutil.which("npm"):
        print("npm is not installed: the class-hub and accessibility tests will be skipped.", flush=True)
        return
    NODE_DIR.mkdir(parents=True, exist_ok=True)
    print(f"Installing {', '.join(missing)} with npm into .cache/node…", flush=True)
    _run("npm", "install", "--prefix", NODE_DIR, "--no-audit", "--no-fund", "--loglevel=error", *missing)


def serve(args: list[str], *, run=_run) -> int:
    """Install if needed, then serve the apps; every step says itself on its own line, also in a log or a pipe."""
    ensure_venv(run=run)
    compile_sources(run=run)
    say(f"Starting the server on port {PORT} (another port: ITB_PORT=9000 python3 tasks.py serve)…")
    say(
        f"Open http://localhost:{PORT}/ (home page: notebooks/index.ipynb); Ctrl+C stops. Each app's kernel is "
        "warmed up first: the first page is ready within about a minute."
    )
    # launcher (python -m launcher) serves the repository root with voila.json, redirects / to the home page and
    # renders only notebooks/ and exercises/ (see docs/APPS.md).
    return run(PY, "-m", "launcher", "--no-browser", f"--port={PORT}", *args)


#: ``ruff format --check`` joins the checks once the tree is formatted (``python -m ruff format .``).
FORMAT_CHECK = True


def check() -> int:
    """What the code claims, checked: ruff's rule set over the tree, ruff's formatting, mypy over itbcore, widgets
    and exercises (pyproject.toml). The same checks as .pre-commit-config.yaml."""
    cmds = [
        ("ruff", (PY, "-m", "ruff", "check", ".")),
        *([("ruff format", (PY, "-m", "ruff", "format", "--check", "."))] if FORMAT_CHECK else []),
        ("mypy", (PY, "-m", "mypy")),
    ]
    for name, cmd in cmds:
        if _run(*cmd) != 0:
            print(
                f"{name} found problems (above); fix them before the tests run"
                + (" (python -m ruff format . formats the tree)." if name == "ruff format" else "."),
                flush=True,
            )
            return 1
    return 0


def test(args: list[str]) -> int:
    ensure_venv("test")
    ensure_chromium()
    ensure_bubblewrap()
    ensure_node_packages()
    if not args and check() != 0:  # the whole suite: the checks first (pytest -k … skips them)
        return 1
    return _run(PY, "-m", "pytest", *args)


def bench(args: list[str]) -> int:
    ensure_venv("test")
    ensure_chromium()
    return _run(PY, "-m", "bench", *args)


#: The gettext domains: each package keeps its catalogues in <package>/locale/<locale>/LC_MESSAGES/<package>.po.
I18N_DOMAINS = ("itbcore", "widgets", "exercises", "launcher")
#: The languages the catalogues are kept for (English is the source language).
I18N_LOCALES = ("nb", "tr")
I18N_KEYWORDS = ("message", "gettext", "_", "N_", "ngettext:1,2")


def i18n(args: list[str]) -> int:
    """``i18n [update]``: extract every package's messages and update its catalogues (new ones start empty);
    ``i18n init <locale>``: start a language's catalogues; ``i18n compile``: build the .mo files and print
    how much of each catalogue is translated (the apps also read a .po directly when no .mo is built)."""
    ensure_venv()
    pybabel = BIN / "pybabel"
    action = args[0] if args else "update"
    locales = I18N_LOCALES if action != "init" else tuple(args[1:2])
    if action not in ("update", "init", "compile") or (action == "init" and not locales):
        sys.exit("usage: python3 tasks.py i18n [update | init <locale> | compile]")
    for domain in I18N_DOMAINS:
        folder = ROOT / domain / "locale"
        pot = folder / f"{domain}.pot"
        if action in ("update", "init"):
            folder.mkdir(exist_ok=True)
            keywords = [arg for kw in I18N_KEYWORDS for arg in ("-k", kw)]
            if (
                _run(
                    pybabel,
                    "extract",
                    "-F",
                    "babel.cfg",
                    *keywords,
                    "--no-wrap",
                    "--sort-by-file",
                    "--add-location",
                    "file",
                    "--project",
                    "ITB training suite",
                    "--copyright-holder",
                    "the ITB training suite's authors",
                    "-o",
                    pot,
                    domain,
                )
                != 0
            ):
                return 1
            for locale in locales:
                exists = (folder / locale / "LC_MESSAGES" / f"{domain}.po").is_file()
                verb = ("update", "--no-fuzzy-matching", "--ignore-obsolete") if exists else ("init",)
                if _run(pybabel, *verb, "--no-wrap", "-l", locale, "-D", domain, "-i", pot, "-d", folder) != 0:
                    return 1
        else:
            if _run(pybabel, "compile", "--statistics", "-D", domain, "-d", folder) != 0:
                return 1
    return 0


COMMANDS = {"serve": serve, "test": test, "bench": bench, "i18n": i18n}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
