"""What is paid out before the first receipt, and from which month, in words for the Scenario and
Cash pages.

The engine's KPI counts payments in the model's months before the first receipt; an item
dated before the first month is paid in month 0, alongside that receipt, so the words name
such items too, and how to see them when their money moves.
"""

from __future__ import annotations

import re

from modeller.dates_shift import dated_before
from modeller.result import Result
from modeller.scenario_io import scenario_to_data
from ui import fmt
from ui.draft import escape, month_label

SPENDING = ("costs", "capex")   # dated items that are money paid out
_UNNAMED = {"funding.equity": "Equity paid in"}   # lists without ids
_PLACE = re.compile(r"^([a-z_.]+)\[([^\]]+)\]")


def early_items(result: Result, sections: tuple[str, ...] | None = None) -> list[str]:
    """Items dated before the plan's first month (of `sections`, or all), as Markdown-safe text:
    "Mobilisation (Feb 2015, £250,000)"."""
    sc = result.scenario
    data = scenario_to_data(sc)
    out = []
    for path, month in dated_before(data, sc.start):
        place = _PLACE.match(path)
        if place is None or (sections is not None and place[1] not in sections):
            continue
        items = data
        for key in place[1].split("."):
            items = items[key]
        item = items[int(place[2])] if place[2].isdigit() else next(i for i in items if i.get("id") == place[2])
        name = _UNNAMED.get(place[1], place[1]) if place[2].isdigit() else item.get("name", place[2])
        amount = item.get("amount")
        out.append(f"{escape(name)} ({month_label(month)}" + (f", {fmt.money(amount)})" if amount else ")"))
    return out


def before_first_receipt(result: Result) -> str:
    """One plain sentence (Markdown) for the Scenario page: how much is paid out before the first
    receipt, from when, and the spending dated before the first month."""
    k, start = result.kpis(), result.scenario.start
    first, paid = k["first_receipt_month"], k["committed_before_first_receipt"] or 0.0
    if first is None:
        text = "**Paid out before the first receipt:** nothing is ever received in this plan."
    elif paid > 0.5:
        text = (f"**Paid out before the first receipt:** {fmt.money(paid)}, from "
                f"{fmt.month(start, result.first_payment_month())} until the first receipt in {fmt.month(start, first)}.")
    else:
        text = (f"**Paid out before the first receipt:** £0 – money arrives in {fmt.month(start, first)}, "
                "the model's first month.")
    early = early_items(result, SPENDING)
    if early:
        text += (f" Dated before the first month and paid in {fmt.month(start, 0)}: {'; '.join(early)}. To see "
                 "them paid before the first receipt, set the first month to the earliest of them with "
                 "*Move every date with it* unticked.")
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


def early_items_note(result: Result) -> str:
    """The Cash page's warning that items dated before the plan's first month are counted in it ("" if none)."""
    early, first = early_items(result), fmt.month(result.scenario.start, 0)
    if not early:
        return ""
    many = len(early) != 1
    return (f"{len(early)} dated item{'s' * many} {'fall' if many else 'falls'} before the plan's first month, "
            f"{first}, and {'are' if many else 'is'} counted in it: {', '.join(early[:4])}"
            f"{' and more' if len(early) > 4 else ''}. So {'they show' if many else 'it shows'} in {first}, not in "
            f"{'their' if many else 'its'} own month. To see {'them' if many else 'it'} when the money moves, "
            "move the Scenario page's first month earlier (moving every date with it).")
