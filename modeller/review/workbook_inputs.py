"""The evaluation workbook's Inputs sheet: the review's own inputs (discounting, optimism bias, budget and
today's spend by NHS year), styled and named as the venture workbook's (`modeller.export.inputs_sheet`).

Names: `discount_rate`, `inflation`, `optimism_bias_mitigation`, `optimism_bias_<kind>_upper` and the
uplifts after mitigation `optimism_bias_<kind>` (kind: duration, capex, opex), `budget_2027_28`,
`baseline_2027_28` (one per term year, blank where the review gives none), `tolerance`.
"""

from __future__ import annotations

from openpyxl.workbook.workbook import Workbook

from modeller.export import styles as S
from modeller.export.inputs_sheet import MONTH_COL, InputsSheet
from modeller.formatting import month_label
from modeller.review.schema import OPTIMISM_BIAS_SOURCE, OPTIMISM_BIAS_UPPER, OptimismBias, Review

UPLIFTS = ("duration", "capex", "opex")
UPLIFT_LABELS = {"duration": "works duration", "capex": "capital spending", "opex": "operating cost"}


def input_name(kind: str, year: str) -> str:
    """The defined name of a year's budget or today's spend: ("budget", "2027/28") -> budget_2027_28."""
    return f"{kind}_{year.replace('/', '_')}"


def _about(model, name: str) -> tuple[str, str, str]:
    """(label, unit, help) of a schema field: the one place they are written."""
    f = model.model_fields[name]
    return f.title, (f.json_schema_extra or {}).get("unit", ""), f.description or ""


def _format(unit: str) -> str:
    return S.RATE if unit.startswith("%") else S.MONEY


def write_review_inputs(wb: Workbook, review: Review) -> InputsSheet:
    """Every input of the review the formulas read, section by section."""
    ins = InputsSheet(wb)
    S.text(ins.ws.cell(5, MONTH_COL), "")   # the venture sheet's "Model month" column: unused here
    ins.section("Review")
    ins.info("Service", review.service)
    ins.info("Commissioner", review.commissioner)
    start = f"{review.term.start}"
    ins.info("Contract term", f"{month_label(start, 0)} to {month_label(start, review.term.months - 1)} "
                              f"({review.term.months} months)", "fixed by the bids' monthly payments: re-run the "
                                                                "review to change it")
    ins.section("Discounting")
    for name in ("discount_rate", "inflation"):
        label, unit, help_ = _about(Review, name)
        ins.number(name, label, getattr(review, name), unit, _format(unit), help_)
    _optimism_bias(ins, review.optimism_bias)
    for kind in ("budget", "baseline"):
        label, unit, help_ = _about(Review, kind)
        ins.section(label)
        for i, year in enumerate(review.term.years()):
            ins.number(input_name(kind, year).replace("_", ".", 1), f"{label} {year}",
                       getattr(review, kind).get(year), unit, S.MONEY, help_ if i == 0 else "")
    ins.section("Checking")
    ins.number("tolerance", "Checking tolerance", 0.005, "£", S.MONEY_P,
               "half a penny: a year is over budget when its headroom is below minus this")
    ins.finish()
    return ins


def _optimism_bias(ins: InputsSheet, ob: OptimismBias) -> None:
    ins.section("Optimism bias (HM Treasury Green Book)")
    label, _, help_ = _about(OptimismBias, "category")
    ins.info(label, ob.category.replace("_", " "), help_ + "; the upper bounds below are its row of the table")
    upper = OPTIMISM_BIAS_UPPER[ob.category]
    for kind, value in zip(UPLIFTS, upper, strict=True):
        ins.number(f"optimism_bias.{kind}_upper", f"Upper bound: {UPLIFT_LABELS[kind]}", value, "%", S.RATE,
                   OPTIMISM_BIAS_SOURCE if kind == "duration" else "")
    label, unit, help_ = _about(OptimismBias, "mitigation")
    ins.number("optimism_bias.mitigation", label, ob.mitigation, unit, S.RATE, help_)
    for kind in UPLIFTS:
        ins.derived(f"optimism_bias_{kind}", f"Uplift after mitigation: {UPLIFT_LABELS[kind]}",
                    f"optimism_bias_{kind}_upper*(1-optimism_bias_mitigation)", "%", S.RATE)
