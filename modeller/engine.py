"""The pipeline: scenario (+ per-draw overrides) -> every monthly line item -> checked Result.

One call handles a whole batch of draws as (draws, months) arrays; `run` is the batch of one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from functools import reduce

import numpy as np

from modeller import activity, metrics
from modeller.costs import capex_lines, cost_lines
from modeller.funding import loan_lines, roll_forward
from modeller.income import contract_lines
from modeller.inputs import Inputs
from modeller.result import Result
from modeller.scenario import Scenario
from modeller.statements import balance_sheet, check_balances, cum
from modeller.timeline import Timeline
from modeller.workforce import role_lines


def _total(series: list[np.ndarray], shape: tuple[int, int]) -> np.ndarray:
    """Sum of series that may be one row (same in every draw) or one row per draw."""
    return reduce(np.add, series) if series else np.zeros((1, shape[1]))


def _equity(inp: Inputs, tl: Timeline) -> np.ndarray:
    out = np.zeros((inp.draws, tl.months))
    for i, e in enumerate(inp.scenario.funding.equity):
        month = tl.clamp(e.month)
        if month < tl.months:
            out[:, month] += np.asarray(inp.num(f"funding.equity.{i}.amount", e.amount)).reshape(-1)
    return out


def run_batch(scenario: Scenario, overrides: Mapping[str, np.ndarray] | None = None,
              draws: int | None = None) -> Result:
    """Run every draw at once. `overrides` maps parameter paths to one value per draw."""
    inp = Inputs(scenario, overrides, draws)
    tl = Timeline(scenario.start, scenario.months)
    shape = (inp.draws, tl.months)
    drawn_units = activity.units(inp, tl)
    expected_units = activity.units(inp, tl, expected=True)
    roles = {r.id: role_lines(inp, r, tl, expected_units, drawn_units) for r in scenario.workforce.roles}
    costs = {c.id: cost_lines(inp, c, tl, drawn_units) for c in scenario.costs}
    contracts = {c.id: contract_lines(inp, c, tl, drawn_units, {k: v.cost for k, v in costs.items()})
                 for c in scenario.contracts}
    capex = {a.id: capex_lines(inp, a, tl) for a in scenario.capex}
    loans = {ln.id: loan_lines(inp, ln, tl) for ln in scenario.funding.loans}

    by_employment = {kind: [r.staff_cost for rid, r in roles.items() if _employment(scenario, rid) == kind]
                     for kind in ("direct", "seconded")}
    L: dict[str, np.ndarray] = {}
    L["income"] = _total([c.income for c in contracts.values()], shape)
    L["pay_employed"] = _total(by_employment["direct"], shape)
    L["pay_seconded"] = _total(by_employment["seconded"], shape)
    L["pay_agency"] = _total([r.agency_cost for r in roles.values()], shape)
    L["pay"] = L["pay_employed"] + L["pay_seconded"] + L["pay_agency"]
    L["non_pay_costs"] = _total([c.cost for c in costs.values()], shape)
    L["recruitment"] = _total([r.recruitment_cost for r in roles.values()], shape)
    L["non_pay"] = L["non_pay_costs"] + L["recruitment"]
    L["ebitda"] = L["income"] - L["pay"] - L["non_pay"]
    L["depreciation"] = _total([a.depreciation for a in capex.values()], shape)
    L["ebit"] = L["ebitda"] - L["depreciation"]
    L["interest_loans"] = _total([ln.interest for ln in loans.values()], shape)

    L["receipts"] = _total([c.receipts for c in contracts.values()], shape)
    L["staff_payments"] = -(_total([r.staff_paid for r in roles.values()], shape) + L["pay_agency"])
    L["supplier_payments"] = -(_total([c.paid for c in costs.values()], shape) + L["recruitment"])
    L["capex_paid"] = -_total([a.spend for a in capex.values()], shape)
    L["equity_raised"] = _equity(inp, tl)
    L["loans_drawn"] = _total([ln.drawn for ln in loans.values()], shape)
    L["loan_repayments"] = -_total([ln.principal for ln in loans.values()], shape)
    L["loan_balance"] = _total([ln.balance for ln in loans.values()], shape)

    cash_before = (L["receipts"] + L["staff_payments"] + L["supplier_payments"] + L["capex_paid"]
                   + L["equity_raised"] + L["loans_drawn"] + L["loan_repayments"] - L["interest_loans"])
    fund = roll_forward(inp, tl, cash_before, L["ebit"] - L["interest_loans"])
    L["interest_facility"] = fund.facility_interest
    L["interest"] = L["interest_loans"] + L["interest_facility"]
    L["profit_before_tax"] = fund.pbt
    L["tax_charge"] = fund.tax_charge
    L["profit_after_tax"] = fund.pbt - fund.tax_charge
    L["tax_paid"] = -fund.tax_paid
    L["operating_cf"] = L["receipts"] + L["staff_payments"] + L["supplier_payments"] + L["tax_paid"]
    L["investing_cf"] = L["capex_paid"]
    L["pre_financing_cf"] = L["operating_cf"] + L["investing_cf"]
    L["interest_paid"] = -L["interest"]
    L["facility_movement"] = fund.facility_movement
    L["facility_balance"] = fund.facility_balance
    L["financing_cf"] = (L["equity_raised"] + L["loans_drawn"] + L["loan_repayments"] + L["interest_paid"]
                         + L["facility_movement"])
    L["net_cash_flow"] = L["operating_cf"] + L["investing_cf"] + L["financing_cf"]
    L["closing_cash"] = fund.closing_cash
    opening = np.asarray(inp.num("funding.opening_cash", scenario.funding.opening_cash), float).reshape(-1, 1)
    L["opening_cash"] = np.concatenate([np.broadcast_to(opening, (inp.draws, 1)), fund.closing_cash[:, :-1]], axis=1)

    contract_bal = [cum(c.income - c.receipts) for c in contracts.values()]
    cost_bal = [cum(c.cost - c.paid) for c in costs.values()]
    cost_bal += [cum(r.staff_cost - r.staff_paid) for r in roles.values() if r.staff_paid is not r.staff_cost]
    L.update(balance_sheet(L, contract_bal, cost_bal, opening, L["equity_raised"]))
    check_balances(L)

    L["wte_target"] = _total([r.target_wte for r in roles.values()], shape)
    L["wte_in_post"] = _total([r.in_post_wte for r in roles.values()], shape)
    L["wte_agency"] = _total([r.agency_wte for r in roles.values()], shape)
    L["wte_total"] = L["wte_in_post"] + L["wte_agency"]
    L["exit_cost"] = (_total([r.exit_cost for r in roles.values()], shape)
                      + _total([c.exit_cost for c in costs.values()], shape))
    L = {k: np.broadcast_to(v, shape) for k, v in L.items()}
    detail = {"contracts": contracts, "roles": roles, "costs": costs, "capex": capex, "loans": loans}
    for items in detail.values():
        for item in items.values():
            for f in fields(item):
                setattr(item, f.name, np.broadcast_to(getattr(item, f.name), shape))
    detail["activity"] = {k: np.broadcast_to(v, shape) for k, v in drawn_units.items()}
    kpis = metrics.kpis(L, scenario, tl, inp)
    return Result(scenario=scenario, timeline=tl, draws=inp.draws, lines=L, detail=detail, kpi_arrays=kpis)


def run_chunked(scenario: Scenario, overrides: Mapping[str, np.ndarray], chunk_size: int = 1000,
                keep: tuple[str, ...] = ("closing_cash",), progress=None) -> tuple[dict, dict]:
    """Run many draws in chunks to bound memory; returns (KPI arrays, kept lines), each over all draws.

    Chunks of about a thousand draws keep each array in cache, which is also faster than
    one giant batch. `progress(fraction)` is called after each chunk.
    """
    draws = len(next(iter(overrides.values()))) if overrides else 1
    kpis: dict[str, list] = {}
    lines: dict[str, list] = {k: [] for k in keep}
    for lo in range(0, draws, chunk_size):
        part = {p: np.asarray(v)[lo: lo + chunk_size] for p, v in overrides.items()}
        result = run_batch(scenario, part)
        for k, v in result.kpi_arrays.items():
            kpis.setdefault(k, []).append(v)
        for k in keep:
            lines[k].append(np.array(result.lines[k]))
        if progress:
            progress(min(1.0, (lo + chunk_size) / draws))
    return ({k: np.concatenate(v) for k, v in kpis.items()}, {k: np.concatenate(v) for k, v in lines.items()})


def _employment(scenario: Scenario, role_id: str) -> str:
    return next(r.employment for r in scenario.workforce.roles if r.id == role_id)


def run(scenario: Scenario) -> Result:
    """The deterministic case: one draw at the scenario's own values."""
    return run_batch(scenario)
