"""The app's statement tables read the engine's own yearly figures (no money computed in the UI)."""

import pytest

from modeller import load_scenario, run
from tests.conftest import SCENARIOS
from ui.tables import statement

PENNY = 0.01


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_statements_by_year_match_the_engines_financial_years(path):
    result = run(load_scenario(path))
    years = result.financial_years()
    pnl = statement(result, "Profit and loss", by_year=True)
    cash = statement(result, "Cash flow", by_year=True)
    bs = statement(result, "Balance sheet", by_year=True)
    assert list(pnl.columns) == [y["year"] for y in years]
    for y in years:
        assert pnl.loc["Income", y["year"]] == pytest.approx(y["income"], abs=PENNY)
        assert pnl.loc["EBITDA", y["year"]] == pytest.approx(y["ebitda"], abs=PENNY)
        assert cash.loc["Closing cash", y["year"]] == pytest.approx(y["closing_cash"], abs=PENNY)
        # a balance sheet at a year's end is its last month's: cash there is the closing cash
        assert bs.loc["Cash", y["year"]] == pytest.approx(y["closing_cash"], abs=PENNY)
    # opening cash of the first year is the model's opening cash, not a sum of months
    assert cash.iloc[:, 0].loc["Opening cash"] == pytest.approx(result.lines["opening_cash"][0][0], abs=PENNY)


def test_statements_by_month_have_a_column_a_month():
    result = run(load_scenario(SCENARIOS[0]))
    table = statement(result, "Cash flow", by_year=False)
    assert table.shape[1] == result.scenario.months
    assert table.loc["Closing cash"].iloc[-1] == pytest.approx(result.lines["closing_cash"][0][-1], abs=PENNY)
