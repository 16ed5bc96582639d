"""The board pack: the MSK workbook, with its Risk sheet, printed to PDF by LibreOffice and read back.

One conversion per run (a module fixture). Page text comes from poppler's `pdftotext` (pages are
separated by form feeds); word boxes from `pdftotext -bbox` give the printed size of the text.
PNGs of the first pages are kept under artifacts/export/ to look at.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess

import pytest

from modeller.engine import run
from modeller.export import write_workbook
from modeller.export.recalc import recalculate
from modeller.formatting import money
from modeller.risk.report import risk_report
from modeller.scenario_io import load_scenario
from tests.conftest import ROOT, require_tool

pytestmark = pytest.mark.libreoffice
MSK = ROOT / "scenarios" / "msk_prime_provider.yaml"
K = run(load_scenario(MSK)).kpis()   # the engine's figures the Cover must show
DRAWS = 200
# 2026-11-29, before the board order: 71 pages with the Risk sheet; the board order took it to 69, and issue 10
# added a page of tax, VAT and appraisal inputs and a second page of IRR workings (the real IRR): 71 again
# issue 11 rewrote MSK to tell its story: 12 staff groups (was 6), from Jan 2015 (63 months), and the workforce rules
# added rows (levy, transfers, per-person NI): 91 pages, 30 of them the Workforce workings; the board pages stay first
PAGES_MOST = 91
# a word's box is about 1.3 x the font size: 11 pt text at 100% is 14.3 pt tall; Inputs was 4.7 pt
READABLE_BOX = 10.0
WORD = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">')


@pytest.fixture(scope="module")
def pack(tmp_path_factory):
    """(the PDF, its pages' text, each page's median word height in points)."""
    require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    tmp = tmp_path_factory.mktemp("pack")
    sc = load_scenario(MSK)
    src = tmp / "msk_prime_provider.xlsx"
    write_workbook(sc, run(sc), src, risk_report(sc, draws=DRAWS))
    pdf, = recalculate([src], tmp / "pdf", fmt="pdf", parallel=1)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")[:-1]
    boxes = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    heights = [statistics.median(float(b) - float(a) for a, b in WORD.findall(page) or [("0", "0")])
               for page in boxes.split("<page ")[1:]]
    assert len(heights) == len(pages)
    return pdf, pages, heights


def _first_line(page: str) -> str:
    return next((line.strip() for line in page.splitlines() if line.strip()), "")


def test_board_pages_come_first_in_order(pack):
    _, pages, _ = pack
    firsts = [_first_line(p) for p in pages]
    assert firsts[0] == "Business case"
    assert firsts[1] == "Annual summary by NHS financial year"
    assert firsts[2] == "Key performance indicators"
    assert firsts[3].startswith("Cash against the minimum")  # the Charts sheet, one page
    assert firsts[4].startswith("Risk analysis")
    inputs = next(i for i, f in enumerate(firsts) if f.startswith("Inputs"))
    workings = next(i for i, f in enumerate(firsts) if f.startswith("Timeline"))
    assert 5 <= inputs < workings  # the Risk sheet's pages, then the Inputs, then the monthly workings
    assert firsts[-1].startswith("Checks")
    assert len(pages) <= PAGES_MOST


def test_cover_shows_integrity_alerts_commitment_and_risk(pack):
    _, pages, _ = pack
    cover = re.sub(r"[ ]+", " ", pages[0])
    for expected in ("Model integrity All checks pass", "Business alerts None", "Funding shortfall none",
                     f"Peak cost to walk away {money(K['peak_exit_cost'])}", "Peak cost to walk away reached in Aug 2016",
                     # MSK starts at mobilisation: what is spent before its first receipt shows, in pounds
                     f"Spent before the first contract receipt {money(K['committed_before_first_receipt'])}",
                     "First contract receipt Apr 2015",
                     "Chance of a funding shortfall", "NPV: P10", "NPV: P50 (median)", "NPV: P90",
                     "Peak funding requirement: P90", f"Risk (Monte Carlo) {DRAWS} draws"):
        assert expected in cover, expected
    assert "Master check" not in cover
    assert "Page 1 of" in cover  # the footer numbers the pack


def test_kpis_page_shows_no_irr_search(pack):
    _, pages, _ = pack
    kpis = pages[2]
    assert "IRR (annual)" in kpis and "E+" not in kpis and "Bisection" not in kpis
    workings = next(p for p in pages if _first_line(p).startswith("IRR workings"))
    assert "Bisection" in workings and "E+" in workings


def test_inputs_print_at_a_readable_size(pack):
    _, pages, heights = pack
    inputs = [i for i, p in enumerate(pages) if "Inputs Page" in re.sub(r"\s+", " ", p)]
    assert inputs, "no page footed 'Inputs'"
    assert all(heights[i] >= READABLE_BOX for i in inputs), [round(heights[i], 1) for i in inputs]
    for i in inputs:  # nothing runs off the printed area: the description wraps within it
        assert "seconded from NHS partners." in pages[inputs[0]]   # the description's last words
        assert "Name in formulas" not in pages[i]


def test_renders_to_png(pack):
    """The first pages as a person sees them, kept under artifacts/export/ to look at."""
    pdftoppm = require_tool("pdftoppm")
    pdf, _, _ = pack
    out = ROOT / "artifacts" / "export"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("page-*.png"):
        old.unlink()
    shutil.copy(pdf, out / pdf.name)
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "12", str(pdf), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"))
    assert len(pages) == 12
    assert all(p.stat().st_size > 5_000 for p in pages)  # not blank
