"""Install the suite for a class on one JupyterHub machine (The Littlest JupyterHub or a plain server).

For training only, not for treating patients.

    sudo python3 -m deploy.class_setup --prefix /opt/itb-class --educator itb-edu

Run from a checkout, as root.  It makes

* ``<prefix>/venv``: a virtual environment (from ``--python``, default this interpreter) with the
  suite installed from the checkout (not editable: the solutions, sources and answer key are left out
  of the package) and JupyterHub's single-user server, Voilà and nbgrader;
* ``<prefix>/suite``: what trainees open — the apps (``notebooks/``), the practice app and the trainee
  exercise notebooks — world-readable, owned by root; and ``suite/educator`` with the class view;
* ``<prefix>/exchange``: nbgrader's exchange (1777, as nbgrader asks);
* the kernels' start-up in ``<prefix>/venv/etc/ipython/ipython_kernel_config.json``: every kernel the class
  environment's Python runs (each Voilà page of each single-user server) loads ``widgets._kernel``, as the
  launcher's kernels do — what the browser may set, logs on the server;
* nbgrader's and Voilà's settings for every server in ``<prefix>/venv/etc/jupyter``: the formgrader and
  the feedback sanitise what trainees wrote (no script, no ``onerror``); nbgrader's course tools (formgrader,
  course list, Create Assignment, the notebook toolbar's Validate) are off: a trainee's JupyterLab has the
  Assignments tab only (fetch, validate, submit);
* the kernelspec ``itb-sandbox`` (``<prefix>/venv/share/jupyter/kernels``): nbgrader grades every
  submission in a bubblewrap sandbox (``deploy/grading_sandbox.py``: no network, nothing of the educator's
  home, other submissions or the course, bounded time and memory); servers do not offer it;
* for each ``--educator``: the nbgrader course ``~<educator>/itb-course`` (0700, theirs) whose
  ``source/`` holds every exercise with its solution — the only copy of solutions on the machine
  outside the checkout; and in ``~<educator>/.jupyter`` the course tools switched back on, with the
  formgrader pointed at that course.

The checkout itself should then be readable by root only (``chmod -R go-rwx``) or removed.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURSE_ID = "itb"
#: The grading sandbox's limits per kernel (one notebook of one submission): address space, CPU time,
#: the largest file it may write, open files, its private /tmp.  nbgrader's own bound per cell is
#: ``c.ExecutePreprocessor.timeout`` (GRADING_CELL_TIMEOUT).
GRADING_LIMITS = {"address_space_mb": 2048, "cpu_seconds": 60, "file_size_mb": 16, "open_files": 256, "tmp_mb": 64}
GRADING_CELL_TIMEOUT = 120
SANDBOX_KERNEL = "itb-sandbox"
#: deploy/nbgrader_html.py in the class environment: the formgrader's and the feedback's markdown filter
HTML_MODULE = "itb_nbgrader_html"
#: What the servers offer: the sandbox kernel is nbgrader's, not one to open a notebook with.
SERVER_KERNELS = {"KernelSpecManager": {"allowed_kernelspecs": ["python3"]}}
#: nbgrader's tools that are the educator's (nbgrader 0.9 enables all of them on install): its server extensions
#: and JupyterLab plugins. Trainees keep the assignment list (server extension ``assignment_list`` and plugin
#: ``assignment-list``: fetch, validate, submit) and ``validate_assignment``, the server side of its Validate.
EDUCATOR_SERVER_EXTENSIONS = ("nbgrader.server_extensions.formgrader", "nbgrader.server_extensions.course_list")
EDUCATOR_LAB_PLUGINS = (
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:validate-assignment",
)
#: The IPython extension every kernel of the class loads at start-up: the served kernel's rules
#: (``widgets/_kernel.py``), as the launcher gives them to its kernels (``launcher.kernels.KERNEL_EXTENSION``).
KERNEL_EXTENSION = "widgets._kernel"
VOILA_SETTINGS = {
    "VoilaConfiguration": {
        "strip_sources": True,
        "show_tracebacks": False,
        "theme": "light",
        "file_allowlist": [r".*\.(png|jpg|gif|svg|csv)"],
        "file_denylist": [r"(^|/)\."],
    },
}


def nbgrader_config(exchange: Path, course_root: Path | None = None) -> str:
    lines = [
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {COURSE_ID!r}",
        f"c.Exchange.root = {str(exchange)!r}",
        "c.Exchange.path_includes_course = True",
        "c.Exchange.timezone = 'UTC'",
        # the formgrader and the feedback show what trainees wrote: outputs and the raw HTML of markdown
        # cells sanitised (nbgrader's templates render markdown without nbconvert's clean_html), links
        # markdown makes without javascript: (deploy/nbgrader_html.py); no script, no on* attribute
        "c.HTMLExporter.sanitize_html = True",
        "c.HTMLExporter.preprocessors = ['nbconvert.preprocessors.sanitize.SanitizeHTML']",
        f"c.HTMLExporter.filters = {{'markdown2html': '{HTML_MODULE}.markdown2html'}}",
    ]
    if course_root is not None:
        lines += [
            f"c.CourseDirectory.root = {str(course_root)!r}",
            f"c.ExecutePreprocessor.timeout = {GRADING_CELL_TIMEOUT}",
            # submitted code runs in the grading sandbox (deploy/grading_sandbox.py), over Unix sockets
            f"c.Execute.kernel_name = {SANDBOX_KERNEL!r}",
            "c.KernelManager.transport = 'ipc'",
            # trainees may not change the check cells: nbgrader restores them from the gradebook
            "c.ClearSolutions.code_stub = {'python': 'answer = ...  # your answer'}",
        ]
    return "\n".join(lines) + "\n"


def _merge_json(path: Path, update: dict) -> None:
    """Merge ``update`` into the JSON file at ``path`` (one level of sections deep), keeping what else it holds."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() and path.stat().st_size else {}
    for key, value in update.items():
        if isinstance(value, dict):
            section = data.setdefault(key, {})
            for name, inner in value.items():
                if isinstance(inner, dict):
                    section.setdefault(name, {}).update(inner)
                else:
                    section[name] = inner
        else:
            data[key] = value
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_course_tools(config_dir: Path, educator: bool) -> list[Path]:
    """Switch nbgrader's course tools off (a trainee) or on (``educator``) in the Jupyter config folder
    ``config_dir``: what ``jupyter server extension disable`` and ``jupyter labextension disable`` write there.

    The class environment's folder (``<venv>/etc/jupyter``) gets them off, for every server: its
    ``jupyter_server_config.json`` outranks nbgrader's own ``jupyter_server_config.d/nbgrader.json`` beside it,
    and ``labconfig/page_config.json`` disables the JupyterLab plugins. An educator's ``~/.jupyter`` (the user's
    level, above the environment's) switches them back on. Returns the files written."""
    server = config_dir / "jupyter_server_config.json"
    page = config_dir / "labconfig" / "page_config.json"
    _merge_json(server, {"ServerApp": {"jpserver_extensions": {m: educator for m in EDUCATOR_SERVER_EXTENSIONS}}})
    _merge_json(page, {"disabledExtensions": {p: not educator for p in EDUCATOR_LAB_PLUGINS}})
    return [server, page]


def write_server_config(etc: Path) -> None:
    """What every server of the class reads from the environment's ``etc/jupyter``: Voilà's settings, the
    kernels offered, and nbgrader's course tools off (a trainee's server has the assignment list only)."""
    (etc / "jupyter_server_config.d").mkdir(parents=True, exist_ok=True)
    (etc / "jupyter_server_config.d" / "itb-voila.json").write_text(json.dumps(VOILA_SETTINGS, indent=2) + "\n")
    (etc / "jupyter_server_config.d" / "itb-kernels.json").write_text(json.dumps(SERVER_KERNELS, indent=2) + "\n")
    for p in write_course_tools(etc, educator=False):
        os.chmod(p, 0o644)


def write_kernel_config(env_dir: Path) -> Path:
    """Every kernel of the class environment ``env_dir`` loads :data:`KERNEL_EXTENSION` at start-up: a Voilà
    page on a single-user server refuses a forged widget update as the launcher's kernels do.

    Written as ``c.InteractiveShellApp.extensions`` to ``<env_dir>/etc/ipython/ipython_kernel_config.json``
    (merged with what it holds): an IPython kernel reads that file from ``<sys.prefix>/etc/ipython`` (IPython's
    ``ENV_CONFIG_DIRS``), so the environment's Python finds it whichever server starts it and in whatever
    working folder — Voilà's page kernels and JupyterLab's alike (nbgrader's sandbox kernel runs it too).
    A single-user server's Jupyter settings (``etc/jupyter``) do not reach a kernel's IPython.  Returns the path.
    """
    path = env_dir / "etc" / "ipython" / "ipython_kernel_config.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() and path.stat().st_size else {}
    shell = data.setdefault("InteractiveShellApp", {})
    shell["extensions"] = [*(e for e in shell.get("extensions", []) if e != KERNEL_EXTENSION), KERNEL_EXTENSION]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for p in (path.parent.parent, path.parent, path):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    return path


def build_suite(target: Path) -> None:
    """Copy what trainees open (and the class view) into ``target``; never a solution."""
    if target.exists():
        shutil.rmtree(target)
    (target / "exercises").mkdir(parents=True)
    shutil.copytree(
        ROOT / "notebooks", target / "notebooks", ignore=shutil.ignore_patterns(".*", "__pycache__", "*.pyc")
    )
    for app in ("practice.ipynb", "assessment.ipynb"):
        shutil.copy2(ROOT / "exercises" / app, target / "exercises" / app)
    shutil.copytree(
        ROOT / "exercises" / "trainee", target / "exercises" / "trainee", ignore=shutil.ignore_patterns(".*")
    )
    shutil.copytree(ROOT / "deploy" / "educator", target / "educator", ignore=shutil.ignore_patterns(".*"))
    for p in [target, *target.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)


def build_venv(prefix: Path, python: str) -> Path:
    env_dir = prefix / "venv"
    if not (env_dir / "bin" / "python").exists():
        if Path(python).resolve() == Path(sys.executable).resolve():
            venv.EnvBuilder(with_pip=True).create(env_dir)
        else:
            subprocess.run([python, "-m", "venv", str(env_dir)], check=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--disable-pip-version-check", "-q", f"{ROOT}[hub]"],
        check=True,
    )
    write_server_config(env_dir / "etc" / "jupyter")
    write_kernel_config(env_dir)
    install_sandbox_kernel(env_dir)
    where = "import sysconfig; print(sysconfig.get_path('purelib'))"
    purelib = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", where], check=True, capture_output=True, text=True
    ).stdout.strip()
    shutil.copy2(ROOT / "deploy" / "nbgrader_html.py", Path(purelib) / f"{HTML_MODULE}.py")
    os.chmod(Path(purelib) / f"{HTML_MODULE}.py", 0o644)
    return env_dir


def install_sandbox_kernel(env_dir: Path, bwrap: str | None = None) -> Path:
    """The kernelspec ``itb-sandbox`` in the class environment: its launcher puts each kernel nbgrader starts
    in a bubblewrap sandbox (see ``deploy/grading_sandbox.py``).  Root's, read-only for everyone."""
    bwrap = bwrap or shutil.which("bwrap") or "/usr/bin/bwrap"
    spec = env_dir / "share" / "jupyter" / "kernels" / SANDBOX_KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "deploy" / "grading_sandbox.py", spec / "grading_sandbox.py")
    (spec / "sandbox.json").write_text(
        json.dumps({"venv": str(env_dir), "bwrap": bwrap, "limits": GRADING_LIMITS}, indent=2) + "\n"
    )
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(env_dir / "bin" / "python"), "-I", str(spec / "grading_sandbox.py"), "{connection_file}"],
                "display_name": "Python 3 (ITB grading sandbox)",
                "language": "python",
                "interrupt_mode": "message",
                "metadata": {"debugger": False},
            },
            indent=2,
        )
        + "\n"
    )
    for p in [spec, *spec.iterdir()]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    if not Path(bwrap).exists():
        print(
            f"bubblewrap ({bwrap}) is missing: nbgrader cannot grade until it is installed "
            "(Debian: apt-get install bubblewrap).",
            file=sys.stderr,
        )
    return spec


def make_course(educator: str, exchange: Path) -> Path:
    pw = pwd.getpwnam(educator)
    course = Path(pw.pw_dir) / "itb-course"
    (course / "source").mkdir(parents=True, exist_ok=True)
    for nb in sorted((ROOT / "exercises" / "source").glob("*.ipynb")):
        folder = course / "source" / nb.stem
        folder.mkdir(exist_ok=True)
        shutil.copy2(nb, folder / nb.name)
    (course / "nbgrader_config.py").write_text(nbgrader_config(exchange, course))
    for p in [course, *course.rglob("*")]:
        os.chown(p, pw.pw_uid, pw.pw_gid)
        os.chmod(p, 0o700 if p.is_dir() else 0o600)
    write_educator_config(Path(pw.pw_dir) / ".jupyter", course, pw.pw_uid, pw.pw_gid)
    return course


def write_educator_config(config_dir: Path, course: Path, uid: int | None = None, gid: int | None = None) -> None:
    """The educator's own Jupyter settings (``~/.jupyter``): nbgrader's course tools on
    (:func:`write_course_tools`) and the formgrader's course the one :func:`make_course` made (without it the
    formgrader takes the server's working folder for the course)."""
    written = write_course_tools(config_dir, educator=True)
    nbg = config_dir / "nbgrader_config.py"
    marker = "# itb course (deploy/class_setup.py)"
    text = nbg.read_text(encoding="utf-8") if nbg.is_file() else "c = get_config()  # noqa: F821\n"
    if marker not in text:
        text += f"{marker}\nc.CourseDirectory.root = {str(course)!r}\n"
    nbg.write_text(text, encoding="utf-8")
    written.append(nbg)
    if uid is not None and gid is not None:
        for p in [config_dir, config_dir / "labconfig", *written]:
            os.chown(p, uid, gid)


def setup(prefix: Path, python: str, educators: list[str]) -> None:
    prefix.mkdir(parents=True, exist_ok=True)
    os.chmod(prefix, 0o755)
    env_dir = build_venv(prefix, python)
    build_suite(prefix / "suite")
    exchange = prefix / "exchange"
    exchange.mkdir(exist_ok=True)
    os.chmod(exchange, 0o1777)
    (env_dir / "etc" / "jupyter" / "nbgrader_config.py").write_text(nbgrader_config(exchange))
    for name in educators:
        make_course(name, exchange)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--prefix", type=Path, default=Path("/opt/itb-class"))
    ap.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for the class environment; every Unix user must be able to run it",
    )
    ap.add_argument("--educator", action="append", default=[], help="Unix user who runs the nbgrader course")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("Run this as root: it installs for every user and makes the educators' course folders.")
    setup(args.prefix, args.python, args.educator)
    print(
        f"Class installed in {args.prefix}; start the hub with "
        f"jupyterhub -f {ROOT / 'deploy' / 'jupyterhub_config.py'} (see docs/DEPLOY.md)."
    )


if __name__ == "__main__":
    main()
