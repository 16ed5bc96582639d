"""Funding sheet: equity, loans, and the month-by-month facility, tax and cash roll-forward.

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
          f"-{costs.ref('_total.paid')}-{wf.ref('_total.recruitment')}-{costs.ref('_total.spend')}"
          f"+{s.ref('equity')}+{s.ref('loans.drawn')}-{s.ref('loans.principal')}-{s.ref('loans.interest')}")
    s.row("profit_before", "Profit before facility interest and tax", "£",
          f"{inc.ref('_total.income')}-{wf.ref('_total.employed_pay')}-{wf.ref('_total.seconded_pay')}"
          f"-{wf.ref('_total.agency_cost')}-{costs.ref('_total.cost')}-{wf.ref('_total.recruitment')}"
          f"-{costs.ref('_total.depreciation')}-{s.ref('loans.interest')}")
    _roll_forward(s, t)
    return s


def _roll_forward(s: Sheet, t: Sheet) -> None:
    r = s.next_row + 1  # rows are numbered ahead so earlier rows can read last month's closing values
    rows = {k: r + i + 1 for i, k in enumerate(
        ["opening_cash", "fac_opening", "fac_interest", "pbt", "year_profit", "losses_bf", "relief", "tax_charge",
         "losses_cf", "tax_paid", "cash_pre", "fac_move", "fac_closing", "closing_cash"])}
    s.section("Facility, tax and cash, month by month")
    fy = t.rows["fy"]
    ref = {k: f"{{c}}{v}" for k, v in rows.items()}
    yp = ref["year_profit"]
    s.rows["tax_charge"] = rows["tax_charge"]  # shift() needs the row number before the row is written
    tax_paid = shift(s, "tax_charge", "tax_payment_lag_months", s, expanding=True)
    del s.rows["tax_charge"]
    lines = [
        ("opening_cash", "Opening cash", f"IF({{c}}$2=0,funding_opening_cash,{{p}}{rows['closing_cash']})", False),
        ("fac_opening", "Facility: opening balance", f"{{p}}{rows['fac_closing']}", False),
        ("fac_interest", "Facility interest (on last month's balance)", f"{ref['fac_opening']}*funding_facility_annual_rate/12", True),
        ("pbt", "Profit before tax", f"{s.ref('profit_before')}-{ref['fac_interest']}", True),
        ("year_profit", "Tax: profit before tax for the year (at year end)",
         f"IF({tref(t, 'year_end')}=1,SUMIFS($E${rows['pbt']}:{{c}}${rows['pbt']},Timeline!$E${fy}:{{c}}${fy},"
         f"{tref(t, 'fy')}),0)", False),
        ("losses_bf", "Tax: losses brought forward", f"{{p}}{rows['losses_cf']}", False),
        ("relief", "Tax: losses used", f"MIN({ref['losses_bf']},MAX({yp},0))", True),
        ("tax_charge", "Tax charge", f"tax_corporation_tax_rate*(MAX({yp},0)-{ref['relief']})", True),
        ("losses_cf", "Tax: losses carried forward", f"{ref['losses_bf']}-{ref['relief']}+MAX(-{yp},0)", False),
        ("tax_paid", "Tax paid", tax_paid, True),
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
        s.row(key, label, "£", template, total=total, bold=key == "closing_cash")
