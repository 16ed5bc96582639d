"""The pipeline: scenario (+ per-draw overrides) -> every monthly line item -> checked Result.

One call handles a whole batch of draws as (draws, months) arrays; `run` is the batch of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from functools import reduce

import numpy as np

from modeller import activity, metrics
from modeller.appraisal import settlement_lines
from modeller.costs import capex_lines, cost_lines
from modeller.funding import loan_lines, roll_forward
from modeller.income import contract_lines
from modeller.inputs import Inputs
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.statements import balance_sheet, check_balances, cum
from modeller.tax import allowance_adjustment
from modeller.timeline import Timeline
from modeller.workforce import employer_lines, role_lines


def _total(series: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Sum of series that may be one row (same in every draw) or one row per draw."""
    return reduce(np.add, series) if series else np.zeros((1, shape[1]))


def _equity(inp: Inputs, tl: Timeline) -> np.ndarray:
    out = np.zeros((inp.draws, tl.months))
    for i, e in enumerate(inp.scenario.funding.equity):
        raised = tl.m[None, :] == inp.month(f"funding.equity.{i}.month", e.month)[:, None]  # past the horizon: never
        out += raised * inp.num(f"funding.equity.{i}.amount", e.amount)
    return out


def run_batch(scenario: Scenario, overrides: Mapping[str, np.ndarray] | None = None,
              draws: int | None = None) -> Result:
    """Run every draw at once. `overrides` maps parameter paths to one value per draw."""
    inp = Inputs(scenario, overrides, draws)
    tl = Timeline(scenario.start, scenario.months)
    shape = (inp.draws, tl.months)
    drawn_units = activity.units(inp, tl)
    expected_units = activity.units(inp, tl, expected=True)
    costs = {c.id: cost_lines(inp, c, tl, drawn_units) for c in scenario.costs}
    roles = {r.id: role_lines(inp, r, tl, expected_units, drawn_units) for r in scenario.workforce.roles}
    detail = {
        "contracts": {c.id: contract_lines(inp, c, tl, drawn_units, {k: v.cost for k, v in costs.items()})
                      for c in scenario.contracts},
        "roles": roles,
        "employer": {"all": employer_lines(inp, tl, roles)},   # apprenticeship levy, Employment Allowance
        "costs": costs,
        "capex": {a.id: capex_lines(inp, a, tl) for a in scenario.capex},
        "loans": {ln.id: loan_lines(inp, ln, tl) for ln in scenario.funding.loans},
    }
    L = _operating_lines(scenario, detail, shape)
    L.update(_funding_lines(inp, tl, L, detail["loans"], shape, allowance_adjustment(inp, tl, detail["capex"])))
    L.update(_balance_sheet_lines(inp, L, detail))
    check_balances(L)
    L.update(settlement_lines(L, scenario.appraisal.residual_value))
    L.update(_workforce_lines(detail, shape))
    L = {k: np.broadcast_to(v, shape) for k, v in L.items()}
    for items in detail.values():
        for item in items.values():
            for f in fields(item):
                setattr(item, f.name, np.broadcast_to(getattr(item, f.name), shape))
    detail["activity"] = {k: np.broadcast_to(v, shape) for k, v in drawn_units.items()}
    kpis = metrics.kpis(L, scenario, tl, inp)
    return Result(scenario=scenario, timeline=tl, draws=inp.draws, lines=L, detail=detail, kpi_arrays=kpis)


def _operating_lines(scenario: Scenario, detail: dict, shape) -> dict[str, np.ndarray]:
    """P&L down to EBIT and the cash flows that do not depend on financing."""
    contracts, roles, costs = detail["contracts"].values(), detail["roles"], detail["costs"].values()
    seconded = {r.id for r in scenario.workforce.roles if r.employment == "seconded"}
    L: dict[str, np.ndarray] = {}
    L["income"] = _total([c.income for c in contracts], shape)
    employer = detail["employer"]["all"].net
    L["pay_employed"] = _total([r.staff_cost for rid, r in roles.items() if rid not in seconded], shape) + employer
    L["pay_seconded"] = _total([r.staff_cost for rid, r in roles.items() if rid in seconded], shape)
    L["pay_agency"] = _total([r.agency_cost for r in roles.values()], shape)
    L["pay"] = L["pay_employed"] + L["pay_seconded"] + L["pay_agency"]
    L["non_pay_costs"] = _total([c.cost for c in costs], shape)
    L["irrecoverable_vat"] = _total([c.vat for c in costs], shape)
    L["recruitment"] = _total([r.recruitment_cost for r in roles.values()], shape)
    L["non_pay"] = L["non_pay_costs"] + L["irrecoverable_vat"] + L["recruitment"]
    L["ebitda"] = L["income"] - L["pay"] - L["non_pay"]
    L["depreciation"] = _total([a.depreciation for a in detail["capex"].values()], shape)
    L["ebit"] = L["ebitda"] - L["depreciation"]
    L["receipts"] = _total([c.receipts for c in contracts], shape)
    L["staff_payments"] = -(_total([r.staff_paid for r in roles.values()], shape) + employer + L["pay_agency"])
    L["supplier_payments"] = -(_total([c.paid for c in costs], shape) + L["recruitment"])
    L.update(_capital_and_vat_lines(detail, shape))
    return L


def _capital_and_vat_lines(detail: dict, shape) -> dict[str, np.ndarray]:
    """Capital spending (capitalised with its irrecoverable VAT) and the recoverable VAT on costs and capital:
    paid with them, reclaimed the month after (model book, "VAT")."""
    costs, capex = detail["costs"].values(), detail["capex"].values()
    V = {"capex_capitalised": _total([a.spend for a in capex], shape),
         "capex_vat": _total([a.vat for a in capex], shape),
         "vat_recoverable": _total([c.vat_recoverable for c in costs] + [a.vat_recoverable for a in capex], shape),
         "vat_reclaimed": _total([c.vat_reclaimed for c in costs] + [a.vat_reclaimed for a in capex], shape)}
    V["capex_paid"] = -(V["capex_capitalised"] + _total([a.vat_recoverable for a in capex], shape))
    return V


def _funding_lines(inp: Inputs, tl: Timeline, L: dict, loans: dict, shape,
                   tax_adjustment: np.ndarray) -> dict[str, np.ndarray]:
    """Equity, loans, the facility and tax, rolled forward month by month; the cash-flow statement."""
    F: dict[str, np.ndarray] = {}
    F["interest_loans"] = _total([ln.interest for ln in loans.values()], shape)
    F["equity_raised"] = _equity(inp, tl)
    F["loans_drawn"] = _total([ln.drawn for ln in loans.values()], shape)
    F["loan_repayments"] = -_total([ln.principal for ln in loans.values()], shape)
    F["loan_balance"] = _total([ln.balance for ln in loans.values()], shape)
    cash_before = (L["receipts"] + L["staff_payments"] + L["supplier_payments"] + L["vat_reclaimed"] + L["capex_paid"]
                   + F["equity_raised"] + F["loans_drawn"] + F["loan_repayments"] - F["interest_loans"])
    fund = roll_forward(inp, tl, cash_before, L["ebit"] - F["interest_loans"], tax_adjustment)
    F["interest_facility"] = fund.facility_interest
    F["interest"] = F["interest_loans"] + F["interest_facility"]
    F["profit_before_tax"] = fund.pbt
    F["tax_charge"] = fund.tax_charge
    F["profit_after_tax"] = fund.pbt - fund.tax_charge
    F["tax_paid"] = -fund.tax_paid
    F["operating_cf"] = L["receipts"] + L["staff_payments"] + L["supplier_payments"] + L["vat_reclaimed"] + F["tax_paid"]
    F["investing_cf"] = L["capex_paid"]
    F["pre_financing_cf"] = F["operating_cf"] + F["investing_cf"]
    F["cumulative_pre_financing_cf"] = np.cumsum(F["pre_financing_cf"], axis=1)
    F["interest_paid"] = -F["interest"]
    F["facility_movement"] = fund.facility_movement
    F["facility_balance"] = fund.facility_balance
    F["financing_cf"] = (F["equity_raised"] + F["loans_drawn"] + F["loan_repayments"] + F["interest_paid"]
                         + F["facility_movement"])
    F["net_cash_flow"] = F["operating_cf"] + F["investing_cf"] + F["financing_cf"]
    F["closing_cash"] = fund.closing_cash
    F["opening_cash"] = np.concatenate([np.broadcast_to(_opening_cash(inp), (inp.draws, 1)),
                                        fund.closing_cash[:, :-1]], axis=1)
    return F


def _opening_cash(inp: Inputs) -> np.ndarray:
    return np.asarray(inp.num("funding.opening_cash", inp.scenario.funding.opening_cash), float).reshape(-1, 1)


def _balance_sheet_lines(inp: Inputs, L: dict, detail: dict) -> dict[str, np.ndarray]:
    """Balances from cumulative accruals less cash, per contract, cost line and seconded role."""
    contract_bal = [cum(c.income - c.receipts) for c in detail["contracts"].values()]
    cost_bal = [cum(c.cost + c.vat + c.vat_recoverable - c.paid) for c in detail["costs"].values()]  # invoiced, VAT and all
    cost_bal += [cum(r.staff_cost - r.staff_paid) for r in detail["roles"].values()
                 if r.staff_paid is not r.staff_cost]
    return balance_sheet(L, contract_bal, cost_bal, _opening_cash(inp), L["equity_raised"])


def _workforce_lines(detail: dict, shape) -> dict[str, np.ndarray]:
    roles, costs = detail["roles"].values(), detail["costs"].values()
    W = {"wte_target": _total([r.target_wte for r in roles], shape),
         "wte_in_post": _total([r.in_post_wte for r in roles], shape),
         "wte_agency": _total([r.agency_wte for r in roles], shape)}
    W["wte_total"] = W["wte_in_post"] + W["wte_agency"]
    W["exit_cost"] = _total([r.exit_cost for r in roles], shape) + _total([c.exit_cost for c in costs], shape)
    return W


def run(scenario: Scenario) -> Result:
    """The deterministic case: one draw at the scenario's own values."""
    return run_batch(scenario)
