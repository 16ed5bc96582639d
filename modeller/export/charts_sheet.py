"""Charts sheet: native Excel charts of cash against the minimum, income by contract and WTE by role."""

from __future__ import annotations

from openpyxl.chart import AreaChart, LineChart, Reference, Series

from modeller.export.layout import FIRST_COL, Sheet, print_setup

# three charts down one portrait A4 page (about 18.5 x 26.5 cm inside the margins)
WIDTH_CM, HEIGHT_CM = 18, 7.5
ROWS_APART = 17  # anchor rows between charts: 7.5 cm is about 15 rows, plus a gap


def _series(sheet: Sheet, key: str, title: str) -> Series:
    r = sheet.rows[key]
    ref = Reference(sheet.ws, min_col=FIRST_COL, max_col=FIRST_COL + sheet.months - 1, min_row=r, max_row=r)
    return Series(ref, title=title)


def _dates(sheet: Sheet) -> Reference:
    return Reference(sheet.ws, min_col=FIRST_COL, max_col=FIRST_COL + sheet.months - 1, min_row=3, max_row=3)


def _style(chart, title: str, y_title: str, fmt: str) -> None:
    chart.title = title
    chart.y_axis.title = y_title
    chart.y_axis.numFmt = fmt
    chart.x_axis.number_format = "mmm yy"
    chart.x_axis.tickLblSkip = 6
    chart.height, chart.width = HEIGHT_CM, WIDTH_CM
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def write_charts(wb, sc, st: Sheet, inc: Sheet, wf: Sheet) -> None:
    ws = wb.create_sheet("Charts")
    cash = LineChart()
    cash.append(_series(st, "closing_cash", "Closing cash"))
    cash.append(_series(st, "minimum_cash", "Minimum cash"))
    cash.append(_series(st, "facility", "Facility drawn"))
    for series in cash.series:
        series.smooth = False
    cash.set_categories(_dates(st))
    _style(cash, "Cash against the minimum", "£", "£#,##0")
    ws.add_chart(cash, "A1")
    # a chart with no series is a broken part to Excel: leave it out when there is nothing to stack
    if sc.contracts:
        income = AreaChart(grouping="stacked")
        for c in sc.contracts:
            income.append(_series(inc, f"{c.id}.income", c.name))
        income.set_categories(_dates(inc))
        _style(income, "Income by contract", "£ a month", "£#,##0")
        ws.add_chart(income, f"A{1 + ROWS_APART}")
    if sc.workforce.roles:
        wte = AreaChart(grouping="stacked")
        for r in sc.workforce.roles:
            wte.append(_series(wf, f"{r.id}.wte", r.name))
        wte.set_categories(_dates(wf))
        _style(wte, "WTE by role (in post and agency)", "WTE", "#,##0")
        ws.add_chart(wte, f"A{1 + 2 * ROWS_APART}")
    print_setup(ws, portrait=True)
    ws.page_setup.fitToHeight = 1  # the three charts on one page
