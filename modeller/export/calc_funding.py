"""Funding sheet: equity, loans, corporation tax's periods and capital allowances, and the month-by-month
facility, tax and cash roll-forward.

The roll-forward reads only this month and earlier months (ranges expand to the current
column), so the workbook has no circular references: each month's facility draw depends
on last month's balances, as in funding.roll_forward.
"""

from __future__ import annotations

from modeller.export import styles as S
from modeller.export.inputs_sheet import excel_name as n
from modeller.export.layout import Sheet, new_sheet, shift
from modeller.export.timeline_sheet import tref
from modeller.scenario import Scenario
from modeller.tax import INSTALMENT_MONTHS


def _equity_and_loans(s: Sheet, sc: Scenario) -> None:
    f = sc.funding
    s.section("Equity")
    for i, _ in enumerate(f.equity):
        b = f"funding_equity_{i}"
        s.row(f"equity.{i}", f"Equity {i + 1}", "£", f"IF({{c}}$2=MAX(0,{b}_month_m),{b}_amount,0)")
    s.row("equity", "Equity raised", "£", "+".join(s.ref(f"equity.{i}", s) for i in range(len(f.equity))) or "0",
          bold=True)
    for ln in f.loans:
        b, k = n(f"funding.loans.{ln.id}"), f"loan.{ln.id}."
        s.section(f"Loan: {ln.id}")
        start = f"MAX(0,{b}_month_m)"
        paying = f"AND({{c}}$2>{start},{{c}}$2-{start}<={b}_term_months)"
        rate = f"{b}_annual_rate/12"
        s.row(k + "payment", "Monthly payment (annuity)", "£",
              f"IF({rate}>0,{b}_amount*{rate}/(1-(1+{rate})^(-{b}_term_months)),{b}_amount/{b}_term_months)",
              S.MONEY_P, total=False)
        close = s.next_row + 4
        s.row(k + "opening", "Opening balance", "£", f"{{p}}{close}", total=False)
        s.row(k + "drawn", "Drawn", "£", f"IF({{c}}$2={start},{b}_amount,0)")
        s.row(k + "interest", "Interest (on last month's balance)", "£",
              f"IF({paying},{s.ref(k + 'opening')}*{rate},0)")
        s.row(k + "principal", "Repaid", "£",
              f"IF({paying},IF({{c}}$2-{start}={b}_term_months,{s.ref(k + 'opening')},"
              f"{s.ref(k + 'payment')}-{s.ref(k + 'interest')}),0)")
        s.row(k + "closing", "Closing balance", "£",
              f"{s.ref(k + 'opening')}+{s.ref(k + 'drawn')}-{s.ref(k + 'principal')}", total=False)
        assert s.rows[k + "closing"] == close
    s.section("All loans")
    for key, label in (("drawn", "Loans drawn"), ("interest", "Loan interest"), ("principal", "Loans repaid"),
                       ("closing", "Loan balances")):
        parts = "+".join(s.ref(f"loan.{ln.id}.{key}", s) for ln in f.loans) or "0"
        s.row("loans." + key, label, "£", parts, total=key != "closing", bold=True)


def write_funding(wb, sc: Scenario, t: Sheet, inc: Sheet, wf: Sheet, costs: Sheet) -> Sheet:
    s = new_sheet(wb, "Funding", sc.months, t, "equity, loans, facility, tax and cash")
    _equity_and_loans(s, sc)
    s.section("Before the facility and tax")
    s.row("cash_before", "Cash flow before facility interest, facility and tax", "£",
          f"{inc.ref('_total.receipts')}-{wf.ref('_total.staff_paid')}-{wf.ref('_total.agency_cost')}"
          f"-{costs.ref('_total.paid')}-{wf.ref('_total.recruitment')}-{costs.ref('_total.capex_paid')}"
          f"+{costs.ref('_total.vat_reclaimed')}"
          f"+{s.ref('equity')}+{s.ref('loans.drawn')}-{s.ref('loans.principal')}-{s.ref('loans.interest')}")
    s.row("profit_before", "Profit before facility interest and tax", "£",
          f"{inc.ref('_total.income')}-{wf.ref('_total.employed_pay')}-{wf.ref('_total.seconded_pay')}"
          f"-{wf.ref('_total.agency_cost')}-{costs.ref('_total.cost')}-{costs.ref('_total.vat')}"
          f"-{wf.ref('_total.recruitment')}"
          f"-{costs.ref('_total.depreciation')}-{s.ref('loans.interest')}")
    _tax_base(s, sc, t, costs)
    _roll_forward(s, t)
    return s


def corporation_tax(p: str, months: str) -> str:
    """Formula for tax.corporation_tax on a taxable profit cell `p` (not negative) over `months`."""
    lower, upper = f"tax_lower_limit*{months}/12", f"MAX(tax_upper_limit,tax_lower_limit)*{months}/12"
    main, small = "tax_corporation_tax_rate", "MIN(tax_small_profits_rate,tax_corporation_tax_rate)"  # as tax.py
    return (f"IF({p}<={lower},{small}*{p},IF({p}>={upper},{main}*{p},"
            f"{main}*{p}-({main}-{small})*{lower}/(({upper})-({lower}))*(({upper})-{p})))")


def _tax_base(s: Sheet, sc: Scenario, t: Sheet, costs: Sheet) -> None:
    """Accounting periods, capital allowances and the instalment estimate: none depends on financing."""
    s.section("Corporation tax: accounting periods and capital allowances")
    fy, this = t.xrng("fy"), tref(t, "fy")
    s.row("tax_months", "Months in this accounting period (its NHS year in the model)", "months",
          f"COUNTIF({fy},{this})", S.WHOLE, total=False)
    s.row("tax_start", "First month of this accounting period", "month", f"MATCH({this},{fy},0)-1", S.WHOLE,
          total=False)
    months = s.ref("tax_months")
    s.row("capex_year", "Capital spend in this NHS year", "£", f"SUMIFS({costs.xrng('_total.spend')},{fy},{this})",
          total=False)
    spend = s.ref("capex_year")
    s.row("aia_share", "Share of it covered by the annual investment allowance", "%",
          f'IF(AND(tax_capital_allowances="aia",{spend}>0),MIN({spend},tax_aia_limit*{months}/12)/{spend},0)',
          S.RATE, total=False)
    share = s.rng("aia_share")
    terms = [f"INDEX({share},1,MIN(MAX(0,{n(f'capex.{a.id}')}_month_m),model_last_month)+1)"
             f"*({costs.ref(f'capex.{a.id}.depreciation', s)}-{costs.ref(f'capex.{a.id}.spend', s)})"
             for a in sc.capex]
    s.row("tax_adjust", "Capital allowances: covered spend deducted, its depreciation added back", "£",
          "+".join(terms) or "0")
    s.row("est_profit", "The year's taxable profit before facility interest and losses (instalment estimate)",
          "£", f"SUMIFS({s.rng('profit_before')},{fy},{this})+SUMIFS({s.rng('tax_adjust')},{fy},{this})",
          total=False)


def _instalment(s: Sheet, rows: dict, j: int) -> str:
    """Instalment j (0-3) due this month, if a period began k = first + j x gap months ago (0 if none did)."""
    k = f"(tax_instalment_first+{j}*tax_instalment_gap)"
    first = f"{{c}}$2-{k}"
    at = f"1,{first}+1"
    months = f"INDEX({s.rng('tax_months')},{at})"
    quarter = f"INDEX({s.rng(rows['inst_quarter'], True)},{at})"
    # how many of the period's instalments fall due within it (paid on the estimate)
    on_estimate = f"(({months}>tax_instalment_first)+({months}>tax_instalment_first+tax_instalment_gap))"
    rest = (f"INDEX({s.rng(rows['inst_large'], True)},{at})*(INDEX({s.rng(rows['tax_charge'], True)},1,"
            f"{first}+{months})-{quarter}*{on_estimate})/(4-{on_estimate})")
    return f"IF({{c}}$2<{k},0,IF(INDEX({s.rng('tax_start')},{at})<>{first},0,IF({months}>{k},{quarter},{rest})))"


def _roll_forward(s: Sheet, t: Sheet) -> None:
    r = s.next_row + 1  # rows are numbered ahead so earlier rows can read last month's closing values
    rows = {k: r + i + 1 for i, k in enumerate(
        ["opening_cash", "fac_opening", "fac_interest", "pbt", "year_profit", "losses_bf", "relief", "taxable",
         "tax_charge", "losses_cf", "inst_taxable", "inst_large", "inst_quarter", "tax_at_lag", "tax_paid",
         "cash_pre", "fac_move", "fac_closing", "closing_cash"])}
    s.section("Facility, tax and cash, month by month")
    fy = t.rows["fy"]
    ref = {k: f"{{c}}{v}" for k, v in rows.items()}
    yp, months = ref["year_profit"], s.ref("tax_months")
    s.rows["tax_at_lag"] = rows["tax_at_lag"]  # shift() needs the row number before the row is written
    at_lag = shift(s, "tax_at_lag", "tax_payment_lag_months", s, expanding=True)
    del s.rows["tax_at_lag"]
    instalments = "+".join(_instalment(s, rows, j) for j in range(len(INSTALMENT_MONTHS)))
    in_year = f"Timeline!$E${fy}:{{c}}${fy},{tref(t, 'fy')}"
    lines = [
        ("opening_cash", "Opening cash", f"IF({{c}}$2=0,funding_opening_cash,{{p}}{rows['closing_cash']})", False),
        ("fac_opening", "Facility: opening balance", f"{{p}}{rows['fac_closing']}", False),
        ("fac_interest", "Facility interest (on last month's balance)", f"{ref['fac_opening']}*funding_facility_annual_rate/12", True),
        ("pbt", "Profit before tax", f"{s.ref('profit_before')}-{ref['fac_interest']}", True),
        ("year_profit", "Tax: taxable profit for the year before losses (at year end)",
         f"IF({tref(t, 'year_end')}=1,SUMIFS($E${rows['pbt']}:{{c}}${rows['pbt']},{in_year})"
         f"+SUMIFS({s.rng('tax_adjust', True)},{in_year}),0)", False),
        ("losses_bf", "Tax: losses brought forward", f"{{p}}{rows['losses_cf']}", False),
        ("relief", "Tax: losses used", f"MIN({ref['losses_bf']},MAX({yp},0))", True),
        ("taxable", "Tax: taxable profit after losses", f"MAX({yp},0)-{ref['relief']}", True),
        ("tax_charge", "Tax charge (small profits rate, marginal relief, main rate)",
         corporation_tax(ref["taxable"], months), True),
        ("losses_cf", "Tax: losses carried forward", f"{ref['losses_bf']}-{ref['relief']}+MAX(-{yp},0)", False),
        ("inst_taxable", "Instalments: the year's estimated taxable profit after losses",
         f"MAX(0,{s.ref('est_profit')}-{ref['losses_bf']})", False),
        ("inst_large", "Instalments: the year's tax paid by instalments (1 = yes)",
         f'IF(AND(tax_quarterly_instalments="yes",{ref["inst_taxable"]}>tax_instalment_threshold*{months}/12),1,0)',
         False),
        ("inst_quarter", "Instalments: a quarter of the estimated tax",
         f"IF({ref['inst_large']}=1,{corporation_tax(ref['inst_taxable'], months)}/4,0)", False),
        ("tax_at_lag", "Tax charge paid after the payment lag (not by instalments)",
         f"{ref['tax_charge']}*(1-{ref['inst_large']})", True),
        ("tax_paid", "Tax paid (after the lag, or instalments in months 7, 10, 13 and 16 of the period)",
         f"{at_lag}+{instalments}", True),
        ("cash_pre", "Cash before the facility moves",
         f"{ref['opening_cash']}+{s.ref('cash_before')}-{ref['fac_interest']}-{ref['tax_paid']}", False),
        ("fac_move", "Facility drawn (+) or repaid (-)",
         f"MIN(MAX(funding_minimum_cash-{ref['cash_pre']},-{ref['fac_opening']}),"
         f"funding_facility_limit-{ref['fac_opening']})", True),
        ("fac_closing", "Facility: closing balance", f"{ref['fac_opening']}+{ref['fac_move']}", False),
        ("closing_cash", "Closing cash", f"{ref['cash_pre']}+{ref['fac_move']}", False),
    ]
    for key, label, template, total in lines:
        assert s.next_row == rows[key], (key, s.next_row, rows[key])
        fmt = S.WHOLE if key == "inst_large" else S.MONEY
        s.row(key, label, "flag" if key == "inst_large" else "£", template, fmt, total=total,
              bold=key == "closing_cash")
