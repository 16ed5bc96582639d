"""Headline and cash cards in words: what a risk run adds, why a high IRR is high, and what is paid
out before the first receipt (every example starts at mobilisation, so it shows)."""

from __future__ import annotations

import pytest

from modeller.engine import run
from modeller.metrics import KPIS
from modeller.risk import simulate
from modeller.scenario_io import load_scenario, scenario_from_data, scenario_to_data
from tests.conftest import ROOT
from ui import before_receipt, fmt, kpis
from ui.blank import blank_data

EXAMPLES = ROOT / "scenarios"


def result_of(stem: str, **contract_changes):
    scenario = load_scenario(EXAMPLES / f"{stem}.yaml")
    if contract_changes:
        data = scenario_to_data(scenario)
        for contract in data["contracts"]:
            contract.update(contract_changes)
        scenario = scenario_from_data(data, stem)
    return run(scenario)


@pytest.fixture(scope="module")
def msk():
    return result_of("msk_prime_provider")


def card(cards, kpi):
    """The card showing one KPI, found by the KPI's name: its title is the KPI's label."""
    found = next(c for c in cards if c.kpi == kpi)
    assert found.label == KPIS[kpi].label
    return found


def test_the_shortfall_card_is_the_base_case_and_a_risk_run_adds_its_chance(msk):
    mc = simulate(msk.scenario, draws=200, seed=3)
    plain, risky = kpis.headline_cards(msk), kpis.headline_cards(msk, mc)
    shortfall = card(risky, "funding_shortfall")
    assert card(plain, "funding_shortfall").value == shortfall.value == "£0"  # as every layer writes no shortfall
    assert shortfall.note.startswith("In the base case cash never falls below your £250,000 minimum")
    chance = (mc.kpis["funding_shortfall"] > 0).mean()
    assert 0 < chance < 1  # MSK's ranges make some draws short, some not
    assert shortfall.risk.startswith(f"Across 200 risk draws: {chance:.0%} chance of a shortfall")
    npv = card(risky, "npv")
    s = mc.summary("npv")
    assert npv.risk == f"Across 200 risk draws: P10 {fmt.money(s['p10'])} · P90 {fmt.money(s['p90'])}."
    # cards that risk does not move carry no risk line; without a run, none does
    assert card(risky, "peak_wte").risk == "" and all(c.risk == "" for c in plain)


def test_a_very_high_irr_says_why_and_has_the_mirr_beside_it(msk):
    cards, k = kpis.headline_cards(msk), msk.kpis()
    irr = card(cards, "irr")
    assert k["irr"] > kpis.HIGH_IRR and irr.value == fmt.pct(k["irr"])  # MSK's golden irr: about 62%
    # MSK's peak funding (£3,593,282 in the golden file): the whole stake behind the return
    stake = fmt.money(k["peak_funding_requirement"])
    assert f"only {stake} goes in" in irr.note and "Judge the venture by NPV and the MIRR" in irr.note
    mirr = card(cards, "mirr")   # the rate to quote: reinvested at the cost of capital, far below the IRR
    assert mirr.value == fmt.pct(k["mirr"]) and k["mirr"] < k["irr"] / 4
    names = [c.kpi for c in cards]
    assert names.index("mirr") == names.index("irr_real") + 1 == names.index("irr") + 2   # side by side
    gp_result = result_of("gp_network")
    gp = card(kpis.headline_cards(gp_result), "irr")
    assert gp_result.kpis()["irr"] < kpis.HIGH_IRR and gp.note == "The yearly return those cash flows earn."
    assert kpis.irr_note(None, 0.0).startswith("No return can be calculated")


def test_money_paid_before_the_first_receipt_names_its_months():
    imaging = result_of("imaging_scanners")
    # imaging mobilises from month 0 (Jan 2025): the site, scanners and loans; its contracts start in Apr 2025
    # and pay a month or two in arrears, so the first receipt is in month 4 (May 2025: the independent hospitals)
    assert (imaging.first_payment_month(), imaging.kpis()["first_receipt_month"]) == (0, 4)
    assert before_receipt.spent_before_receipt(imaging) == ("Staff, suppliers and equipment paid from Jan 2025 to "
                                                            "Apr 2025, before any contract income arrives.")
    # the GP network's contracts start in Jul 2025; with a 3-month payment lag on each, the first receipt is
    # Oct 2025 (month 6), so the founders pay from Apr 2025 to Sep 2025 before any contract income
    lagged = result_of("gp_network", payment_lag_months=3)
    assert lagged.kpis()["first_receipt_month"] == 6
    assert "paid from Apr 2025 to Sep 2025, before any contract income" in before_receipt.spent_before_receipt(lagged)
    assert lagged.kpis()["committed_before_first_receipt"] > 0


@pytest.mark.parametrize("stem", ["back_pain_capitation", "community_first_contract", "gp_network",
                                  "imaging_scanners", "msk_prime_provider", "wound_care_nurse_led"])
def test_every_example_starts_at_mobilisation_so_money_paid_before_the_first_receipt_shows(stem):
    result = result_of(stem)
    k, start = result.kpis(), result.scenario.start
    first_in = k["first_receipt_month"]
    # money goes out from the first month, and the first contract money comes later
    assert result.first_payment_month() == 0 and first_in is not None and first_in >= 2
    assert k["committed_before_first_receipt"] > 0
    assert before_receipt.before_first_receipt(result) == (
        f"**Paid out before the first receipt:** {fmt.money(k['committed_before_first_receipt'])}, from "
        f"{fmt.month(start, 0)} until the first receipt in {fmt.month(start, first_in)}.")


def test_the_msk_cash_card_shows_the_mobilisation_before_the_contract(msk):
    k = msk.kpis()
    # founders from Jan 2015 (month 0), the £12m contract paid in the month from Apr 2015 (month 3)
    assert (msk.first_payment_month(), k["first_receipt_month"]) == (0, 3)
    assert before_receipt.spent_before_receipt(msk) == ("Staff, suppliers and equipment paid from Jan 2015 to Mar 2015, "
                                                        "before any contract income arrives.")
    # at least the one-offs dated in those months are in it: the £250,000 mobilisation (Jan 2015, with its
    # VAT: VAT is not recoverable here) and the £400,000 data platform (Feb 2015, with its VAT)
    assert k["committed_before_first_receipt"] > (250_000 + 400_000) * 1.2


def test_a_plan_starting_with_its_first_receipt_says_why_nothing_shows():
    # the GP network with its contracts moved to the model's first month and paid in the month (links follow)
    at_once = result_of("gp_network", start="2025-04", payment_lag_months=0)
    assert at_once.kpis()["first_receipt_month"] == 0
    assert before_receipt.spent_before_receipt(at_once).startswith(
        "The plan starts in Apr 2025, the month the first money arrives")
    assert before_receipt.before_first_receipt(at_once) == (
        "**Paid out before the first receipt:** £0 – money arrives in Apr 2025, the model's first month; to see "
        "what is committed before it, start the model at mobilisation.")


def test_figures_never_reached_read_as_every_layer_writes_them():
    # the blank template with its contract cut from £500,000 to £100,000 a year: 5 WTE at £50,000 plus £50,000
    # of premises cost far more than it earns, so EBITDA never breaks even, the cash never comes back and
    # the cash flows never change sign (no IRR)
    data = blank_data()
    data["contracts"][0]["annual_value"] = 100000
    cards = kpis.headline_cards(run(scenario_from_data(data, "loss")))
    assert (card(cards, "ebitda_breakeven_month").value, card(cards, "payback_month").value) == ("never", "never")
    assert card(cards, "payback_month").note == "The cash put in has not come back by the end of the plan."
    irr = card(cards, "irr")
    assert irr.value == "–" and irr.note.startswith("No return can be calculated")   # "–": formatting.MISSING
