"""404 for every path a visitor may not reach (other folders, the tree, the contents API)."""

from __future__ import annotations

import tornado.web

__all__ = ["NotServed"]


class NotServed(tornado.web.RequestHandler):
    def get(self, *args, **kwargs):
        raise tornado.web.HTTPError(404)

    post = put = delete = patch = get
