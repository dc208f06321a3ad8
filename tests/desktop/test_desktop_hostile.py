"""The desktop API on the hostile corpus and on hostile request bodies: a clear job error or a
400, never `internal`, and the server answers the next request."""

from __future__ import annotations

import json
import os
import stat
import urllib.error
import urllib.request

import pytest

from hostile_corpus import CASES, write_corpus

REFUSED = [name for name, code in CASES.items() if code != "ok"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client


@pytest.mark.parametrize("name", REFUSED)
def test_preview_and_profile_answer_with_the_files_error(licensed, corpus, name):
    status, preview = licensed.preview({"path": str(corpus[name])})
    assert status == 202
    assert preview["state"] == "failed" and preview["error"]["code"] == CASES[name], preview
    job = licensed.run_tool("profile", [corpus[name]], {})
    assert job["state"] == "failed" and job["error"]["code"] == CASES[name], job
    assert job["error"]["params"]["file"] == name
    assert licensed.call("GET", "/api/state")[0] == 200       # the server is still up


@pytest.mark.parametrize("name", [n for n, code in CASES.items() if code == "ok"])
def test_files_that_only_look_hostile_are_read(licensed, corpus, name):
    job = licensed.run_tool("profile", [corpus[name]], {})
    assert job["state"] == "done", job


def test_deeply_nested_json_body_is_a_400(licensed):
    depth = 100_000
    body = b'{"path": ' + b"[" * depth + b"]" * depth + b"}"
    request = urllib.request.Request(licensed.base_url + "/api/preview", data=body, method="POST",
                                     headers={"Content-Type": "application/json",
                                              "X-DataTools-Token": licensed.token})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=30)
    with answer.value as error:
        assert (error.code, json.loads(error.read())["error"]["code"]) == (400, "bad_json")
    assert licensed.call("GET", "/api/state")[0] == 200


@pytest.mark.parametrize("force", [False, True], ids=["no-force", "force"])
def test_save_onto_a_fifo_is_refused_and_the_fifo_stays(licensed, tmp_path, force):
    source = tmp_path / "in.csv"
    source.write_text("name\nAnn\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.csv")
    job = licensed.run_tool("clean", [source], {"trim": True})
    status, _, body = licensed.call("POST", f"/api/jobs/{job['id']}/save",
                                    {"path": str(tmp_path / "pipe.csv"), "force": force})
    assert (status, body["error"]["code"]) == (400, "output_not_a_file")
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.csv").st_mode)


@pytest.mark.parametrize("encoding", ["rot13", "base64"])
def test_a_byte_transform_as_encoding_is_a_clear_error_not_internal(licensed, tmp_path, encoding):
    source = tmp_path / "in.csv"
    source.write_text("name\nAnn\n", encoding="utf-8")
    status, _, body = licensed.call("POST", "/api/preview", {"path": str(source), "encoding": encoding})
    assert (status, body["error"]["code"]) == (400, "bad_encoding")
    status, _, body = licensed.call("POST", "/api/jobs", {
        "tool": "profile", "inputs": [{"path": str(source), "encoding": encoding}], "options": {}})
    assert (status, body["error"]["code"]) == (400, "bad_encoding")
