"""The class view: what each trainee did, per exercise, for the educator — only educators can open it.

For training only, not for treating patients.

Reads the hub's list of trainees (the educator's server token may list them; a trainee's may not),
each trainee's progress database from their home (the educators' group may read it, no one else),
and the nbgrader gradebook of the educator's course folder.  Shows attempts, correct answers, hints,
last activity, the common slips and the nbgrader score, with a CSV download.
"""

from __future__ import annotations

import base64
import os
import pwd
from pathlib import Path
from typing import Any

import ipywidgets as W

from widgets._kernel import server_log
from widgets.app import HOME_FROM_BESIDE, App
from widgets.findings import esc

from .assessment import mastery_rows, parts_per_form, test_scores
from .classview import HubRefused, class_rows, common_slips, gradebook_scores, hub_class, rows_csv
from .i18n import N_, _, message
from .progress import ProgressStoreError, read_attempts

__all__ = ["ClassViewApp", "build_app", "progress_path_of", "read_trainee"]


def progress_path_of(trainee: str, course: str | None = None) -> Path:
    """Where ``trainee``'s progress database is: their home as the hub lays it out, or, where every
    trainee's records are on one shared volume (Zero to JupyterHub), ``$ITB_CLASS_PROGRESS_ROOT/<trainee>``."""
    course = course or os.environ.get("ITB_COURSE", "itb")
    shared = os.environ.get("ITB_CLASS_PROGRESS_ROOT")
    base = Path(shared) / trainee if shared else Path(pwd.getpwnam(trainee).pw_dir) / ".itb-training"
    return base / course / "progress.sqlite"


def read_trainee(trainee: str, course: str | None = None) -> list:
    """``trainee``'s attempts, read without trusting their file (:func:`exercises.progress.read_attempts`).

    Nothing on the way from their home (or the shared root) to the file may be a symbolic link, the file must be
    theirs (owned by their Unix user, where the hub gives each trainee one) and every row must be theirs: a link
    to or a copy of another trainee's file is refused, never shown as this trainee's.
    """
    path = progress_path_of(trainee, course)
    shared = os.environ.get("ITB_CLASS_PROGRESS_ROOT")
    if shared:  # one volume, one uid for everyone (z2jh): no owner to check, but no link below the root
        return read_attempts(path, trainee=trainee, within=Path(shared))
    user = pwd.getpwnam(trainee)
    return read_attempts(path, trainee=trainee, owner=user.pw_uid, within=Path(user.pw_dir))


class ClassViewApp(App):
    title = N_("Class view")
    intro = N_(
        "Per trainee and exercise: attempts, correct answers, hints, last activity, common slips and the "
        "nbgrader score. Only educators can open it: the hub lists the class only for the educators' role, "
        "and only the educators' group may read the trainees' records."
    )
    label_choice = False
    home = HOME_FROM_BESIDE
    sources = (N_("each trainee's progress records (their home); the course's nbgrader gradebook"),)

    def translate(self, text: str) -> str:
        return _(text)  # the exercises' catalogue holds this app's title, introduction and sources

    def __init__(self, course_root: str | os.PathLike | None = None, **kwargs: Any) -> None:
        self.course_root = Path(course_root or Path.home() / "itb-course")
        self.rows: list = []
        self.slips: list = []
        self.refused: list[str] = []
        super().__init__(**kwargs)

    def build(self):
        self.reload = W.Button(description=_("Refresh"), icon="refresh")
        self.reload.on_click(lambda _b: self.refresh())
        self.table = W.HTML()
        self.table.add_class("itb-result")
        self.table.add_class("itb-result-class-table")
        self.slip_html = W.HTML()
        self.assessment_html = W.HTML()
        self.assessment_html.add_class("itb-result-class-assessment")
        self.download = W.HTML()
        return [self.reload], [self.table, self.assessment_html, self.slip_html, self.download]

    def update(self) -> None:
        self.refused = []
        try:
            members = hub_class()
        except HubRefused as exc:
            self.rows, self.slips = [], []
            self.table.value = "<p>" + message("<strong>Not available.</strong> {reason}", reason=esc(exc)) + "</p>"
            self.slip_html.value = self.download.value = ""
            return
        attempts = {}
        active = dict(members)
        for name, _last in members:
            try:
                attempts[name] = read_trainee(name)
            except FileNotFoundError:
                attempts[name] = []
            except ProgressStoreError as exc:  # the store's own refusal, written for the educator
                # the page gets why, not where (the file's path is in the server's log)
                server_log.warning("class view: %s", exc)
                why = str(exc).partition(" is not shown: ")[2] or _("not readable.")
                self.refused.append(f"{name}: {why}")
                attempts[name] = []
            except Exception:  # noqa: BLE001 - one trainee's file never takes the class view down
                # the page names the trainee only; the exception (its text may hold a path) goes to the log
                server_log.exception("class view: cannot read the progress of %s", name)
                self.refused.append(
                    message("{trainee}: the progress file could not be read (the server's log says why).", trainee=name)
                )
                attempts[name] = []
        scores = gradebook_scores(self.course_root)
        self.rows = class_rows(attempts, scores)
        self.slips = common_slips(attempts)
        self.assessment_html.value = assessment_html(attempts)
        head = (
            _("trainee"),
            _("exercise"),
            _("attempts"),
            _("correct"),
            _("hints"),
            _("last activity"),
            _("common slips"),
            _("score"),
            _("hub: last active"),
        )
        body = "".join(
            "<tr>"
            + "".join(
                f"<td>{esc(v)}</td>"
                for v in (
                    r.trainee,
                    r.exercise,
                    r.attempts,
                    r.correct,
                    r.hints,
                    r.last_activity,
                    r.slips,
                    "" if r.score is None else f"{r.score:g} / {r.max_score:g}",
                    active.get(r.trainee, ""),
                )
            )
            + "</tr>"
            for r in self.rows
        )
        counts = message(
            "{trainees} trainees, {rows} trainee–exercise rows", trainees=len(members), rows=len(self.rows)
        )
        caption = f"<caption>{counts}</caption>"
        self.table.value = (
            f"<table class='itb-class-table'>{caption}<thead><tr>"
            + "".join(f"<th scope='col'>{h}</th>" for h in head)
            + f"</tr></thead><tbody>{body}</tbody></table>"
            + (
                "".join(
                    "<p class='itb-warning'>" + message("Not readable: {reason}", reason=esc(x)) + "</p>"
                    for x in self.refused
                )
            )
        )
        self.slip_html.value = (
            f"<h2>{_('Common slips')}</h2><ol>"
            + "".join(
                "<li>"
                + message(
                    "<code>{slip}</code> in {exercise}: {count} trainee(s)", slip=esc(s), exercise=esc(e), count=k
                )
                + "</li>"
                for e, s, k in self.slips
            )
            + "</ol>"
            if self.slips
            else f"<p>{_('No slips recorded yet.')}</p>"
        )
        from .core import default_library

        skipped = default_library().problems  # a bad case file is skipped for trainees, named here
        if skipped:
            self.slip_html.value += (
                f"<h2>{_('Case files skipped')}</h2><ul>" + "".join(f"<li>{esc(p)}</li>" for p in skipped) + "</ul>"
            )
        data = base64.b64encode(rows_csv(self.rows).encode()).decode()
        self.download.value = (
            f'<a download="itb-class.csv" href="data:text/csv;base64,{data}">{_("Download the table as CSV")}</a>'
        )

    def summary(self) -> str:
        return (
            "\n".join(
                message(
                    "{trainee} {exercise}: {attempts} attempts, {correct} correct",
                    trainee=r.trainee,
                    exercise=r.exercise,
                    attempts=r.attempts,
                    correct=r.correct,
                )
                for r in self.rows
            )
            or self.table.value
        )


def assessment_html(attempts: dict) -> str:
    """Refill mastery (attempts until passed) and the pre-/post-test score of each trainee, as two tables."""
    mastery = mastery_rows(attempts)
    scores = {(s.trainee, s.form): s for s in test_scores(attempts, parts_per_form())}
    trainees = sorted({t for t, _f in scores})
    m_body = "".join(
        f"<tr><td>{esc(r.trainee)}</td><td>{r.attempts}</td>"
        f"<td>{r.passed_at or _('not yet')}</td><td>{esc(r.last)}</td><td>{esc(r.last_time)}</td></tr>"
        for r in mastery
    )

    def cell(t: str, form: str) -> str:
        s = scores.get((t, form))
        return "—" if s is None else f"{s.correct} / {s.total}"

    t_body = "".join(f"<tr><td>{esc(t)}</td><td>{cell(t, 'pre')}</td><td>{cell(t, 'post')}</td></tr>" for t in trainees)
    return (
        f"<h2>{_('Refill mastery')}</h2>"
        + (
            "<table class='itb-class-table'><thead><tr>"
            + _heads(_("trainee"), _("attempts"), _("passed at attempt"), _("last score"), _("last"))
            + f"</tr></thead><tbody>{m_body}</tbody></table>"
            if m_body
            else f"<p>{_('No checklist scored yet.')}</p>"
        )
        + f"<h2>{_('Pre- and post-test')}</h2>"
        + (
            "<table class='itb-class-table'><thead><tr>"
            + _heads(_("trainee"), _("pre-test"), _("post-test"))
            + f"</tr></thead><tbody>{t_body}</tbody></table>"
            if t_body
            else f"<p>{_('No test answers saved yet.')}</p>"
        )
    )


def _heads(*names: str) -> str:
    return "".join(f"<th scope='col'>{h}</th>" for h in names)


def build_app(**kwargs: Any) -> ClassViewApp:
    return ClassViewApp(**kwargs)
