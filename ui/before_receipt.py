"""What is paid out before the first receipt, and from which month, in words for the Scenario and
Cash pages.

The engine's KPI counts payments in the model's months before the first receipt. Nothing can be
dated before the model's first month (the scenario is refused), so a plan that starts at
mobilisation shows everything committed before the money arrives.
"""

from __future__ import annotations

from modeller.result import Result
from ui import fmt


def before_first_receipt(result: Result) -> str:
    """One plain sentence (Markdown) for the Scenario page: how much is paid out before the first
    receipt, and from when."""
    k, start = result.kpis(), result.scenario.start
    first, paid = k["first_receipt_month"], k["committed_before_first_receipt"] or 0.0
    if first is None:
        text = "**Paid out before the first receipt:** nothing is ever received in this plan."
    elif paid > 0.5:
        text = (f"**Paid out before the first receipt:** {fmt.money(paid)}, from "
                f"{fmt.month(start, result.first_payment_month())} until the first receipt in {fmt.month(start, first)}.")
    elif first == 0:
        text = (f"**Paid out before the first receipt:** £0 – money arrives in {fmt.month(start, first)}, "
                "the model's first month; to see what is committed before it, start the model at mobilisation.")
    else:
        text = f"**Paid out before the first receipt:** £0 – nothing goes out before {fmt.month(start, first)}."
    return text


def spent_before_receipt(result: Result) -> str:
    """The Cash page's card note: what goes out before the first receipt, from which month to which."""
    k, start = result.kpis(), result.scenario.start
    first_paid, first_in = result.first_payment_month(), k["first_receipt_month"]
    if first_in is None:
        return "No contract income arrives within the plan: every payment is made before it."
    if first_in == 0:
        return (f"The plan starts in {fmt.month(start, 0)}, the month the first money arrives, so nothing can "
                "show as paid before it. If you mobilise earlier, set the Scenario page's first month to when "
                "spending starts.")
    if first_paid is None or first_paid >= first_in:
        return f"Nothing is paid out before the first receipt in {fmt.month(start, first_in)}."
    span = (f"in {fmt.month(start, first_paid)}" if first_paid == first_in - 1 else
            f"from {fmt.month(start, first_paid)} to {fmt.month(start, first_in - 1)}")
    return f"Staff, suppliers and equipment paid {span}, before any contract income arrives."

