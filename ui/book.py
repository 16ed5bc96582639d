"""The model book (docs/MODEL.md) inside the app: its text for the Model book page, and links to its sections.

The book is the authority for what each number means; help texts link to its sections with
`link(anchor)`, whose anchors are the book's headings (tools.model_book.ANCHORS, checked by tests).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

BOOK = Path(__file__).resolve().parents[1] / "docs" / "MODEL.md"
PAGE = "model_book"          # the page's address in the app (ui/pages/model_book.py)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@lru_cache(maxsize=1)
def text() -> str:
    """The book as Markdown the app can show: its generator's marker comments removed."""
    return _COMMENT.sub("", BOOK.read_text(encoding="utf-8"))


def link(anchor: str, words: str = "model book") -> str:
    """A Markdown link to a section of the book, e.g. link("kpi-formulas") -> "[model book](model_book#kpi-formulas)"."""
    return f"[{words}]({PAGE}#{anchor})"
