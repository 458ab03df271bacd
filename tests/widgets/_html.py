"""What a reader sees of an app's HTML: tags removed, entities read (a linked source reads as its text)."""

from __future__ import annotations

import html
import re


def text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", markup))
