"""Edges a probe found: values storage cannot hold, unreadable filters, huge ids, and the
answers waitress gives by itself — each a 400/404 in the daemon's one JSON error shape."""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest

from tests.daemon.harness import gumroad_sale, http


def events(live, **query) -> list[dict]:
    answer = live.admin("GET", "/internal/events?" + urllib.parse.urlencode(query))
    assert answer.status == 200, answer.body
    return answer.json()["events"]


@pytest.mark.parametrize("overrides, field", [
    ({"price": str(2**63)}, "amount_minor"),
    ({"quantity": "99999999999"}, "seats"),
    ({"sale_timestamp": "9999-12-31T00:00:00Z"}, "purchased_on"),
    ({"full_name": "Zoë\x00Null"}, "name"),
    ({"sale_id": "S\x00-1"}, "order_id"),
])
def test_values_storage_cannot_hold_are_a_400_with_an_audit_row(live, overrides, field):
    answer = live.ping({**gumroad_sale("EDGE-1"), **overrides})
    assert answer.status == 400, answer.body
    assert answer.json()["error"]["code"] == "invalid_payload"
    assert field in answer.json()["error"]["message"]
    (audited,) = events(live, outcome="invalid")
    assert field in audited["detail"]
    assert live.admin("GET", "/internal/licenses").json()["licenses"] == []


def test_deeply_nested_json_is_a_400_with_an_audit_row(live):
    nested = "[" * 30_000 + "]" * 30_000
    body = ('{"sale_id": "DEEP-1", "x": ' + nested + "}").encode()
    answer = http(
        "POST", f"{live.url}/webhooks/gumroad?secret=gumroad-secret-for-tests", body,
        {"Content-Type": "application/json"})
    assert answer.status == 400, answer.body
    assert answer.json()["error"]["code"] == "invalid_payload"
    (audited,) = events(live, outcome="invalid")
    assert audited["body"].startswith('{"sale_id": "DEEP-1"')


def test_deeply_nested_json_to_internal_is_a_400(live):
    nested = "[" * 30_000 + "]" * 30_000
    answer = http("POST", f"{live.url}/internal/licenses/1/revoke",
                  ('{"reason": ' + nested + "}").encode(),
                  {"Authorization": "Bearer admin-token-for-tests",
                   "Content-Type": "application/json"})
    assert answer.status == 400, answer.body
    assert answer.json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("path", ["/internal/licenses/" + "9" * 19,
                                  "/internal/licenses/" + "9" * 40 + "/revoke"])
def test_ids_past_64_bits_are_no_route(live, path):
    method = "POST" if path.endswith("revoke") else "GET"
    answer = live.admin(method, path, {"reason": "x"} if method == "POST" else None)
    assert answer.status == 404, answer.body
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["email=%FF", "order=%C3%28", "q=%80abc", "email=a%00b"])
def test_a_filter_that_cannot_be_decoded_is_a_400_not_every_license(live, query):
    assert live.ping(gumroad_sale("FILTER-1")).status == 200
    path = "/internal/licenses" if not query.startswith("outcome") else "/internal/events"
    answer = live.admin("GET", f"{path}?{query}")
    assert answer.status == 400, answer.body
    assert answer.json()["error"]["code"] == "invalid_query"


def raw_exchange(live, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send bytes as they are (no client library to tidy them) and read the whole answer."""
    host, port = live.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        conn.sendall(request)
        chunks = []
        try:
            while chunk := conn.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:
            # Waitress closes at once after refusing a request it did not read to the end;
            # the reset that follows its answer is not part of the answer.
            assert chunks, "the connection was reset before any answer"
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), headers, body


@pytest.mark.parametrize("request_bytes, status, code", [
    (b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 16_500 + b"\r\n\r\n", 431,
     "headers_too_large"),
    (b"POST /webhooks/gumroad HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n", 413,
     "payload_too_large"),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400, "bad_request"),
    (b"GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501,
     "not_implemented"),
])
def test_waitress_own_answers_have_the_daemon_json_shape(live, request_bytes, status, code):
    got, headers, body = raw_exchange(live, request_bytes)
    assert got == status
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    error = json.loads(body)["error"]
    assert error["code"] == code and error["message"]


def test_a_header_that_is_not_utf8_is_read_not_a_500(live):
    body = urllib.parse.urlencode(gumroad_sale("LATIN-1")).encode()
    status, _, answer = raw_exchange(live, (
        b"POST /webhooks/gumroad?secret=gumroad-secret-for-tests HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\nUser-Agent: caf\xe9\r\n"
        b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body))
    assert (status, json.loads(answer)) == (200, {"outcome": "minted"})
    (event,) = events(live, order="LATIN-1")
    assert event["headers"]["User-Agent"] == "caf\ufffd"
