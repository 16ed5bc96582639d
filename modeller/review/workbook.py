"""The evaluation workbook of a commissioner's review (issue 12): a Summary for the panel, one sheet per
bid and the review's Inputs. Cost figures are live formulas of the Inputs and of each bid's monthly
payments (values from its engine run); Monte Carlo and stress-test results are values, marked as such.
Model book: "Commissioner's review".
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from openpyxl import Workbook

from modeller.engine import run
from modeller.review.result import ReviewResult
from modeller.review.workbook_bid import BidSheet, write_bid_sheet
from modeller.review.workbook_inputs import write_review_inputs
from modeller.review.workbook_summary import write_summary

_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
TITLE_CHARS = 31   # Excel's limit on a sheet's name


def sheet_title(name: str, taken: set[str]) -> str:
    """A bid's sheet name: its name without the characters Excel forbids, cut to fit, unique."""
    base = " ".join(_BAD_TITLE.sub(" ", name).split()).strip("'") or "Bid"
    title, n = base[:TITLE_CHARS], 2
    while title.lower() in taken or title.lower() in ("summary", "inputs"):
        suffix = f" ({n})"
        title, n = base[:TITLE_CHARS - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def build_review_workbook(result: ReviewResult) -> tuple[Workbook, dict[str, BidSheet | None], dict[str, int]]:
    """The workbook, where each bid's figures are (None: not costed) and the Summary's row per question."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    sheets: dict[str, BidSheet | None] = {}
    taken: set[str] = set()
    for bid in result.bids:
        engine = run(bid.scenario) if bid.reviewed else None
        title = sheet_title(bid.name, taken)
        sheet = write_bid_sheet(wb, title, result.review, bid, engine)
        sheets[bid.id] = sheet if bid.reviewed else None
    write_review_inputs(wb, result.review)
    rows = write_summary(summary, result, sheets)
    wb.active = 0
    return wb, sheets, rows


def review_workbook_bytes(result: ReviewResult) -> bytes:
    """The .xlsx file as bytes (for the Review page's download button)."""
    wb, _, _ = build_review_workbook(result)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_review_workbook(result: ReviewResult, path: str | Path) -> None:
    """Write the evaluation workbook to `path`."""
    Path(path).write_bytes(review_workbook_bytes(result))


__all__ = ["build_review_workbook", "review_workbook_bytes", "sheet_title", "write_review_workbook"]
