"""Non-pay cost lines (fixed, per unit, one-off) with payment lags and commitments, capital spend with
straight-line depreciation, and the VAT on both (model book, "Non-pay costs", "Capital spending and
depreciation" and "VAT")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from modeller.inputs import Inputs
from modeller.scenario import Capex, FixedCost, OneOffCost, PerUnitCost
from modeller.timeline import Timeline, delay, rows


@dataclass
class CostLines:
    """One cost line's monthly series, each (draws, months)."""

    cost: np.ndarray             # accrued in the month incurred, before VAT
    vat: np.ndarray              # irrecoverable VAT on it: a cost too, accrued and paid with it
    vat_recoverable: np.ndarray  # recoverable VAT on it: paid with it, owed back by HMRC until reclaimed
    paid: np.ndarray             # cash for the cost and all its VAT, payment_lag_months later
    vat_reclaimed: np.ndarray    # the recoverable VAT back from HMRC, the month after it is paid
    exit_cost: np.ndarray        # unexpired commitment, with its irrecoverable VAT, if the venture stopped this month


@dataclass(frozen=True)
class VatRates:
    """VAT on one line: the shares of its amount that are irrecoverable and recoverable VAT (each a float,
    or a (draws, 1) column where the batch draws the rate or the recoverable share)."""

    irrecoverable: np.ndarray | float
    recoverable: np.ndarray | float


def vat_rates(inp: Inputs, charged: bool) -> VatRates:
    """rate × (1 − recoverable share) and rate × recoverable share; nothing on a line without VAT."""
    if not charged:
        return VatRates(0.0, 0.0)
    v = inp.scenario.vat
    rate = inp.num("vat.rate", v.rate)
    share = inp.num("vat.recoverable_share", v.recoverable_share)
    if np.isscalar(share) and share == 0:  # an exempt provider (the default): every draw recovers nothing
        return VatRates(rate, 0.0)
    return VatRates(rate * (1 - share), rate * share)


def _fixed(inp: Inputs, c: FixedCost, tl: Timeline):
    base = f"costs.{c.id}"
    non_pay = tl.index_factor(inp.num("indexation.non_pay", inp.scenario.indexation.non_pay))
    monthly = inp.num(f"{base}.annual", c.annual) / 12 * non_pay
    first = inp.month(f"{base}.from", c.from_)[:, None]
    last = tl.months - 1 if c.to is None else inp.month(f"{base}.to", c.to)[:, None]
    m = tl.m[None, :]
    active = (m >= first) & (m <= last)
    commitment = inp.whole(f"{base}.commitment_months", c.commitment_months)[:, None]
    # months of the first `commitment_months` still to run after this one
    unexpired = np.clip(first + commitment - (m + 1), 0, commitment) * (m >= first)
    return monthly * active, monthly * unexpired


def _per_unit(inp: Inputs, c: PerUnitCost, tl: Timeline, units: dict):
    base = f"costs.{c.id}"
    non_pay = tl.index_factor(inp.num("indexation.non_pay", inp.scenario.indexation.non_pay))
    unit_cost = inp.num(f"{base}.unit_cost", c.unit_cost)
    return units[c.activity] * inp.num(f"{base}.share", c.share) * unit_cost * non_pay, 0.0


def _one_off(inp: Inputs, c: OneOffCost, tl: Timeline):
    bought = tl.m[None, :] == inp.month(f"costs.{c.id}.month", c.month)[:, None]  # past the horizon: never
    return bought * inp.num(f"costs.{c.id}.amount", c.amount), 0.0


def cost_lines(inp: Inputs, c, tl: Timeline, units: dict) -> CostLines:
    """Accrued cost, its VAT, payments, reclaims and exit commitment of one cost line over all draws."""
    if c.kind == "fixed":
        cost, exit_cost = _fixed(inp, c, tl)
    elif c.kind == "per_unit":
        cost, exit_cost = _per_unit(inp, c, tl, units)
    else:
        cost, exit_cost = _one_off(inp, c, tl)
    cost = rows(cost, tl.months)
    v = vat_rates(inp, c.vat)
    # VAT is a share of the cost, the same in every month of a draw, so it moves with the cost's payment
    paid_before_vat = delay(cost, inp.whole(f"costs.{c.id}.payment_lag_months", c.payment_lag_months))
    reclaimed = _share(delay(paid_before_vat, 1), v.recoverable, tl) if _any(v.recoverable) else _none(tl)
    return CostLines(cost=cost, vat=_share(cost, v.irrecoverable, tl), vat_recoverable=_share(cost, v.recoverable, tl),
                     paid=_gross(paid_before_vat, v.irrecoverable + v.recoverable, tl), vat_reclaimed=reclaimed,
                     exit_cost=_gross(rows(exit_cost, tl.months), v.irrecoverable, tl))


def _any(share) -> bool:
    return not (np.isscalar(share) and share == 0)


def _none(tl: Timeline) -> np.ndarray:
    return np.zeros((1, tl.months))


def _share(x: np.ndarray, share, tl: Timeline) -> np.ndarray:
    """x × share: one row of zeros where the share is none (no VAT), as most lines of an exempt provider have."""
    return rows(x * share, tl.months) if _any(share) else _none(tl)


def _gross(x: np.ndarray, share, tl: Timeline) -> np.ndarray:
    """x × (1 + share): x itself where the share is none."""
    return rows(x * (1 + share), tl.months) if _any(share) else x


@dataclass
class CapexLines:
    """One capital item's monthly series, each (draws, months)."""

    spend: np.ndarray            # capitalised in its month: the amount and its irrecoverable VAT
    vat: np.ndarray              # the irrecoverable VAT within `spend`
    vat_recoverable: np.ndarray  # recoverable VAT, paid with the item in its month (not capitalised)
    vat_reclaimed: np.ndarray    # the recoverable VAT back from HMRC, the month after
    depreciation: np.ndarray     # `spend` straight line from the next month over life_years * 12 months


def capex_lines(inp: Inputs, a: Capex, tl: Timeline) -> CapexLines:
    """Cash paid for a capital item is `spend` + `vat_recoverable`, in its month."""
    base = f"capex.{a.id}"
    amount = inp.num(f"{base}.amount", a.amount)
    v = vat_rates(inp, a.vat)
    capitalised = amount * (1 + v.irrecoverable)
    life = np.rint(np.asarray(inp.num(f"{base}.life_years", a.life_years)) * 12)
    after = tl.m[None, :] - inp.month(f"{base}.month", a.month)[:, None]   # months since it was bought
    bought = after == 0
    depreciation = np.where((after >= 1) & (after <= life), capitalised / life, 0.0)
    return CapexLines(spend=rows(bought * capitalised, tl.months), vat=_share(bought * amount, v.irrecoverable, tl),
                      vat_recoverable=_share(bought * amount, v.recoverable, tl),
                      vat_reclaimed=_share((after == 1) * amount, v.recoverable, tl),
                      depreciation=rows(depreciation, tl.months))
