"""The assumption warning for an independent employer costing its own staff at the NHS employer's pension rate."""

import pytest
from streamlit.testing.v1 import AppTest

from modeller.assumptions import assumption_warnings, pension_warning
from tests.conftest import ROOT
from tests.helpers import scenario


def staff(**kw):
    base = {"id": "nurse", "name": "Nurses", "salary": 30000, "plan": [{"from": "2025-04", "wte": 1}],
            "recruit_lead_months": 0, "notice_months": 0}
    return {**base, **kw}


def sc(roles, **workforce):
    on_costs = {"employer_ni_rate": 0.0, "ni_threshold": 0, "pension_rate": 0.1438, "other_rate": 0.0}
    return scenario(roles=roles, workforce={"on_costs": on_costs, **workforce})


def test_an_independent_employer_at_14_38_is_warned_with_the_effect_of_23_7():
    w = pension_warning(sc([staff()]))
    # 1 WTE x £30,000 x (23.7% - 14.38%) = £30,000 x 9.32% = £2,796 more pension over the 12 months
    assert w.text.endswith("At 23.7% EBITDA would be £2,796 lower over the plan.")
    assert "(nurse)" in w.text and "NHS employers" in w.text


def test_transferred_staff_at_14_38_count_and_are_repriced():
    transfer = {"from": "2025-04", "wte": 2, "salary": 36000, "pension_rate": 0.1438}
    w = pension_warning(sc([staff(pension_rate=0.05, transfers=[transfer])]))
    # only the transferred staff are at 14.38%: 2 x £36,000 x 9.32% = £6,710.40; the role's own 5% stays
    assert w.text.endswith("EBITDA would be £6,710 lower over the plan.")


def test_no_warning_for_seconded_staff_an_nhs_employer_or_another_rate():
    assert pension_warning(sc([staff(employment="seconded")])) is None      # the NHS host employs them
    assert pension_warning(sc([staff()], employer="nhs")) is None
    assert pension_warning(sc([staff(pension_rate=0.237)])) is None
    assert assumption_warnings(sc([staff(pension_rate=0.05)])) == []


def test_the_cli_run_prints_the_warning(capsys):
    from modeller.__main__ import main
    assert main(["run", str(ROOT / "scenarios" / "msk_prime_provider.yaml")]) == 0
    out = capsys.readouterr().out
    assert "Check this assumption: Employer pension at the NHS employer's rate" in out
    assert "At 23.7% EBITDA would be £" in out


@pytest.mark.parametrize(("example", "warned"), [("msk_prime_provider", True), ("gp_network", False)])
def test_the_overview_shows_the_warning(example, warned):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.selectbox(key="example").set_value(example)
    at.button(key="open_example").click().run()
    at.switch_page("ui/pages/overview.py").run()
    assert not at.exception
    texts = [w.value for w in at.warning]
    assert any("EBITDA would be" in t for t in texts) == warned
