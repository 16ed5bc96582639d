"""On-costs per person, pension per role, apprenticeship levy and Employment Allowance, worked by hand."""

import pytest

from modeller import run
from modeller.scenario_io import ScenarioError, load_scenario, scenario_from_data
from tests.helpers import BASE, scenario

NI = {"employer_ni_rate": 0.15, "ni_threshold": 5000, "pension_rate": 0.0, "other_rate": 0.0}


def role(**kw):
    base = {"id": "gp", "name": "GP founders", "salary": 90000, "plan": [{"from": "2025-04", "wte": 0.2}],
            "recruit_lead_months": 0, "notice_months": 0}
    return {**base, **kw}


def test_the_ni_threshold_applies_per_person_two_founders_at_a_tenth_each():
    s = scenario(roles=[role(wte_per_person=0.1)], workforce={"on_costs": NI})
    r = run(s).detail["roles"]["gp"]
    # each founder earns 0.1 x £90,000 = £9,000 and costs NI of 15% x (£9,000 - £5,000) = £600 a year;
    # two founders £1,200 a year = £100 a month. Per WTE: 15% x (£9,000 - £5,000) / 0.1 = £6,000 a year
    assert r.employer_ni[0, 0] == pytest.approx(100)
    # staff cost: 0.2 x £90,000 / 12 = £1,500 salary + £100 NI
    assert r.staff_cost[0, 0] == pytest.approx(1600)


def test_one_person_per_wte_is_the_old_rule():
    s = scenario(roles=[role()], workforce={"on_costs": NI})
    r = run(s).detail["roles"]["gp"]
    # 15% x (£90,000 - £5,000) x 0.2 WTE = £2,550 a year (the issue's figure) = £212.50 a month
    assert r.employer_ni[0, 0] == pytest.approx(212.50)


def test_wte_per_person_zero_is_an_error_naming_the_field():
    data = {**BASE, "workforce": {"roles": [role(wte_per_person=0)]}}
    with pytest.raises(ScenarioError) as err:
        scenario_from_data(data, "test")
    assert str(err.value) == "test: workforce.roles[gp].wte_per_person: must be at least 0.01 (got 0)"


def test_a_role_pension_rate_overrides_the_workforce_rate():
    oc = {**NI, "employer_ni_rate": 0.0, "pension_rate": 0.1438}
    s = scenario(roles=[role(plan=[{"from": "2025-04", "wte": 1}], salary=30000, pension_rate=0.237),
                        role(id="other", plan=[{"from": "2025-04", "wte": 1}], salary=30000)],
                 workforce={"on_costs": oc})
    r = run(s).detail["roles"]
    # £30,000 / 12 = £2,500 x (1 + 23.7%) = £3,092.50; the other role at the workforce's 14.38%: £2,859.50
    assert r["gp"].loaded_pay_per_wte[0, 0] == pytest.approx(3092.50)
    assert r["other"].loaded_pay_per_wte[0, 0] == pytest.approx(2859.50)


def big_team(start="2025-04", months=12, **workforce):
    # 100 WTE x £36,000 = £3.6m a year, £300,000 a month; no NI or pension, so pay is salary
    roles = [role(id="staff", salary=36000, plan=[{"from": start, "wte": 100}]),
             role(id="host", salary=36000, plan=[{"from": start, "wte": 100}], employment="seconded")]
    return scenario(start=start, months=months, roles=roles, workforce={"on_costs": {**NI, "employer_ni_rate": 0},
                                                                        **workforce})


def test_apprenticeship_levy_on_the_employed_pay_bill_above_the_allowance():
    res = run(big_team())
    levy = res.detail["employer"]["all"].levy[0]
    # each month 0.5% x £300,000 = £1,500 less a twelfth of the £15,000 allowance (£1,250) = £250;
    # a year: 0.5% x £3.6m - £15,000 = £3,000. The seconded team is on its NHS employer's pay bill
    assert levy == pytest.approx([250] * 12)
    # it is pay of employed staff: 100 x £3,000 + £250
    assert res.lines["pay_employed"][0, 0] == pytest.approx(300250)
    assert res.lines["staff_payments"][0, 0] == pytest.approx(-300250)   # the seconded recharge starts in May


def test_levy_allowance_runs_from_april_so_a_half_year_pays_none():
    levy = run(big_team(start="2025-10", months=12)).detail["employer"]["all"].levy[0]
    # October to March: 0.5% x 6 x £300,000 = £9,000 against 12 x £1,250 = £15,000 of allowance by March
    # (October is the year's 7th month: £8,750 by then): no levy; from April a new year, £250 a month
    assert levy == pytest.approx([0] * 6 + [250] * 6)


def test_employment_allowance_comes_off_employer_ni_until_used_up_each_year():
    r = {"id": "staff", "name": "Staff", "salary": 30000, "plan": [{"from": "2025-04", "wte": 4}],
         "recruit_lead_months": 0, "notice_months": 0}
    s = scenario(months=24, roles=[r], workforce={"on_costs": NI, "employment_allowance": 10500})
    res = run(s)
    allowance = res.detail["employer"]["all"].allowance[0]
    # NI: 4 x 15% x (£30,000 - £5,000) = £15,000 a year, £1,250 a month. £10,500 covers April to
    # November (8 x £1,250 = £10,000) and £500 of December; nothing from January; again from April
    assert allowance[:12] == pytest.approx([1250] * 8 + [500] + [0] * 3)
    assert allowance[12:] == pytest.approx(allowance[:12])
    # pay: 4 x £2,500 + £1,250 NI - the allowance taken
    assert res.lines["pay_employed"][0, [0, 8, 9]] == pytest.approx([10000, 10750, 11250])


def test_a_file_with_wte_per_person_zero_names_the_field_and_its_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text('name: Bad\nstart: "2025-04"\nmonths: 12\nworkforce:\n  roles:\n    - id: gp\n      name: GPs\n'
                   '      salary: 90000\n      wte_per_person: 0\n      plan:\n        - {from: "2025-04", wte: 0.2}\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad)
    assert "workforce.roles[gp].wte_per_person: must be at least 0.01 (got 0)" in str(err.value)
