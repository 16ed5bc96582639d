"""The model book's generated parts: the Inputs table (from the schema) and the KPI table (from `metrics.KPIS`).

docs/MODEL.md is written by hand except between marker comments, which this module fills:

    <!-- BEGIN GENERATED inputs: python -m tools.model_book -->
    ...
    <!-- END GENERATED inputs -->

Run `python -m tools.model_book` after adding or changing a schema field or a KPI (it rewrites the
book), `--check` to fail if the book is out of date, `--print` to print the Inputs table.
`tests/test_model_book.py` fails whenever the book differs from what the schema gives.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from pathlib import Path

from modeller.fields import InputField, input_fields
from modeller.metrics import KPIS

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "docs" / "MODEL.md"

# Sections the app's help texts and the workbook may link to: `BOOK#anchor`. Headings are written so
# that these are their GitHub anchors; the test fails if one goes missing, so rename with care.
ANCHORS = (
    "how-to-read-this-book", "conventions", "month-0-and-the-timeline", "nhs-years-and-indexation",
    "nominal-and-real", "timing-and-payment-lags", "signs", "rounding-and-checks", "end-of-the-horizon",
    "how-inputs-become-figures", "activity", "contract-income", "withhold", "risk-share", "staff", "non-pay-costs",
    "capital-spending-and-depreciation", "funding", "corporation-tax", "vat",
    "profit-and-loss", "cash-flow", "balance-sheet", "staff-numbers-and-cost-to-walk-away", "nhs-year-table",
    "kpis", "kpi-formulas", "npv-and-irr", "risk-analyses", "monte-carlo", "tornado", "switching-values",
    "how-much-can-i-commit", "what-the-model-does-not-do", "known-limits", "worked-example", "inputs",
)


def slug(heading: str) -> str:
    """A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _number(x: float, kind: str) -> str:
    if kind == "%":
        return f"{x * 100:,.4g}%"
    if kind == "£":
        return f"£{x:,.0f}" if x == round(x) else f"£{x:,.2f}"
    return f"{x:,.0f}" if x == round(x) else f"{x:,.4g}"


def limits(f: InputField) -> str:
    """The schema's limits in words: "0% to 100%", "at least 0.01", "any"; ", whole" for whole numbers."""
    low, high = (None if math.isinf(v) else _number(v, f.kind) for v in (f.low, f.high))
    text = f"{low} to {high}" if low and high else f"at least {low}" if low else f"at most {high}" if high else "any"
    return text + (", whole" if f.whole else "")


def inputs_table() -> str:
    """Every numeric input of the schema, in the schema's order."""
    rows = ["| Input | Label | Unit | Limits | Help |", "|---|---|---|---|---|"]
    for f in input_fields().values():
        rows.append(f"| `{f.pattern}` | {_cell(f.label)} | {_cell(f.unit)} | {limits(f)} | {_cell(f.help)} |")
    return "\n".join(rows)


def kpis_table() -> str:
    """Every KPI: label, key, unit, which way is good news, and the explanation every layer shows."""
    rows = ["| KPI | Key | Unit | Better | What it means |", "|---|---|---|---|---|"]
    for name, k in KPIS.items():
        rows.append(f"| {_cell(k.label)} | `{name}` | {k.unit} | {k.better or '–'} | {_cell(k.explanation)} |")
    return "\n".join(rows)


BLOCKS: dict[str, Callable[[], str]] = {"inputs": inputs_table, "kpis": kpis_table}


def _block(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- BEGIN GENERATED {name}: python -m tools\.model_book -->\n)(.*?)"
                      rf"(<!-- END GENERATED {name} -->)", re.S)


def generated(text: str, name: str) -> str:
    """The text between a block's markers; KeyError if the book lacks them."""
    found = _block(name).search(text)
    if found is None:
        raise KeyError(f"docs/MODEL.md has no '{name}' markers")
    return found.group(2).removesuffix("\n")


def render(text: str) -> str:
    """The book with every generated block filled in from the schema and the KPI registry."""
    for name, make in BLOCKS.items():
        generated(text, name)  # the markers must be there
        body = make()
        text = _block(name).sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(3), text)
    return text


def main(argv: list[str]) -> int:
    if "--print" in argv:
        print(inputs_table())
        return 0
    text = BOOK.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{BOOK.relative_to(ROOT)} is out of date: run python -m tools.model_book", file=sys.stderr)
            return 1
        return 0
    if new != text:
        BOOK.write_text(new, encoding="utf-8")
        print(f"rewrote the generated tables in {BOOK.relative_to(ROOT)}")
    else:
        print(f"{BOOK.relative_to(ROOT)} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
