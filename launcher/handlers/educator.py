"""``<base>itb/next``: the educator announces the next app and the class size (:mod:`launcher.lesson`).

For training only, not for treating patients.

    curl -X POST -H "Authorization: token $ITB_EDUCATOR_TOKEN" 'http://host:8866/itb/next?app=screening&size=30'
    curl -H "Authorization: token $ITB_EDUCATOR_TOKEN" 'http://host:8866/itb/next'     # how warm the pool is

Only the educator: every request must carry the token the launcher prints at start (``--SuiteVoila.educator_token``
or ``ITB_EDUCATOR_TOKEN`` to set one) in its ``Authorization`` header; anything else is refused (403), and the
token is never read from the URL (it would land in logs and browser histories).  ``app`` is one of the apps the
launcher serves (``screening`` or ``notebooks/screening.ipynb``; anything else: 400); ``size`` is bounded by the
kernel cap (400 past it); ``size=0`` withdraws the announcement.  The answer is the pool's state as JSON.
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path

import tornado.web
from tornado.log import app_log

from ..lesson import Lesson
from ..paths import app_notebooks
from ..settings import SETTING, Suite

__all__ = ["EducatorNext", "resolve_app"]


def resolve_app(name: str, root: Path) -> str | None:
    """The served app ``name`` stands for (its path, or its file name without ``.ipynb``), or None."""
    apps = app_notebooks(root)
    if name in apps:
        return name
    by_stem = {Path(a).stem: a for a in apps}
    return by_stem.get(name.removesuffix(".ipynb"))


class EducatorNext(tornado.web.RequestHandler):
    @property
    def suite(self) -> Suite:
        return self.settings[SETTING]

    def check_xsrf_cookie(self) -> None:
        """No cookie: the token in the ``Authorization`` header, which no other site's page can send, is required."""

    def prepare(self) -> None:
        token = self.suite.educator_token
        header = self.request.headers.get("Authorization", "")
        scheme, _, given = header.partition(" ")
        if not token or scheme.lower() != "token" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            app_log.warning("educator URL refused for %s", self.request.remote_ip)
            raise tornado.web.HTTPError(403)
        self.set_header("Cache-Control", "no-store")

    @property
    def lesson(self) -> Lesson:
        lesson = self.suite.lesson
        if lesson is None:  # preheating switched off: there are no pools to grow
            raise tornado.web.HTTPError(409, reason="Preheated kernels are off")
        return lesson

    def _answer(self, status: dict) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(status))

    def get(self) -> None:
        self._answer(self.lesson.status())

    def post(self) -> None:
        lesson = self.lesson
        name = self.get_query_argument("app", "")
        app = resolve_app(name, Path(self.suite.root_dir))
        if app is None:
            raise tornado.web.HTTPError(400, reason="Not an app of this server")
        default = self.suite.class_size
        raw = self.get_query_argument("size", str(default) if default > 0 else "")
        try:
            size = int(raw)
        except ValueError:
            raise tornado.web.HTTPError(400, reason="size must be a whole number") from None
        bound = lesson.max_size(app)
        if not 0 <= size <= bound:
            raise tornado.web.HTTPError(400, reason=f"size must be 0 to {bound} (the kernel cap)")
        lesson.announce(app, size)  # the pool grows (or shrinks) from the lesson's next tick, within half a second
        self._answer(lesson.status())
