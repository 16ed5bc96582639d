"""`python -m modeller workspace ...` over the same store as the app (SQLite in a temporary folder)."""

from __future__ import annotations

import re

import pytest

from modeller.__main__ import main
from tests.conftest import ROOT
from tests.storage_support import edited as edited_text
from tests.storage_support import physio_salary

MSK_FILE = ROOT / "scenarios" / "msk_prime_provider.yaml"


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MODELLER_DATABASE_URL", f"sqlite:///{tmp_path / 'w.sqlite3'}")

    def call(*argv: str) -> tuple[int, str, str]:
        code = main(["workspace", "--user", "alice", *argv])
        out = capsys.readouterr()
        return code, out.out, out.err

    return call


def test_save_list_show_diff(cli, tmp_path):
    edited = tmp_path / "msk.yaml"
    edited.write_text(edited_text(42000), encoding="utf-8")
    code, out, _ = cli("save", str(MSK_FILE), "--name", "MSK", "--note", "first", "--tag", "msk")
    assert code == 0 and out == "Saved 'MSK' version 1 (version id 1, scenario id 1).\n"
    code, _, err = cli("save", str(edited), "--name", "MSK")
    assert code == 1 and "already saved" in err and "--parent 1" in err
    assert cli("save", str(edited), "--parent", "1", "--note", "pay award")[0] == 0
    code, out, _ = cli("list")
    assert code == 0 and "MSK" in out.splitlines()[2] and "msk" in out.splitlines()[2]
    code, out, _ = cli("show", "1")
    assert [line.split()[0] for line in out.splitlines()[3:]] == ["2", "1"] and "pay award" in out
    code, out, _ = cli("diff", "1", "2", "--no-kpis")
    assert out.splitlines()[1:] == ["  MSK physiotherapists (band 6), employed: salary (£ per WTE a year): £40,823 → £42,000"]
    code, out, _ = cli("show", "--version", "2")
    assert physio_salary(out) == 42000


def test_export_import_and_access(cli, tmp_path, capsys):
    cli("save", str(MSK_FILE), "--name", "MSK")
    backup = tmp_path / "backup.zip"
    assert cli("export", str(backup))[0] == 0 and backup.stat().st_size > 0
    code = main(["workspace", "--user", "bob", "show", "1"])
    assert code == 1 and "There is no scenario 1" in capsys.readouterr().err   # Alice's, not shared
    assert main(["workspace", "--user", "bob", "import", str(backup)]) == 0
    assert "Imported 1 document(s): 'MSK'" in capsys.readouterr().out


def test_a_bad_file_and_an_unusable_database_are_plain(cli, tmp_path, monkeypatch):
    bad = tmp_path / "bad.yaml"
    bad.write_text(re.sub(r"(?m)^months: \d+", "months: -3", MSK_FILE.read_text(encoding="utf-8"), count=1), encoding="utf-8")
    code, _, err = cli("save", str(bad))
    assert code == 1 and err.startswith("bad.yaml: months:")
    monkeypatch.setenv("MODELLER_DATABASE_URL", f"sqlite:///{tmp_path / 'missing' / 'w.sqlite3'}")
    code, _, err = cli("list")
    assert code == 1 and "cannot be opened" in err and "Traceback" not in err
