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


def start(sources: list[Path], outdir: Path, fmt: str = "xlsx") -> tuple[subprocess.Popen, list[Path], Path]:
    """Start converting `sources` into `outdir` (recalculated) in one LibreOffice process."""
    soffice = shutil.which("soffice") or "soffice"
    prof = _profile()
    outdir.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{prof}", "--headless", "--norestore", "--convert-to", fmt,
         "--outdir", str(outdir), *map(str, sources)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return proc, [outdir / (src.stem + "." + fmt.split(":")[0]) for src in sources], prof


def finish(proc: subprocess.Popen, outs: list[Path], prof: Path, timeout: float = 600) -> list[Path]:
    """Wait for a conversion; raise if LibreOffice wrote nothing (it exits 0 even when it fails)."""
    try:
        _, err = proc.communicate(timeout=timeout)
    finally:
        shutil.rmtree(prof, ignore_errors=True)
    missing = [o for o in outs if not o.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}: {err.decode(errors='replace')[-500:]}")
    return outs


def recalculate(sources: list[Path], outdir: Path, fmt: str = "xlsx", parallel: int = 2) -> list[Path]:
    """Convert workbooks with `parallel` LibreOffice processes, each with its own profile and several files.

    Output names come from the input stems, so the stems must differ.
    """
    if len({s.stem for s in sources}) != len(sources):
        raise ValueError("workbooks to recalculate need different file names")
    for out in outdir.glob("*"):
        if out.stem in {s.stem for s in sources}:
            out.unlink()
    groups = [sources[i::parallel] for i in range(parallel) if sources[i::parallel]]
    jobs = [start(group, outdir, fmt) for group in groups]
    done = {}
    for job in jobs:
        for out in finish(*job):
            done[out.stem] = out
    return [done[s.stem] for s in sources]
