"""Command-line formatting: month differences on the calendar (as the Compare page), money without £-0."""

from modeller.formatting import kpi_table
from modeller.metrics import KPI_NAMES, KPIS


def _kpis(**months):
    out = dict.fromkeys(KPI_NAMES, 1.0)
    out.update(months)
    return out


def test_month_differences_are_calendar_months():
    results = {"MSK": _kpis(first_receipt_month=0, peak_funding_month=17),
               "Back pain": _kpis(first_receipt_month=0, peak_funding_month=0)}
    text = kpi_table(results, {"MSK": "2015-04", "Back pain": "2026-04"}, differences=True)
    receipt = next(line for line in text.splitlines() if line.startswith("First contract receipt"))
    # Apr 2015 (month 0 from 2015-04) to Apr 2026 (month 0 from 2026-04): 11 years = +132 months, not "same"
    assert "+132 months" in receipt, receipt
    peak = next(line for line in text.splitlines() if line.startswith(KPIS["peak_funding_month"].label))
    # Sep 2016 (month 17 from 2015-04) to Apr 2026: 9 years 7 months = +115 months, not -17
    assert "+115 months" in peak, peak


def test_the_same_calendar_month_says_so():
    results = {"A": _kpis(first_receipt_month=12), "B": _kpis(first_receipt_month=0)}
    text = kpi_table(results, {"A": "2025-04", "B": "2026-04"}, differences=True)
    receipt = next(line for line in text.splitlines() if line.startswith("First contract receipt"))
    assert "same month" in receipt  # Apr 2026 both: month 12 from Apr 2025, month 0 from Apr 2026


def test_money_never_prints_minus_zero():
    from modeller.formatting import money

    # -0.4 and -0.0 both round to nothing: "£0"; -0.6 rounds to a pound owed: "(£1)"
    assert [money(-0.4), money(-0.0), money(-0.6), money(None)] == ["£0", "£0", "(£1)", "–"]


def test_every_row_is_labelled_as_the_registry_labels_it():
    text = kpi_table({"A": _kpis()}, {"A": "2025-04"})
    rows = text.splitlines()[2:]                                   # under the heading and its rule
    assert [r[: len(KPIS[k].label)] for r, k in zip(rows, KPI_NAMES, strict=True)] == [KPIS[k].label for k in KPI_NAMES]
    assert not any(r.startswith(" ") for r in rows)                # no indented "  ... reached in" rows
