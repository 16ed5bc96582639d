"""Properties over generated valid scenarios (hypothesis)."""

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modeller import run, run_batch
from modeller.scenario_io import scenario_from_data, scenario_to_data
from modeller.timeline import delay

MONTHS = [f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13)]
money = st.floats(0, 2e6, allow_nan=False)
rate = st.floats(0, 0.2)
lag = st.integers(-1, 3)
month = st.sampled_from(MONTHS)


@st.composite
def scenarios(draw):
    start = draw(st.sampled_from(MONTHS[:12]))
    month = st.sampled_from(MONTHS[MONTHS.index(start):])     # nothing before the first month (mobilisation)
    # a dated item may follow contract c0's start or first change, and move with its delay (model book, "Linked dates")
    dated = st.one_of(month, st.builds(lambda after, k: {"after": after, "months": k},
                                       st.sampled_from(["c0", "c0.changes[0]"]), st.integers(0, 6)))
    acts = [{"id": "demand", "name": "Demand", "per_month": draw(st.floats(0, 5000)),
             "annual_growth": draw(st.floats(-0.2, 0.5))}]
    if draw(st.booleans()):
        acts[0]["from"] = draw(dated)
    contracts = []
    mechanisms = draw(st.lists(st.sampled_from(["block", "activity", "capitation"]), min_size=1, max_size=3))
    for i, mech in enumerate(["block", *mechanisms[1:]]):    # c0 is a block contract with a change to link to
        c = {"id": f"c{i}", "name": f"Contract {i}", "mechanism": mech, "start": draw(month if i == 0 else dated),
             "payment_lag_months": draw(lag), "ramp_months": draw(st.integers(0, 6)),
             "start_delay_months": draw(st.integers(0, 4)),
             "withhold": {"share": draw(st.floats(0, 0.05)), "earned": draw(st.floats(0, 1)),
                          "settle_lag_months": draw(st.integers(0, 6))}}
        if mech == "block":
            c["annual_value"] = draw(money)
            c["changes"] = [{"from": draw(month), "annual_value": draw(money)}]
        elif mech == "activity":
            c.update(price_per_unit=draw(st.floats(0, 500)), activity="demand", share=draw(st.floats(0, 1)))
        else:
            c.update(population=draw(st.floats(0, 3e5)), rate_per_head=draw(st.floats(0, 100)))
        if draw(st.booleans()):
            c["risk_share"] = {"cost": "onward", "target_annual": draw(money), "provider_share": draw(st.floats(0, 1)),
                               "cap": draw(st.one_of(st.none(), money)), "collar": draw(st.one_of(st.none(), money)),
                               "settle_lag_months": draw(st.integers(0, 6))}
        contracts.append(c)
    roles = [{"id": "staff", "name": "Staff", "salary": draw(st.floats(0, 150000)),
              "plan": [{"from": draw(dated), "wte": draw(st.floats(0, 50))} for _ in range(draw(st.integers(1, 3)))],
              "recruit_lead_months": draw(st.integers(0, 6)), "recruit_cost_per_wte": draw(st.floats(0, 5000)),
              "fill_rate": draw(st.floats(0, 1)), "attrition_annual": draw(st.floats(0, 0.3)),
              "employment": draw(st.sampled_from(["direct", "seconded"]))},
             {"id": "driven", "name": "Driven", "salary": draw(st.floats(0, 80000)),
              "driver": {"activity": "demand", "units_per_wte_month": draw(st.floats(1, 500))},
              "fill_rate": draw(st.floats(0, 1))}]
    costs = [{"id": "onward", "name": "Onward", "kind": "per_unit", "activity": "demand",
              "unit_cost": draw(st.floats(0, 200)), "payment_lag_months": draw(lag)},
             {"id": "rent", "name": "Rent", "kind": "fixed", "annual": draw(money), "from": draw(dated),
              "commitment_months": draw(st.integers(0, 24)), "payment_lag_months": draw(lag)},
             {"id": "setup", "name": "Setup", "kind": "one_off", "amount": draw(money), "month": draw(dated)}]
    funding = {"opening_cash": draw(money), "minimum_cash": draw(st.floats(0, 1e5)),
               "equity": [{"month": draw(dated), "amount": draw(money)}],
               "loans": [{"id": "bank", "month": draw(dated), "amount": draw(money), "annual_rate": draw(rate),
                          "term_months": draw(st.integers(1, 60))}],
               "facility": {"limit": draw(money), "annual_rate": draw(rate)}}
    return scenario_from_data({
        "name": "Generated", "start": start, "months": draw(st.integers(1, 36)),
        "indexation": {"pay": draw(rate), "non_pay": draw(rate), "prices": draw(rate)},
        "activity": acts, "contracts": contracts, "workforce": {"roles": roles}, "costs": costs,
        "capex": [{"id": "kit", "name": "Kit", "amount": draw(money), "month": draw(dated),
                   "life_years": draw(st.floats(0.5, 10))}],
        "funding": funding, "tax": {"corporation_tax_rate": draw(st.floats(0, 0.3)), "small_profits_rate": None,
                                    "payment_lag_months": draw(st.integers(0, 12))},
    })


SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(scenarios())
def test_balance_sheet_balances_and_cash_rolls_forward(s):
    L = run(s).lines  # run() itself raises IntegrityError if the balance sheet is out by more than 1/2p
    assert np.abs(L["balance_check"]).max() < 0.005
    assert np.allclose(L["opening_cash"] + L["net_cash_flow"], L["closing_cash"], atol=0.005)
    assert np.allclose(L["opening_cash"][:, 1:], L["closing_cash"][:, :-1])


@SETTINGS
@given(scenarios())
def test_yearly_figures_sum_the_months(s):
    r = run(s)
    years = r.financial_years()
    for field in ("income", "pay", "non_pay", "ebitda", "profit_after_tax"):
        assert np.isclose(sum(y[field] for y in years), r.lines[field].sum(), atol=0.01)
    assert years[-1]["closing_cash"] == r.lines["closing_cash"][0, -1]


@SETTINGS
@given(scenarios())
def test_a_batch_of_identical_draws_equals_the_single_run(s):
    single = run(s)
    batch = run_batch(s, {"contracts.c0.payment_lag_months": np.full(3, s.contracts[0].payment_lag_months),
                          "workforce.roles.staff.fill_rate": np.full(3, s.workforce.roles[0].fill_rate)})
    for name, series in single.lines.items():
        assert np.allclose(batch.lines[name], series, atol=1e-6, rtol=1e-12), name


@SETTINGS
@given(scenarios(), st.lists(st.integers(0, 6), min_size=1, max_size=4))
def test_drawn_start_delays_move_linked_dates_and_every_draw_balances_and_equals_its_own_run(s, delays):
    batch = run_batch(s, {"contracts.c0.start_delay_months": np.array(delays)})  # checks the balance sheet itself
    assert np.abs(batch.lines["balance_check"]).max() < 0.005
    for d, k in enumerate(delays):
        data = scenario_to_data(s)
        data["contracts"][0]["start_delay_months"] = k
        alone = run(scenario_from_data(data))             # the links re-resolved at that delay
        for name in ("income", "pay", "non_pay", "capex_paid", "equity_raised", "loans_drawn", "closing_cash"):
            assert np.allclose(batch.lines[name][d], alone.lines[name][0], atol=1e-6, rtol=1e-9), name


@SETTINGS
@given(scenarios(), st.floats(0, 1e6))
def test_raising_a_contract_value_never_lowers_income(s, extra):
    c = s.contracts[0]
    field = {"block": "annual_value", "activity": "price_per_unit", "capitation": "rate_per_head"}[c.mechanism]
    base = getattr(c, field)
    r = run_batch(s, {f"contracts.c0.{field}": np.array([base, base + extra])})
    income = r.lines["income"].sum(axis=1)
    assert income[1] >= income[0] - 1e-6


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30), st.integers(-3, 40))
def test_delay_keeps_amounts_inside_the_horizon(values, shift):
    x = np.array([values])
    out = delay(x, shift)
    months = len(values)
    kept = sum(v for t, v in enumerate(values) if t + shift < months)   # due within the horizon
    assert np.isclose(out.sum(), kept, atol=1e-6)
    if 0 <= shift < months:
        assert np.allclose(out[0, shift:], values[: months - shift])
