"""The model book inside the app and the workbook: the page shows it, help texts and the Cover point to it."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from modeller.export import workbook_bytes
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT
from tests.test_app import start
from tools.model_book import ANCHORS, slug
from ui import book, kpis


def test_the_book_page_shows_the_book_without_its_generator_markers():
    at = start()
    at.switch_page("ui/pages/model_book.py").run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "## Worked example" in shown and "## KPIs" in shown
    assert "<!--" not in shown          # the generated tables' marker comments are not shown as text


def test_card_help_links_to_the_books_kpi_section():
    assert kpis.KPI_ANCHOR in ANCHORS      # the anchor is one of the book's headings (checked there)
    headings = [line.lstrip("#").strip() for line in book.text().splitlines() if line.startswith("#")]
    assert kpis.KPI_ANCHOR in {slug(h) for h in headings}
    at = start()                           # the Scenario page's cards carry the link in their help
    helps = [m.help for m in at.metric]
    assert helps and all(f"(model_book#{kpis.KPI_ANCHOR})" in (h or "") for h in helps)


def test_the_workbook_cover_names_the_model_book():
    sc = load_scenario(ROOT / "scenarios" / "gp_network.yaml")
    cover = load_workbook(BytesIO(workbook_bytes(sc)))["Cover"]
    words = [str(c.value) for row in cover.iter_rows() for c in row if c.value]
    assert any("docs/MODEL.md" in w for w in words)
