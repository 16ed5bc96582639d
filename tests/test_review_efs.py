"""EFS ratios worked by hand: one of each kind, every rating boundary, the undefined cases, and the
figures read from a small bid's own forecast statements."""

from __future__ import annotations

import dataclasses
import glob
import math
import re

import pytest

from modeller import run
from modeller.review.efs import (
    BOOK_ANCHOR,
    ORDER,
    RATINGS,
    EfsRow,
    YearFigures,
    efs_ratios,
    guidance,
    ratio,
    thresholds,
    worst_by_ratio,
    year_figures,
)
from modeller.scenario_io import load_scenario
from tests.helpers import scenario
from tools.model_book import BOOK, slug

# A full year of a provider with no debt: every field set by hand, overridden per test.
YEAR = YearFigures(label="2025/26", months=12, income=120_000, contract=120_000, contract_given=False,
                   ebitda=30_000, ebit=24_000, interest=0.0, free_cash_flow=10_000, cash=50_000, debt=0.0,
                   liquid=60_000, current_liabilities=20_000, net_assets=40_000)


def fig(**changes) -> YearFigures:
    return dataclasses.replace(YEAR, **changes)


# ---- one hand-worked ratio of each kind ---------------------------------------------------------

def test_turnover_ratio_of_a_given_contract_value_against_a_part_year_scaled_to_a_year():
    # 6 months of income £60,000 -> £120,000 a year; a £30,000-a-year contract is 30,000 / 120,000 = 25%
    value, rating, text = ratio("turnover_ratio", fig(months=6, income=60_000, contract=30_000, contract_given=True))
    assert value == pytest.approx(0.25)
    assert rating == "low"                                   # at or below 30%
    assert "£30,000 a year" in text and "£120,000" in text and "6 months" in text


def test_turnover_ratio_of_the_bids_own_contract_income():
    # contract income £90,000 of income £120,000 = 75%: above 50%, high
    value, rating, _ = ratio("turnover_ratio", fig(contract=90_000))
    assert value == pytest.approx(0.75)
    assert rating == "high"


def test_operating_margin():
    # EBIT 6,000 / income 120,000 = 5.0%: exactly on the low-risk threshold, so low
    value, rating, text = ratio("operating_margin", fig(ebit=6_000))
    assert value == pytest.approx(0.05)
    assert rating == "low"
    assert "£6,000" in text and "5.0%" in text


def test_free_cash_flow_share_of_income():
    # free cash flow -6,000 / income 120,000 = -5.0%: on the high threshold (high is below -5%), so medium
    value, rating, _ = ratio("free_cash_flow", fig(free_cash_flow=-6_000))
    assert value == pytest.approx(-0.05)
    assert rating == "medium"


def test_net_debt_to_ebitda_scales_a_part_year_ebitda_to_a_year():
    # net debt = loans and facility 70,000 - cash 10,000 = 60,000; EBITDA 15,000 in 6 months = 30,000 a year
    # 60,000 / 30,000 = 2.0 times: on the low threshold, so low
    value, rating, text = ratio("net_debt_to_ebitda", fig(months=6, debt=70_000, cash=10_000, ebitda=15_000))
    assert value == pytest.approx(2.0)
    assert rating == "low"
    assert "2.00 times" in text and "£30,000" in text


def test_net_assets():
    # net assets -1: below £0, high; exactly £0: low
    assert ratio("net_assets", fig(net_assets=-1.0))[1] == "high"
    assert ratio("net_assets", fig(net_assets=0.0))[:2] == (0.0, "low")


def test_acid_ratio():
    # liquid assets 40,000 / current liabilities 50,000 = 0.80: on the high threshold (below 0.8), so medium
    value, rating, _ = ratio("acid_ratio", fig(liquid=40_000, current_liabilities=50_000))
    assert value == pytest.approx(0.8)
    assert rating == "medium"


def test_interest_cover():
    # EBIT 8,000 / interest 2,000 = 4.0 times: on the low threshold, so low
    assert ratio("interest_cover", fig(ebit=8_000, interest=2_000))[:2] == (pytest.approx(4.0), "low")
    # an operating loss of 1,000 against interest of 500 is -2.0 times: high, and said in words
    value, rating, text = ratio("interest_cover", fig(ebit=-1_000, interest=500))
    assert (value, rating) == (pytest.approx(-2.0), "high")
    assert "operating loss" in text


def test_gearing():
    # net debt 70,000 - 10,000 = 60,000; / (60,000 + net assets 20,000) = 75%: on the high threshold, medium
    value, rating, _ = ratio("gearing", fig(debt=70_000, cash=10_000, net_assets=20_000))
    assert value == pytest.approx(0.75)
    assert rating == "medium"
    # net assets 19,000: 60,000 / 79,000 = 75.9%, above 75%: high
    assert ratio("gearing", fig(debt=70_000, cash=10_000, net_assets=19_000))[1] == "high"


# ---- every rating boundary ----------------------------------------------------------------------

@pytest.mark.parametrize("key", ORDER)
def test_each_boundary_rates_as_the_reference_file_says(key):
    t = thresholds()[key]
    nudge = 1e-6 if t.better == "higher" else -1e-6   # towards the good side
    assert t.rate(t.low) == "low"
    assert t.rate(t.high - nudge) == "high"
    assert t.rate(t.low + 10 * nudge) == "low"
    if t.low != t.high:                                # net assets has no medium band
        assert t.rate(t.low - nudge) == "medium"
        assert t.rate(t.high) == "medium"


def test_thresholds_are_ordered_and_every_one_has_a_source():
    for t in thresholds().values():
        assert t.source.strip() and t.formula.strip()
        assert t.better in ("higher", "lower")
        assert (t.low >= t.high) if t.better == "higher" else (t.low <= t.high)
    g = guidance()
    assert "economic and financial standing" in g["title"]
    assert g["url"].startswith("https://www.gov.uk/")


# ---- undefined ratios are said in words ---------------------------------------------------------

def test_no_debt_leaves_net_debt_to_ebitda_and_gearing_undefined_and_low_risk():
    for key in ("net_debt_to_ebitda", "gearing"):
        value, rating, text = ratio(key, fig(debt=5_000, cash=50_000))
        assert (value, rating) == (None, "low")
        assert text.startswith("No net debt")


def test_negative_ebitda_with_debt_is_undefined_and_high_risk():
    value, rating, text = ratio("net_debt_to_ebitda", fig(debt=80_000, cash=10_000, ebitda=-5_000))
    assert (value, rating) == (None, "high")
    assert "(£5,000)" in text and "not defined" in text


def test_no_interest_and_no_short_term_bills_need_no_cover():
    assert ratio("interest_cover", fig(interest=0.0))[:2] == (None, "low")
    assert ratio("acid_ratio", fig(current_liabilities=0.0))[:2] == (None, "low")


def test_negative_capital_leaves_gearing_undefined_and_high_risk():
    # net debt 60,000 + net assets -70,000 = -10,000 of capital: no gearing to compute
    value, rating, text = ratio("gearing", fig(debt=70_000, cash=10_000, net_assets=-70_000))
    assert (value, rating) == (None, "high")
    assert "not defined" in text


def test_a_year_without_income():
    assert ratio("operating_margin", fig(income=0.0, ebit=0.0))[:2] == (None, "not rated")
    value, rating, text = ratio("operating_margin", fig(income=0.0, ebit=-12_000))
    assert (value, rating) == (None, "high") and "(£12,000)" not in text and "£12,000" in text
    assert ratio("turnover_ratio", fig(income=0.0, contract=50_000, contract_given=True))[:2] == (None, "high")
    assert ratio("free_cash_flow", fig(income=0.0, free_cash_flow=-3_000))[:2] == (None, "high")


# ---- figures read from a bid's own statements ---------------------------------------------------

def small_bid(**funding):
    return scenario(
        contracts=[{"id": "clinic", "name": "Clinic", "mechanism": "block", "annual_value": 120_000,
                    "start": "2025-04"}],
        costs=[{"id": "rent", "name": "Rent", "kind": "fixed", "annual": 60_000, "from": "2025-04", "vat": False}],
        capex=[{"id": "kit", "name": "Kit", "amount": 12_000, "month": "2025-04", "life_years": 1, "vat": False}],
        funding={"opening_cash": 20_000, "minimum_cash": 0,
                 "loans": [{"id": "bank", "month": "2025-04", "amount": 24_000, "annual_rate": 0.0,
                            "term_months": 24}], **funding})


def test_figures_come_from_the_forecast_statements():
    s = small_bid()
    (y,) = year_figures(s, run(s))
    # income 12 x 10,000 = 120,000; rent 60,000 -> EBITDA 60,000; depreciation of the £12,000 kit over
    # 12 months from the month after purchase: 11 x 1,000 -> EBIT 49,000
    assert (y.income, y.ebitda, y.ebit, y.interest) == pytest.approx((120_000, 60_000, 49_000, 0))
    # free cash flow: receipts 120,000 - rent 60,000 - kit 12,000 = 48,000
    assert y.free_cash_flow == pytest.approx(48_000)
    # loan 24,000 at 0% over 24 months: 1,000 a month from May, 11 repaid -> 13,000 owed, 12,000 of it
    # due within a year (12 more instalments, beyond the horizon at the last month's 1,000)
    assert y.debt == pytest.approx(13_000)
    assert y.current_liabilities == pytest.approx(12_000)
    # cash 20,000 + 24,000 + 48,000 - 11,000 = 81,000; net assets 81,000 + kit 1,000 - loan 13,000 = 69,000
    assert (y.cash, y.liquid, y.net_assets) == pytest.approx((81_000, 81_000, 69_000))


def test_efs_ratios_of_a_small_bid():
    s = small_bid()
    rows = efs_ratios(s, run(s), contract_annual_value=30_000)
    assert [r.ratio for r in rows] == list(ORDER)
    by = {r.ratio: r for r in rows}
    assert by["turnover_ratio"].value == pytest.approx(0.25)            # 30,000 / 120,000
    assert by["operating_margin"].value == pytest.approx(49_000 / 120_000)
    assert by["acid_ratio"].value_text == "6.75 times"                   # 81,000 / 12,000
    assert by["interest_cover"].value_text == "not defined"
    assert all(r.rating == "low" for r in rows)
    # without a contract value, the bid's only contract is all its turnover
    assert efs_ratios(s, run(s))[0].value == pytest.approx(1.0)


def test_unknown_contract_is_named():
    s = small_bid()
    with pytest.raises(ValueError, match="'physio' is not in the bid 'Test venture'.*clinic"):
        efs_ratios(s, run(s), contracts=["physio"])


def test_a_horizon_cut_year_is_marked_and_scaled():
    s = scenario(**{**{k: v for k, v in small_bid().model_dump(by_alias=True).items()
                       if k in ("contracts", "costs", "capex", "funding")}, "months": 18})
    rows = efs_ratios(s, run(s), contract_annual_value=60_000)
    last = [r for r in rows if r.year == "2026/27"]
    assert {r.months for r in last} == {6}
    # 6 months of 10,000 = 60,000 -> 120,000 a year; 60,000 / 120,000 = 50%: medium (high is above 50%)
    turnover = next(r for r in last if r.ratio == "turnover_ratio")
    assert (turnover.value, turnover.rating) == (pytest.approx(0.5), "medium")
    assert "6 months of the year" in turnover.explanation


def test_worst_year_of_each_ratio():
    rows = [EfsRow("2025/26", 12, "gearing", "Gearing", "%", 0.9, "high", "90.0%", ""),
            EfsRow("2026/27", 12, "gearing", "Gearing", "%", 0.6, "medium", "60.0%", ""),
            EfsRow("2025/26", 12, "net_assets", "Net assets", "£", 5.0, "low", "£5", "")]
    worst = worst_by_ratio(rows)
    assert worst["gearing"].year == "2025/26" and worst["net_assets"].rating == "low"


@pytest.mark.parametrize("path", sorted(glob.glob("scenarios/*.yaml")))
def test_every_example_gives_plain_figures(path):
    s = load_scenario(path)
    for r in efs_ratios(s, run(s)):
        assert r.rating in RATINGS
        assert r.value is None or math.isfinite(r.value)
        assert not re.search(r"\b(nan|inf|division|error)\b", f"{r.value_text} {r.explanation}", re.I)


def test_the_model_book_states_the_thresholds_of_the_data_file():
    text = BOOK.read_text(encoding="utf-8")
    heading = "## Provider financial standing (EFS ratios)"
    assert slug(heading[3:]) == BOOK_ANCHOR
    book = text[text.index(heading):]
    book = book[: book.find("\n## ", 1) if "\n## " in book[1:] else len(book)]
    assert guidance()["url"] in book
    for t in thresholds().values():
        row = f"| {t.label} | {t.formula} | {t.describe()} | {'source' if t.confirmed else '[check]'} |"
        assert row in book, f"the model book's EFS table differs from the data file for {t.label}"
