"""Recalculate workbooks with headless LibreOffice (for tests and benchmarks; never used by the app)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


def _profile() -> Path:
    """A fresh LibreOffice profile told to recalculate every formula on load."""
    prof = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    (prof / "user").mkdir()
    (prof / "user" / "registrymodifications.xcu").write_text(_PROFILE)
    return prof


def start(src: Path, outdir: Path, fmt: str = "xlsx") -> tuple[subprocess.Popen, Path, Path]:
    """Start converting `src` into `outdir` (recalculated); returns (process, expected output, profile)."""
    soffice = shutil.which("soffice") or "soffice"
    prof = _profile()
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore", "--convert-to", fmt,
         "--outdir", str(outdir), str(src)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, outdir / (src.stem + "." + fmt.split(":")[0]), prof


def finish(proc: subprocess.Popen, out: Path, prof: Path, timeout: float = 180) -> Path:
    """Wait for a conversion; raise if LibreOffice wrote nothing (it exits 0 even when it fails)."""
    try:
        _, err = proc.communicate(timeout=timeout)
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    if not out.exists():
        raise RuntimeError(f"LibreOffice did not write {out}: {err.decode(errors='replace')[-500:]}")
    return out


def recalculate(sources: list[Path], outdir: Path, fmt: str = "xlsx", parallel: int = 2) -> list[Path]:
    """Convert several workbooks, `parallel` LibreOffice processes at a time, each with its own profile."""
    outs: list[Path] = []
    pending = list(sources)
    while pending:
        batch, pending = pending[:parallel], pending[parallel:]
        running = [start(src, outdir, fmt) for src in batch]
        outs += [finish(*job) for job in running]
    return outs
