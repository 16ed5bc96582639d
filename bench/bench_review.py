"""Commissioner's review speed (issue 12): 6 bids x 6 stress tests x 10,000 Monte Carlo draws through
`modeller.review.review_bids`, with the progress callback the app shows.

The six bids are the example reviews' bid scenarios (reviews/bids/), reviewed over the three years they
all cover. Each bid's stress tests run as draws of one engine batch; its Monte Carlo runs through
`modeller.risk.montecarlo.run_chunks`. Target (issue 12): at most 10 s on this 2-core machine.

Run: python -m bench.bench_review   (prints a table)
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.table import print_table
from modeller.review import review_bids
from modeller.review.load import review_from_data

ROOT = Path(__file__).resolve().parents[1]
BIDS = {"msk_gp_partnership": ["msk_block"], "msk_trust_consortium": ["msk_activity"],
        "msk_independent_sector": ["msk_capitation"], "frailty_community_trust": ["frailty_block"],
        "frailty_gp_federation": ["frailty_capitation"], "wound_social_enterprise": ["wound_block"]}
DRAWS = 10_000
TARGET_SECONDS = 10.0
YEARS = ["2027/28", "2028/29", "2029/30"]


def six_bid_review():
    """A review of the six example bids over April 2027 to March 2030, with the six default stress tests."""
    bids = [{"id": name, "name": name.replace("_", " "), "file": str(ROOT / "reviews" / "bids" / f"{name}.yaml"),
             "contracts": ids} for name, ids in BIDS.items()]
    return review_from_data({"service": "Benchmark", "commissioner": "Benchmark ICB",
                             "term": {"start": "2027-04", "months": 36},
                             "budget": dict.fromkeys(YEARS, 15_000_000), "draws": DRAWS, "bids": bids})


def main() -> None:
    review = six_bid_review()
    seen: list[tuple[float, float, str]] = []
    start = time.perf_counter()

    def progress(fraction: float, message: str) -> None:
        seen.append((time.perf_counter() - start, fraction, message))

    cpu = time.process_time()
    result = review_bids(review, progress=progress)
    wall = time.perf_counter() - start
    cpu = time.process_time() - cpu
    assert all(b.reviewed for b in result.bids), [p.line() for b in result.bids for p in b.problems]
    rows = [("Bid", "Stress tests", "Draws", "Finished at (s)")]
    done = {}
    for t, _, message in seen:
        done[message] = t
    for bid, (message, t) in zip(result.bids, done.items(), strict=True):
        rows.append((bid.name, str(len(bid.stress)), f"{bid.risk.draws:,}", f"{t:.2f}  ({message})"))
    print_table(rows)
    print()
    print_table([("Measure", "Value", "Target"),
                 ("Review wall time", f"{wall:.2f} s", f"<= {TARGET_SECONDS:.0f} s"),
                 ("CPU time (this process)", f"{cpu:.2f} s", ""),
                 ("Progress calls", str(len(seen)), "one per chunk of draws"),
                 ("Machine", f"{os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}", "")])


if __name__ == "__main__":
    main()
