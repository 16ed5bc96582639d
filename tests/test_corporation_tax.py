"""Corporation tax worked by hand: small profits rate, marginal relief, short periods, the annual
investment allowance, quarterly instalments and losses across the limits (model book, "Corporation tax")."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeller import run
from modeller.engine import run_batch
from modeller.inputs import Inputs
from modeller.statements import IntegrityError, check_balances
from modeller.tax import corporation_tax, tax_rates
from tests.helpers import line, scenario

UK = {"corporation_tax_rate": 0.25, "payment_lag_months": 9}   # small profits rate 19%, limits £50k/£250k by default
NO_VAT = {"rate": 0.0}


def income(annual: float, start: str = "2025-04", lag: int = 0) -> list[dict]:
    return [{"id": "c", "name": "C", "mechanism": "block", "annual_value": annual, "start": start,
             "payment_lag_months": lag}]


def venture(annual: float, **parts):
    """A company earning `annual` a year from April 2025, nothing else: its profit is its income."""
    parts.setdefault("tax", UK)
    return scenario(contracts=income(annual), vat=NO_VAT, **parts)


@pytest.mark.parametrize(("profit", "tax"), [
    (40_000, 7_600),      # under the £50,000 lower limit: 19% x 40,000 = 7,600
    (100_000, 22_750),    # marginal relief: 25% x 100,000 - 3/200 x (250,000 - 100,000) = 25,000 - 2,250 = 22,750
    (400_000, 100_000),   # over the £250,000 upper limit: 25% x 400,000 = 100,000
    (50_000, 9_500),      # at the lower limit both rules agree: 19% x 50,000 = 25% x 50,000 - 3/200 x 200,000
    (250_000, 62_500),    # at the upper limit: 25% x 250,000, no relief left
])
def test_a_full_year_pays_the_small_profits_rate_marginal_relief_or_the_main_rate(profit, tax):
    r = run(venture(profit))                      # April 2025 to March 2026: one full NHS year
    assert line(r, "tax_charge")[11] == pytest.approx(tax)
    assert line(r, "tax_charge").sum() == pytest.approx(tax)


def test_without_a_small_profits_rate_one_flat_main_rate_applies():
    r = run(venture(40_000, tax={**UK, "small_profits_rate": None}))
    assert line(r, "tax_charge")[11] == pytest.approx(10_000)   # 25% x 40,000


def test_a_short_period_pro_rates_the_limits():
    # six months, April-September 2025, cut by the model's end: limits 50,000 x 6/12 = 25,000 and
    # 250,000 x 6/12 = 125,000. Profit 120,000 / 2 = 60,000 is between them:
    # 25% x 60,000 - 3/200 x (125,000 - 60,000) = 15,000 - 975 = 14,025
    r = run(venture(120_000, months=6))
    assert line(r, "tax_charge")[5] == pytest.approx(14_025)
    # a full year of the same profit rate: 120,000 is between 50,000 and 250,000:
    # 25% x 120,000 - 3/200 x 130,000 = 30,000 - 1,950 = 28,050: not twice the half year's
    assert line(run(venture(120_000)), "tax_charge")[11] == pytest.approx(28_050)


def test_a_short_first_period_cut_by_the_start():
    # February-March 2026 is the first period, 2 months: lower limit 50,000 x 2/12 = 8,333.33;
    # profit 2 x 5,000 = 10,000 is over it, under 250,000 x 2/12 = 41,666.67:
    # 25% x 10,000 - 3/200 x (41,666.67 - 10,000) = 2,500 - 475 = 2,025
    s = scenario(start="2026-02", months=2, contracts=income(60_000, "2026-02"), vat=NO_VAT, tax=UK)
    assert line(run(s), "tax_charge")[1] == pytest.approx(2_025)


def test_losses_carried_forward_count_before_the_limits():
    # 2025/26: a 200,000 set-up cost against 0 income: a loss of 200,000, no tax.
    # 2026/27: profit 300,000 less the 200,000 loss = 100,000 taxable, in the marginal band:
    # 25% x 100,000 - 3/200 x 150,000 = 22,750 (not the main rate a 300,000 profit would pay)
    setup = [{"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 200_000, "month": "2025-04"}]
    s = scenario(months=24, contracts=income(300_000, "2026-04"), costs=setup, vat=NO_VAT, tax=UK)
    charge = line(run(s), "tax_charge")
    assert charge[11] == 0
    assert charge[23] == pytest.approx(22_750)


SCANNER = [{"id": "scanner", "name": "Scanner", "amount": 300_000, "month": "2025-04", "life_years": 5}]


def test_the_annual_investment_allowance_deducts_a_300k_scanner_in_its_year():
    # income 600,000 a year; the scanner depreciates 300,000 / 60 = 5,000 a month from May.
    # 2025/26: profit before tax 600,000 - 11 x 5,000 = 545,000; taxable 545,000 + 55,000 depreciation
    # added back - 300,000 allowance = 300,000: over 250,000, so 25% = 75,000
    # 2026/27: profit 600,000 - 60,000 = 540,000; taxable 540,000 + 60,000 = 600,000: 25% = 150,000
    r = run(venture(600_000, months=24, capex=SCANNER))
    assert line(r, "profit_before_tax")[:12].sum() == pytest.approx(545_000)
    assert line(r, "tax_charge")[11] == pytest.approx(75_000)
    assert line(r, "tax_charge")[23] == pytest.approx(150_000)
    # capital_allowances none: depreciation deductible as charged: 25% x 545,000 = 136,250
    flat = run(venture(600_000, months=24, capex=SCANNER, tax={**UK, "capital_allowances": "none"}))
    assert line(flat, "tax_charge")[11] == pytest.approx(136_250)
    assert line(flat, "tax_charge")[23] == pytest.approx(135_000)   # 25% x 540,000


def test_spend_over_the_allowance_is_relieved_through_depreciation():
    # aia_limit 100,000 covers a third of the 300,000 scanner; two thirds stay in depreciation.
    # 2025/26: 545,000 + 55,000 / 3 (the covered third's depreciation added back) - 100,000 = 463,333.33
    # at 25% = 115,833.33
    r = run(venture(600_000, months=24, capex=SCANNER, tax={**UK, "aia_limit": 100_000}))
    assert line(r, "tax_charge")[11] == pytest.approx(115_833.33, abs=0.01)


def test_a_short_year_pro_rates_the_allowance():
    # January-March 2026, 3 months: allowance 1,000,000 x 3/12 = 250,000 of a 300,000 scanner bought in
    # January: 5/6 covered. Income 3 x 100,000 = 300,000; depreciation 5,000 in Feb and Mar = 10,000;
    # taxable 290,000 + 10,000 x 5/6 - 250,000 = 48,333.33, between the short period's limits
    # 12,500 and 62,500, so marginal: 25% x 48,333.33 - 3/200 x (62,500 - 48,333.33)
    # = 12,083.33 - 212.50 = 11,870.83
    scanner = [{**SCANNER[0], "month": "2026-01"}]
    s = scenario(start="2026-01", months=3, contracts=income(1_200_000, "2026-01"), capex=scanner, vat=NO_VAT,
                 tax=UK)
    assert line(run(s), "tax_charge")[2] == pytest.approx(11_870.83, abs=0.01)


def test_a_2m_profit_year_pays_by_quarterly_instalments():
    # 2,000,000 profit in 2025/26 is over 1,500,000: tax 25% = 500,000 in four parts of 125,000 in
    # months 7, 10, 13 and 16 of the period: October 2025 (month 6), January (9), April 2026 (12) and
    # July 2026 (15). 2026/27 the same, from October 2026 (18) and January 2027 (21); its April and
    # July 2027 parts fall after the 24-month horizon and stay payable.
    r = run(venture(2_000_000, months=24))
    paid = -line(r, "tax_paid")
    assert np.flatnonzero(paid).tolist() == [6, 9, 12, 15, 18, 21]
    assert paid[[6, 9, 12, 15, 18, 21]] == pytest.approx([125_000] * 6)
    assert line(r, "tax_payable")[-1] == pytest.approx(250_000)
    # before the March charge, two instalments are paid on account: tax payable is -250,000 (an asset)
    assert line(r, "tax_payable")[10] == pytest.approx(-250_000)
    # without instalments the 500,000 is paid 9 months after March 2026, in December 2026 (month 20)
    late = run(venture(2_000_000, months=24, tax={**UK, "quarterly_instalments": False}))
    assert np.flatnonzero(line(late, "tax_paid")).tolist() == [20]


def test_instalments_in_the_year_are_paid_on_an_estimate_before_facility_interest():
    # a 150,000 set-up cost in April is funded by the facility at 12%: 1% of 150,000 = 1,500 interest in
    # May, when the first receipt (200,000, a month in arrears) repays it. The October and January
    # instalments are a quarter of the tax estimated without that interest:
    # 25% x (2,400,000 - 150,000) / 4 = 562,500 / 4 = 140,625. The year's charge is
    # 25% x (2,250,000 - 1,500) = 562,125; April and July pay the rest: (562,125 - 281,250) / 2 = 140,437.50
    setup = [{"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 150_000, "month": "2025-04"}]
    s = scenario(months=18, contracts=income(2_400_000, lag=1), costs=setup, vat=NO_VAT, tax=UK,
                 funding={"opening_cash": 0, "minimum_cash": 0, "facility": {"limit": 1_000_000, "annual_rate": 0.12}})
    r = run(s)
    assert line(r, "interest_facility").sum() == pytest.approx(1_500)
    assert line(r, "tax_charge")[11] == pytest.approx(562_125)
    paid = -line(r, "tax_paid")
    assert paid[[6, 9, 12, 15]] == pytest.approx([140_625, 140_625, 140_437.50, 140_437.50])


def test_a_short_first_period_pays_all_its_instalments_after_it_ends():
    # January-March 2026 (3 months): profit 3 x 200,000 = 600,000 is over 1,500,000 x 3/12 = 375,000;
    # tax 25% = 150,000 (over the upper limit 62,500), all four parts after the period: months 6, 9, 12
    # and 15, 37,500 each. 2026/27 from April (month 3): 2,400,000 at 25% = 600,000, estimated on
    # the same profit, in months 9, 12, 15 and 18 of the model, 150,000 each. 2027/28 is cut by the
    # horizon after December (9 months, months 15-23): 1,800,000 is over 1,500,000 x 9/12 = 1,125,000;
    # 25% = 450,000; its month-7 part (month 21) falls within the period: 112,500; the rest after the end.
    s = scenario(start="2026-01", months=24, contracts=income(2_400_000, "2026-01"), vat=NO_VAT, tax=UK)
    paid = -line(run(s), "tax_paid")
    assert paid[[6, 9, 12, 15, 18, 21]] == pytest.approx([37_500, 187_500, 187_500, 187_500, 150_000, 112_500])
    assert paid.sum() == pytest.approx(150_000 + 600_000 + 112_500)


@pytest.mark.parametrize("lower", [0, 250_000])
def test_limits_that_meet_leave_no_marginal_band(lower):
    # lower = upper: the small rate up to the limit, the main rate above it
    s = venture(100_000, tax={**UK, "lower_limit": lower, "upper_limit": 250_000 if lower else 0})
    assert line(run(s), "tax_charge")[11] == pytest.approx(100_000 * (0.19 if lower else 0.25))


def test_a_lower_limit_above_the_upper_limit_is_refused_naming_both():
    with pytest.raises(ValueError, match="lower_limit.*upper_limit"):
        venture(1, tax={**UK, "lower_limit": 300_000})


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e7), st.floats(0, 0.6), st.floats(0, 0.6), st.floats(0, 1e6), st.floats(0, 1e6),
       st.integers(1, 12))
def test_the_rate_bands_join_without_a_step(profit, main, small, a, b, months):
    """Tax lies between the two rates' amounts and never jumps at a limit (marginal relief joins them)."""
    s = venture(0, tax={**UK, "corporation_tax_rate": main, "small_profits_rate": small,
                        "lower_limit": min(a, b), "upper_limit": max(a, b)})
    rates = tax_rates(Inputs(s))
    small = min(small, main)                      # the small profits rate never exceeds the main rate
    tax = corporation_tax(np.array([profit]), months, rates)[0]
    assert min(main, small) * profit - 1e-6 <= tax <= max(main, small) * profit + 1e-6
    lower, upper = min(a, b) * months / 12, max(a, b) * months / 12
    if upper == lower:   # no band: the small rate up to the limit (test_limits_that_meet_leave_no_marginal_band)
        return
    inside = lower + np.array([1e-9, 1 - 1e-9]) * (upper - lower)   # just inside the band at each end
    at = corporation_tax(np.array([lower, upper, *inside]), months, rates)
    assert at[0] == pytest.approx(small * lower) and at[1] == pytest.approx(main * upper)
    assert at[2:] == pytest.approx([small * lower, main * upper], abs=1e-3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.floats(0.0, 0.4), st.floats(0.0, 0.4), st.floats(0, 300_000), st.floats(0, 2e6),
                          st.floats(0, 3e6)), min_size=1, max_size=8),
       st.sampled_from(["2025-04", "2025-11", "2026-01"]), st.booleans(), st.sampled_from(["aia", "none"]))
def test_the_balance_sheet_balances_every_month_of_every_draw(draws, start, instalments, allowances):
    """Rates, limits, the allowance and the scale of the business vary per draw; the statements hold."""
    cols = np.array(draws).T
    setup = [{"id": "setup", "name": "Set-up", "kind": "one_off", "amount": 300_000, "month": start}]  # mobilisation
    capex = [{**SCANNER[0], "month": start}, {"id": "van", "name": "Van", "amount": 80_000, "month": "2026-09",
                                              "life_years": 3}]
    s = scenario(start=start, months=40, contracts=income(2_400_000, start, lag=2), costs=setup, capex=capex,
                 tax={**UK, "quarterly_instalments": instalments, "capital_allowances": allowances},
                 funding={"opening_cash": 0, "minimum_cash": 10_000,
                          "facility": {"limit": 500_000, "annual_rate": 0.1}})
    overrides = {"tax.corporation_tax_rate": cols[0], "tax.small_profits_rate": cols[1],
                 "tax.lower_limit": cols[2], "tax.aia_limit": cols[3], "contracts.c.annual_value": cols[4]}
    r = run_batch(s, overrides)           # run_batch checks the balance sheet itself; checked again here
    try:
        check_balances(r.lines)
    except IntegrityError as e:           # pragma: no cover - the message names the month and draw
        pytest.fail(str(e))
    for d in range(r.draws):              # each draw agrees with running that draw on its own
        one = run_batch(s, {k: v[d : d + 1] for k, v in overrides.items()})
        np.testing.assert_allclose(r.lines["tax_paid"][d], one.lines["tax_paid"][0], atol=1e-6)



def test_a_main_rate_of_zero_means_no_tax_even_with_the_small_profits_rate_left_in():
    # a charity sets the main rate to 0 and leaves small_profits_rate at its 19% default: the small
    # profits rate never exceeds the main rate, so £40,000 of profit pays 0 (not 19% x 40,000 = £7,600)
    s = venture(40_000, tax={**UK, "corporation_tax_rate": 0.0})
    assert run(s).lines["tax_charge"].sum() == 0


def test_one_flat_rate_survives_saving_and_loading():
    # small_profits_rate: null means one flat main rate; left out on saving it would load back as the 19% default
    from modeller.scenario_io import dump_scenario, load_scenario, scenario_from_data
    from tests.helpers import BASE

    s = scenario_from_data({**BASE, "tax": {"corporation_tax_rate": 0.25, "small_profits_rate": None}})
    again = load_scenario(dump_scenario(s))
    assert again.tax.small_profits_rate is None and again == s
