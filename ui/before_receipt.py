"""What is paid out before the first receipt, and from which month, in a sentence for the Scenario page.

The engine's KPI counts payments in the model's months before the first receipt; an item
dated before the first month is paid in month 0, alongside that receipt, so the sentence
names such items too, and how to see them as paid before it.
"""

from __future__ import annotations

from modeller.dates_shift import dated_before
from modeller.result import Result
from modeller.scenario_io import scenario_to_data
from ui import fmt
from ui.draft import escape, month_label

_SPENDING = ("costs", "capex")   # dated items that are money paid out


def first_payment_month(result: Result) -> int | None:
    """The first model month with any payment to staff, suppliers or for capital (draw 0), or None."""
    lines = result.lines
    for m in range(result.timeline.months):
        if any(abs(lines[n][0][m]) > 0.005 for n in ("staff_payments", "supplier_payments", "capex_paid")):
            return m
    return None


def _early_spending(result: Result) -> list[str]:
    """Costs and capital dated before the first month: "Mobilisation (Feb 2015, £250,000)"."""
    data = scenario_to_data(result.scenario)
    items = {i["id"]: i for part in _SPENDING for i in data.get(part, [])}
    out = []
    for path, month in dated_before(data, result.scenario.start):
        ident = path.split("[", 1)[1].split("]", 1)[0] if "[" in path else ""
        item = items.get(ident)
        if item and path.split("[")[0] in _SPENDING:
            amount = item.get("amount")
            out.append(f"{escape(item['name'])} ({month_label(month)}" + (f", {fmt.money(amount)})" if amount else ")"))
    return out


def before_first_receipt(result: Result) -> str:
    """One plain sentence (Markdown): how much is paid out before the first receipt, and from when."""
    k, start = result.kpis(), result.scenario.start
    first, paid = k["first_receipt_month"], k["committed_before_first_receipt"] or 0.0
    began = first_payment_month(result)
    if first is None:
        text = "**Paid out before the first receipt:** nothing is ever received in this plan."
    elif paid > 0.5:
        text = (f"**Paid out before the first receipt:** {fmt.money(paid)}, from {fmt.month(start, began)} "
                f"until the first receipt in {fmt.month(start, first)}.")
    else:
        text = (f"**Paid out before the first receipt:** £0 – money arrives in {fmt.month(start, first)}, "
                "the model's first month.")
    early = _early_spending(result)
    if early:
        text += (f" Dated before the first month and paid in {fmt.month(start, 0)}: {'; '.join(early)}. To see "
                 "them paid before the first receipt, set the first month to the earliest of them with "
                 "*Move every date with it* unticked.")
    return text
