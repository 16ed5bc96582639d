"""The appraisal cash flows: cash flow before financing plus the terminal settlement, and the deflator
that puts them in first-year prices (model book, "End of the horizon" and "Nominal and real").

Conventions as `metrics`: (draws, months) arrays, money in, positive; rates are annual decimals.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from modeller.timeline import Timeline

APPRAISAL_LINES = ["terminal_settlement", "appraisal_cf"]


def net_operating_assets(L: dict, residual_value: Literal["book", "none"] = "book") -> np.ndarray:
    """What the balance sheet leaves to settle each month: total assets less cash, less every liability
    but loans and the facility (creditors, deferred income, tax payable and any other operating balance).

    Built from the totals, so an operating asset or liability added to the balance sheet is counted
    without a change here. With `residual_value` "none", fixed assets count for nothing."""
    operating_liabilities = L["total_liabilities"] - L["loans"] - L["facility"]
    level = L["total_assets"] - L["cash"] - operating_liabilities
    return level - L["fixed_assets"] if residual_value == "none" else level


def settlement_lines(L: dict, residual_value: Literal["book", "none"] = "book") -> dict[str, np.ndarray]:
    """`terminal_settlement`: the net operating assets left, in the last month only (debtors collected,
    creditors and tax paid, equipment at book value as if sold); `appraisal_cf`: cash flow before
    financing plus it, the flows NPV, IRR, MIRR and payback read."""
    level = net_operating_assets(L, residual_value)
    settlement = np.zeros(np.broadcast_shapes(level.shape, L["pre_financing_cf"].shape))
    settlement[:, -1] = level[:, -1]
    return {"terminal_settlement": settlement, "appraisal_cf": L["pre_financing_cf"] + settlement}


def deflator(tl: Timeline, inflation) -> np.ndarray:
    """(1 + inflation)^fy(m): cash of month m divided by this is in first-year prices. Steps at each
    later 1 April, as the model's own indexation does; `inflation` a float or (draws, 1)."""
    return np.atleast_2d(tl.index_factor(inflation))
