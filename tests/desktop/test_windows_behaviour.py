"""What Windows buyers do that Linux never shows: files Excel holds open, Explorer's pasted paths,
the per-user profile folder. Checked here with ntpath and an injected Windows error; the hosted
Windows runner (.github/workflows/release.yml) runs the built app itself."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import FIXTURES
from datatools import safe_write
from datatools.app.settings import default_home
from datatools.errors import BadInput
from datatools.user_paths import user_path


def excel_holds_it_open(monkeypatch):
    """os.replace as Windows answers it while Excel has the target open (ERROR_SHARING_VIOLATION)."""
    def refuse(source, target):
        error = PermissionError(13, "The process cannot access the file because it is being used "
                                    "by another process", str(target))
        error.winerror = 32
        raise error
    monkeypatch.setattr(safe_write.os, "replace", refuse)


def test_saving_over_a_file_excel_holds_open_says_so_and_changes_nothing(tmp_path, monkeypatch):
    target = tmp_path / "Kunden.csv"
    target.write_text("the buyer's earlier result\n")
    excel_holds_it_open(monkeypatch)
    with pytest.raises(BadInput) as caught:
        safe_write.write_file(target, "new rows\n", force=True)
    assert caught.value.code == "target_locked"
    assert str(caught.value) == (f"{target} is open in another program (Excel locks the files it "
                                 "shows); close it there and save again. Nothing was written.")
    assert target.read_text() == "the buyer's earlier result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Kunden.csv"]


def test_a_posix_permission_error_stays_a_plain_cannot_write(tmp_path, monkeypatch):
    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))
    monkeypatch.setattr(safe_write.os, "replace", refuse)
    (tmp_path / "out.csv").write_text("old\n")
    with pytest.raises(BadInput) as caught:
        safe_write.write_file(tmp_path / "out.csv", "new\n", force=True)
    assert caught.value.code == "cannot_write"


def test_the_window_names_the_locked_file_in_the_buyers_language(client, keys, tmp_path, monkeypatch):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    source = tmp_path / "messy.csv"
    source.write_bytes((FIXTURES / "messy.csv").read_bytes())
    target = tmp_path / "Ergebnis.csv"
    target.write_text("open in Excel\n")
    job = client.run_tool("clean", [source], {"trim": True})
    excel_holds_it_open(monkeypatch)
    status, _, body = client.call("POST", f"/api/jobs/{job['id']}/save",
                                  {"path": f'"{target}"', "force": True})
    assert status == 400
    assert body["error"]["code"] == "target_locked"
    assert body["error"]["params"] == {"file": "Ergebnis.csv"}
    assert target.read_text() == "open in Excel\n"


@pytest.mark.parametrize("pasted, meant", [
    ('"C:\\Users\\zoe\\Documents\\Kunden Liste.csv"', "C:\\Users\\zoe\\Documents\\Kunden Liste.csv"),
    ('  "D:\\Exports\\März.xlsx"  ', "D:\\Exports\\März.xlsx"),
    ("C:/Users/zoe/out.csv", "C:\\Users\\zoe\\out.csv"),
    ('"\\\\fileserver\\team\\list.csv"', "\\\\fileserver\\team\\list.csv"),
    ("file:///C:/Users/zo%C3%AB/a%20b.csv", "C:\\Users\\zoë\\a b.csv"),
    ("file://fileserver/team/list.csv", "\\\\fileserver\\team\\list.csv"),
])
def test_paths_pasted_from_explorer_name_the_file_on_windows(pasted, meant):
    assert user_path(pasted, windows=True) == meant


def test_quoted_and_url_paths_work_on_linux_and_macos_too(tmp_path):
    assert user_path(f"'{tmp_path}/a b.csv'", windows=False) == f"{tmp_path}/a b.csv"
    assert user_path(f"file://{tmp_path}/a%20b.csv", windows=False) == f"{tmp_path}/a b.csv"
    assert user_path("~/x.csv", windows=False) == os.path.expanduser("~/x.csv")


def test_the_license_lives_in_the_windows_profile(tmp_path):
    env = {"APPDATA": "C:\\Users\\zoe\\AppData\\Roaming", "USERPROFILE": str(tmp_path)}
    assert str(default_home(env, system="Windows")) == "C:\\Users\\zoe\\AppData\\Roaming\\DataTools"
    assert str(default_home({"USERPROFILE": "C:\\Users\\zoe"}, system="Windows")) == \
        "C:\\Users\\zoe\\AppData\\Roaming\\DataTools"
    assert default_home({"DATATOOLS_HOME": str(tmp_path)}, system="Windows") == tmp_path
    assert default_home({}, system="Linux") == Path.home() / ".datatools"


def test_a_license_already_in_the_old_profile_folder_is_kept(tmp_path):
    (tmp_path / ".datatools").mkdir()
    (tmp_path / ".datatools" / "license.json").write_text("{}")
    home = default_home({"USERPROFILE": str(tmp_path), "APPDATA": "C:\\x"}, system="Windows")
    assert home == tmp_path / ".datatools"


def test_a_console_in_a_narrow_code_page_gets_escapes_not_a_traceback(tmp_path):
    """Windows hands a piped `datatools` the ANSI code page; names outside it must not crash."""
    import subprocess
    import sys

    table = tmp_path / "kunden.csv"
    table.write_text("name,city\nŁukasz Wójcik,Łódź\nYılmaz Öztürk,İzmir\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "cp1252", "DATATOOLS_HOME": str(tmp_path / "home")}
    done = subprocess.run([sys.executable, "-m", "datatools", "profile", str(table)], cwd=tmp_path,
                          env=env, capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in done.stderr
    assert b"\\u0141ukasz" in done.stdout or b"\\u0141\\xf3d\\u017a" in done.stdout
