"""One bid's figures in full for the Review page, as tables of text in their units, and the plain-English notes
on what stands out in each bid. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from modeller.fields import input_label
from modeller.review.efs import ORDER
from modeller.review.result import BidReview, ReviewResult
from ui import fmt


def cost_table(bid: BidReview) -> pd.DataFrame:
    """What the commissioner pays the bid by NHS year, and the term's totals (£)."""
    rows = [{"NHS year": y.year, "Months": y.months, "Contract payments (£)": fmt.money(y.contract_payments),
             "CQUIN earned back (£)": fmt.money(y.cquin), "Risk-share settlement (£)": fmt.money(y.risk_share),
             "Paid, cash (£)": fmt.money(y.nominal), "Real (£)": fmt.money(y.real),
             "Present value (£)": fmt.money(y.present_value), "Optimism bias (£)": fmt.money(y.optimism_bias),
             "Budget (£)": fmt.money(y.budget), "Headroom (£)": fmt.money(y.headroom),
             "Headroom with optimism bias (£)": fmt.money(y.headroom_with_bias),
             "Against today's spend (£)": fmt.money(y.against_baseline)} for y in bid.cost.years]
    c = bid.cost
    rows.append({"NHS year": "Term", "Months": sum(y.months for y in c.years), "Paid, cash (£)": fmt.money(c.nominal),
                 "Real (£)": fmt.money(c.real), "Present value (£)": fmt.money(c.present_value),
                 "Optimism bias (£)": fmt.money(c.optimism_bias_present_value)})
    return pd.DataFrame(rows).fillna("")


def risk_table(bid: BidReview) -> pd.DataFrame:
    """Each risk: who carries it under the contract, and its £ over the term for each side."""
    return pd.DataFrame([{"Risk": ln.label, "Who carries it": ln.rule,
                          "Provider, expected (£)": fmt.money(ln.provider_expected),
                          "Provider, P90 (£)": fmt.money(ln.provider_p90),
                          "Commissioner, expected (£)": fmt.money(ln.commissioner_expected),
                          "Commissioner, P90 (£)": fmt.money(ln.commissioner_p90)} for ln in bid.risk.lines])


def stress_table(bid: BidReview) -> pd.DataFrame:
    """Each stress test: does cash stay at or above the bid's minimum, the lowest cash, the extra funding."""
    sc = bid.scenario
    return pd.DataFrame([{
        "Stress test": s.name,
        "Inputs changed": "; ".join(f"{input_label(sc, p)}: {fmt.input_value(p, v)}" for p, v in s.overrides.items())
        or "nothing to stress",
        "Cash stays at or above the minimum": "yes" if s.survives else "no",
        "Lowest cash (£)": fmt.money(s.lowest_cash), "Minimum cash (£)": fmt.money(s.minimum_cash),
        "Extra funding needed (£)": fmt.money(s.extra_funding),
        "First month below the minimum": fmt.month(sc.start, s.fails_month, never="never"),
        "Change in what the commissioner pays (£)": fmt.signed_money(s.commissioner_cost_change)}
        for s in bid.stress])


def efs_table(bid: BidReview, years: list[str]) -> pd.DataFrame:
    """EFS ratios by NHS year of the term: each cell the value in its unit and its rating."""
    rows = {}
    for r in bid.efs:
        if r.year in years:
            rows.setdefault(r.ratio, {"Ratio": f"{r.label} ({r.unit})"})[r.year] = f"{r.value_text} ({r.rating})"
    return pd.DataFrame([rows[k] for k in ORDER if k in rows])


def assumptions_table(bid: BidReview) -> pd.DataFrame:
    """Inputs outside the reference ranges: the bid's value, the range and where it comes from (never changed)."""
    return pd.DataFrame([{"Input": a.input, "Bid's value": a.value_text, "Reference range": a.reference,
                          "Why it matters": a.why, "Source": a.source + ("" if a.confirmed else " [check]")}
                         for a in bid.assumptions],
                        columns=["Input", "Bid's value", "Reference range", "Why it matters", "Source"])


def _rank(bids: list[BidReview], bid: BidReview) -> int:
    values = sorted(b.cost.present_value_with_bias for b in bids if b.reviewed)
    return values.index(bid.cost.present_value_with_bias) + 1


def plain_notes(result: ReviewResult, bid: BidReview) -> list[str]:
    """What stands out in one bid, in plain sentences from its figures."""
    if not bid.reviewed:
        return ["Its figures could not be worked out: see its problems above."]
    c, out = bid.cost, []
    reviewed = [b for b in result.bids if b.reviewed]
    if len(reviewed) > 1:
        out.append(f"Costs the commissioner {fmt.money(c.present_value_with_bias)} in present value with optimism "
                   f"bias: number {_rank(reviewed, bid)} of {len(reviewed)}, cheapest first.")
    if c.first_unaffordable_year:
        out.append(f"Over budget from {c.first_unaffordable_year}.")
    elif c.first_unaffordable_year_with_bias:
        out.append(f"Within budget every year, but over it from {c.first_unaffordable_year_with_bias} once "
                   "optimism bias is added.")
    else:
        out.append("Within budget every year, even with optimism bias.")
    failed = [s for s in bid.stress if not s.survives]
    if failed:
        out.append(f"Cash falls below the provider's minimum in {len(failed)} of {len(bid.stress)} stress tests: "
                   + "; ".join(f"{s.name} (from {s.fails_month_label}, {fmt.money(s.extra_funding)} more needed)"
                               for s in failed) + ".")
    else:
        out.append(f"Cash stays at or above the provider's minimum in all {len(bid.stress)} stress tests.")
    years = set(result.review.term.years())
    high = sorted({r.label for r in bid.efs if r.year in years and r.rating == "high"})
    if high:
        out.append(f"High risk on the EFS ratios in some year of the term: {', '.join(high)}.")
    if bid.assumptions:
        out.append(f"{len(bid.assumptions)} input{'s' * (len(bid.assumptions) != 1)} outside the reference ranges "
                   "to check with the bidder.")
    return out
