"""The desktop API's save and its malformed inputs: never over an input, never a mixed file, 400 not 500."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import threading
import urllib.parse
from pathlib import Path

import pytest

from conftest import FIXTURES

NAMES = ["same path", "./ form", "absolute", "symlink", "hard link"]


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _name_for(form: str, folder: Path) -> str:
    if form == "symlink":
        os.symlink(folder / "mine.csv", folder / "link.csv")
        return "link.csv"
    if form == "hard link":
        os.link(folder / "mine.csv", folder / "hard.csv")
        return "hard.csv"
    return {"same path": "mine.csv", "./ form": "./mine.csv", "absolute": str(folder / "mine.csv")}[form]


@pytest.mark.parametrize("force", [False, True], ids=["no-force", "force"])
@pytest.mark.parametrize("form", NAMES)
def test_save_naming_the_input_is_refused_under_any_name(licensed, tmp_path, monkeypatch, form, force):
    monkeypatch.chdir(tmp_path)     # the server runs in this process: relative names start here
    source = tmp_path / "mine.csv"
    source.write_bytes((FIXTURES / "messy.csv").read_bytes())
    before = digest(source)
    job = licensed.run_tool("clean", [source], {"trim": True})
    path = _name_for(form, tmp_path)
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": path, "force": force})
    assert (status, body["error"]["code"]) == (400, "would_overwrite_input")
    assert digest(source) == before


def _big_table(path: Path, marker: str) -> None:
    row = f"{marker},  Anna   Berg ,Oslo,0123\n"
    path.write_text("kind,name,city,zip\n" + row * 60_000, encoding="utf-8")


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_two_saves_to_one_path_at_once_give_one_whole_file(licensed, tmp_path, force):
    sources = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for source, marker in zip(sources, "ab"):
        _big_table(source, marker)
    jobs = [licensed.run_tool("clean", [source], {"trim": True}) for source in sources]
    whole = []
    for job, name in zip(jobs, ("whole-a.csv", "whole-b.csv")):
        status, _, _ = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(tmp_path / name)})
        assert status == 201
        whole.append((tmp_path / name).read_bytes())
    target = tmp_path / "result.csv"
    answers: list[int] = []
    start = threading.Barrier(2)

    def save(job):
        start.wait()
        status, _, _ = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                     {"path": str(target), "force": force})
        answers.append(status)

    threads = [threading.Thread(target=save, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert target.read_bytes() in whole
    assert sorted(answers) == ([201, 201] if force else [201, 409])
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def raw(desktop, method: str, path: str, headers: dict[str, str], body: bytes = b""):
    conn = http.client.HTTPConnection("127.0.0.1", desktop.app.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in {"Host": f"127.0.0.1:{desktop.app.port}", **headers}.items():
        conn.putheader(name, value)
    conn.endheaders()
    if body:
        conn.send(body)
    answer = conn.getresponse()
    data = answer.read()
    conn.close()
    return answer.status, json.loads(data) if data.startswith(b"{") else data


@pytest.mark.parametrize("name", ["a%00b.js", "%00", "app.js%00.png"])
def test_a_nul_byte_in_a_static_path_is_not_found(desktop, name):
    status, body = raw(desktop, "GET", f"/ui/{name}", {})
    assert (status, body["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize("name", ["..", ".", "../evil.csv", "a/b.csv", "a\\b.csv", "x\0.csv"])
def test_an_upload_named_with_folders_is_refused(desktop, name):
    query = urllib.parse.urlencode({"name": name})
    status, body = raw(desktop, "POST", f"/api/upload?{query}",
                       {"X-DataTools-Token": desktop.app.token, "Content-Length": "3"}, b"a\n\n")
    assert (status, body["error"]["code"]) == (400, "bad_upload_name")
    assert not list(desktop.app.workdir.parent.glob("evil.csv"))


def test_an_upload_with_a_plain_name_is_kept_under_that_name(desktop):
    status, body = raw(desktop, "POST", "/api/upload?name=Kunden%20M%C3%A4rz.csv",
                       {"X-DataTools-Token": desktop.app.token, "Content-Length": "4"}, b"a,b\n")
    assert status == 201
    assert Path(body["path"]).name == "Kunden März.csv"
    assert Path(body["path"]).read_bytes() == b"a,b\n"


@pytest.mark.parametrize("length", ["-5", "abc", "1e3", " -1"])
@pytest.mark.parametrize("route", ["/api/upload?name=x.csv", "/api/preview"])
def test_a_bad_content_length_is_a_400(desktop, route, length):
    status, body = raw(desktop, "POST", route,
                       {"X-DataTools-Token": desktop.app.token, "Content-Length": length})
    assert (status, body["error"]["code"]) == (400, "bad_request")


def test_an_upload_cut_short_is_refused_and_nothing_kept(desktop):
    import socket

    port = desktop.app.port
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(f"POST /api/upload?name=cut.csv HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                     f"X-DataTools-Token: {desktop.app.token}\r\nContent-Length: 1000\r\n\r\n"
                     "a,b\n1,2\n".encode())
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 400") or answer.startswith(b"HTTP/1.1 400")
    assert b'"bad_upload"' in answer
    assert not list(desktop.app.workdir.rglob("cut.csv"))


def test_a_second_save_of_one_result_while_the_first_runs_is_refused(licensed, tmp_path):
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    source = tmp_path / "big.csv"
    _big_table(source, "a")
    job = licensed.run_tool("clean", [source], {"trim": True})
    first = licensed.call("POST", f"/api/jobs/{job['id']}/saves", {"path": str(tmp_path / "one.xlsx")})
    second = licensed.call("POST", f"/api/jobs/{job['id']}/saves", {"path": str(tmp_path / "two.xlsx")})
    assert first[0] == 202
    assert (second[0], second[2]["error"]["code"]) == (409, "save_running")
    done = licensed.wait_for(first[2]["id"])
    assert done["result"] == {"path": str(tmp_path / "one.xlsx"), "merge_report": None, "notes": []}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.csv", "one.xlsx"]
    # Once it is written, the next save may start.
    assert licensed.call("POST", f"/api/jobs/{job['id']}/saves", {"path": str(tmp_path / "two.csv")})[0] == 202


def test_a_value_the_inputs_encoding_cannot_hold_makes_the_csv_utf8_and_says_so(licensed, tmp_path):
    left = tmp_path / "orders.csv"
    left.write_bytes("order;kunde\r\n1;Müller\r\n".encode("cp1252"))
    right = tmp_path / "kunden.csv"
    right.write_text("name,stadt\nMüller,Łódź\n", encoding="utf-8")
    job = licensed.run_tool("match", [left, right], {"on": ["kunde"], "right_on": ["name"]})
    target = tmp_path / "matched.csv"
    status, _, saved = licensed.call("POST", f"/api/jobs/{job['id']}/save", {"path": str(target)})
    assert status == 201
    assert [note["code"] for note in saved["notes"]] == ["saved_as_utf8"]
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbforder;kunde;right_name;right_stadt") and "Łódź" in data.decode("utf-8-sig")


def test_review_filters_and_decisions_with_bad_values_are_400s(licensed):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    base = f"/api/jobs/{job['id']}"
    assert licensed.call("GET", f"{base}/groups?min_score=lots")[2]["error"]["code"] == "bad_filter"
    assert licensed.call("GET", f"{base}/groups?sort=best")[2]["error"]["code"] == "bad_sort"
    assert licensed.call("POST", f"{base}/review", {"group": "1", "survivor": 999})[2]["error"]["code"] == "bad_review"
    assert licensed.call("POST", f"{base}/review", {"keep": "last"})[0] == 400
    other = licensed.run_tool("profile", [FIXTURES / "customers.csv"], {})
    assert licensed.call("GET", f"/api/jobs/{other['id']}/groups")[:1] == (404,)


def test_review_filters_groups_by_the_column_their_rows_disagree_in(licensed):
    job = licensed.run_tool("dedupe", [FIXTURES / "customers.csv"], {"columns": ["name", "email"]})
    base = f"/api/jobs/{job['id']}/groups"
    page = licensed.call("GET", base)[2]
    # Differences of case and edge spaces do not count: both e-mails of Ben Okafor agree.
    assert page["differs_choices"] == ["id", "name"]
    assert licensed.call("GET", f"{base}?differs=name")[2]["total"] == 3
    assert licensed.call("GET", f"{base}?differs=email")[2]["total"] == 0
    assert licensed.call("GET", f"{base}?text=okafor")[2]["total"] == 1
    assert licensed.call("GET", f"{base}?min_score=100")[2]["total"] == 2
