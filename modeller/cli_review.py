"""Command line: `python -m modeller review FILE [--json] [--xlsx OUT]`, the commissioner's review of bids."""

from __future__ import annotations

import json
import sys

from modeller.formatting import _grid, money, pct
from modeller.review import review_file
from modeller.review.efs import worst_by_ratio
from modeller.review.result import BidReview, ReviewResult

NOT_AVAILABLE = ("the evaluation workbook (--xlsx) is not available yet in this version of the modeller; "
                 "use --json or the printed tables")


def add_parser(sub) -> None:
    """Register the `review` command on the main parser's subcommands."""
    r = sub.add_parser("review", help="review competing bids for a commissioner: cost, risk allocation, "
                                      "stress tests")
    r.add_argument("file", help="the review file (YAML); bid files are relative to it")
    r.add_argument("--draws", type=int, default=None, help="Monte Carlo draws per bid (default: the review's)")
    r.add_argument("--json", action="store_true", help="print every figure as JSON")
    r.add_argument("--xlsx", metavar="OUT.xlsx", help="also write the evaluation workbook for the panel")
    r.set_defaults(func=cmd_review)


def cmd_review(args) -> int:
    args.running = f"the review {args.file}"
    if args.draws is not None and not 1 <= args.draws <= 200_000:
        print(f"--draws must be from 1 to 200,000, got {args.draws:,}", file=sys.stderr)
        return 2
    result = review_file(args.file, draws=args.draws)
    if args.xlsx:
        write = _workbook_writer()
        if write is None:
            print(f"error: {NOT_AVAILABLE}", file=sys.stderr)
        else:
            write(result, args.xlsx)
    if args.json:
        print(json.dumps(result.to_json(), indent=2))
    else:
        print(format_review(result))
        if args.xlsx and _workbook_writer() is not None:
            print(f"\nEvaluation workbook written to {args.xlsx}")
    unreviewed = [b for b in result.bids if not b.reviewed]
    return 1 if unreviewed and len(unreviewed) == len(result.bids) else 0


def _workbook_writer():
    try:
        from modeller.review.workbook import write_review_workbook
    except ImportError:
        return None
    return write_review_workbook


def format_review(result: ReviewResult) -> str:
    """The review as text: problems first, then one block per bid."""
    r = result.review
    title = f"Review: {r.service} ({r.commissioner}, {r.term.start} for {r.term.months} months)"
    out = [title, "=" * len(title)]
    out += [f"Problem: {p.line()}" for p in result.problems]
    out.append(_summary(result))
    for bid in result.bids:
        out += ["", f"{bid.name} ({bid.id})", "-" * (len(bid.name) + len(bid.id) + 3)]
        out += [f"Problem: {p.line()}" for p in bid.problems]
        if bid.reviewed:
            out += _bid_blocks(bid)
        else:
            out.append("Not reviewed: see the problems above.")
    return "\n".join(out)


def _summary(result: ReviewResult) -> str:
    rows = [["Bid", "Present value", "With optimism bias", "First year over budget", "Stress tests passed",
             "Score"]]
    for b in result.bids:
        if not b.reviewed:
            rows.append([b.name, "not reviewed", "", "", "", ""])
            continue
        passed = sum(s.survives for s in b.stress)
        rows.append([b.name, money(b.cost.present_value), money(b.cost.present_value_with_bias),
                     b.cost.first_unaffordable_year or "none", f"{passed} of {len(b.stress)}",
                     pct(b.weighted_score, 0)])
    return "\n" + _grid(rows)


def _bid_blocks(bid: BidReview) -> list[str]:
    c = bid.cost
    rows = [["NHS year", "Contract payments", "CQUIN", "Risk share", "Paid (cash)", "Real", "Present value",
             "Optimism bias", "Budget", "Headroom", "Against today"]]
    for y in c.years:
        rows.append([y.year, *(money(v) for v in (y.contract_payments, y.cquin, y.risk_share, y.nominal, y.real,
                                                 y.present_value, y.optimism_bias, y.budget, y.headroom,
                                                 y.against_baseline))])
    rows.append(["Term", "", "", "", money(c.nominal), money(c.real), money(c.present_value),
                 money(c.optimism_bias_present_value), "", "", ""])
    out = ["", _grid(rows), "",
           f"Present value {money(c.present_value)}; with optimism bias {money(c.present_value_with_bias)} "
           f"(operating {money(c.optimism_bias_present_value)}, capital {money(c.optimism_bias_capex)}, "
           f"mobilisation {c.optimism_bias_delay_months:.1f} months longer)",
           f"First year over budget: {c.first_unaffordable_year or 'none'} "
           f"(with optimism bias: {c.first_unaffordable_year_with_bias or 'none'})"]
    if c.saving_present_value is not None:
        out.append(f"Against today's spend (present value): {money(c.saving_present_value)} saved"
                   if c.saving_present_value >= 0 else
                   f"Against today's spend (present value): {money(-c.saving_present_value)} more")
    risk = [["Risk (£ over the term)", "Provider expected", "Provider P90", "Commissioner expected",
             "Commissioner P90"]]
    risk += [[ln.label, money(ln.provider_expected), money(ln.provider_p90), money(ln.commissioner_expected),
              money(ln.commissioner_p90)] for ln in bid.risk.lines]
    out += ["", _grid(risk), f"({bid.risk.draws:,} draws, seed {bid.risk.seed})"]
    out += [f"  {ln.label}: {ln.rule}" for ln in bid.risk.lines]
    stress = [["Stress test", "Cash stays above minimum", "Extra funding needed", "Fails in",
               "Commissioner pays"]]
    stress += [[s.name + ("" if s.applied else " (nothing to stress)"), "yes" if s.survives else "NO",
                money(s.extra_funding), s.fails_month_label or "–", money(s.commissioner_cost_change)]
               for s in bid.stress]
    out += ["", _grid(stress)]
    if bid.efs:
        worst = worst_by_ratio(bid.efs)
        out += ["", "Financial standing (EFS, worst year of the forecast): " + "; ".join(
            f"{r.label} {r.value_text} in {r.year} ({r.rating})" for r in worst.values())]
    out += [f"Check this: {a.input} is {a.value_text}; reference {a.reference}" for a in bid.assumptions]
    return out
