"""Contract dates read through Inputs.month, so a start, end or change month may differ per draw."""

import numpy as np
import pytest

from modeller.income import contract_lines
from modeller.inputs import Inputs
from modeller.timeline import Timeline
from tests.helpers import scenario


class MovedDates(Inputs):
    """Inputs whose dated fields at some paths move by a different number of months in each draw."""

    def __init__(self, sc, moves: dict[str, list[int]]):
        super().__init__(sc, draws=len(next(iter(moves.values()))))
        self.moves = {p: np.asarray(v) for p, v in moves.items()}

    def month(self, path, value):
        return super().month(path, value) + self.moves.get(path, 0)


def test_start_end_and_change_months_differ_per_draw():
    c = {"id": "c", "name": "C", "mechanism": "block", "annual_value": 120000, "start": "2025-04",
         "end": "2026-01", "changes": [{"from": "2025-08", "annual_value": 240000}]}
    sc = scenario(contracts=[c])
    inp = MovedDates(sc, {"contracts.c.start": [0, 2], "contracts.c.end": [0, -3],
                          "contracts.c.changes.0.from": [0, 1]})
    lines = contract_lines(inp, sc.contracts[0], Timeline(sc.start, sc.months), {}, {})
    # draw 0 as written: £10,000 a month Apr-Jul, £20,000 Aug-Jan (months 4-9), nothing Feb-Mar
    assert lines.income[0] == pytest.approx([10000] * 4 + [20000] * 6 + [0, 0])
    # draw 1: starts June (month 2), the change moves to September (month 5), ends October (month 6)
    assert lines.income[1] == pytest.approx([0, 0, 10000, 10000, 10000, 20000, 20000] + [0] * 5)
