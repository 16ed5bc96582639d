"""Scenario text and ids every layer can hold: the workbook (no control characters, names of at
most 255 characters), the YAML file (no lone surrogates) and a browser."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_ID_LENGTH = 40          # ids become workbook names (255 characters at most) and table headers
MAX_NAME_LENGTH = 200
MAX_TEXT_LENGTH = 5_000     # a description
_ID_RE = re.compile(r"[a-z][a-z0-9_]*")


def character_problem(ch: str) -> str | None:
    """Why a character cannot be kept in scenario text (the workbook and YAML cannot hold it)."""
    code = ord(ch)
    if unicodedata.category(ch) == "Cc":
        return f"a control character (U+{code:04X})"
    if 0xD800 <= code <= 0xDFFF:
        return f"an unpaired surrogate (U+{code:04X})"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return f"a Unicode non-character (U+{code:04X})"
    return None


def check_text(value: str, max_length: int = MAX_NAME_LENGTH, lines: bool = False) -> str:
    """Text the workbook, the YAML file and a browser can all hold: no control characters
    (tab and newline only where `lines`), no surrogates or non-characters, at most `max_length`."""
    if len(value) > max_length:
        raise ValueError(f"is {len(value):,} characters long; the limit is {max_length:,}")
    for i, ch in enumerate(value):
        if lines and ch in "\t\n":
            continue
        problem = character_problem(ch)
        if problem:
            raise ValueError(f"contains {problem} at character {i + 1}, which a workbook cannot hold; delete it")
    return value


def check_id(value: str) -> str:
    """A snake_case id: lower-case letter first, then lower-case letters, digits and _."""
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"id {value[:MAX_ID_LENGTH]}... is {len(value)} characters long; "
                         f"ids are at most {MAX_ID_LENGTH} characters")
    if not _ID_RE.fullmatch(value):
        raise ValueError(f"id {value!r} must be snake_case: lower-case letters, digits and _, "
                         "starting with a letter")
    return value


def id_label(ident: Any, position: int) -> str | int:
    """How a field path names a list item: by its id, or by position if the id is missing or
    cannot be printed on one line."""
    if isinstance(ident, str) and ident and len(ident) <= 2 * MAX_ID_LENGTH and ident.isprintable():
        return ident
    return position
