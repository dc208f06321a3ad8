"""A stand-in for Postmark on loopback that speaks its documented wire format.

`POST /email` with `X-Postmark-Server-Token`, JSON in and out. Each request takes the next
behaviour from `script` ("ok" when it is empty): "ok" → 200 with a MessageID; an int status
(429, 500, 503) → that status with a Postmark error body; ("422", code) → 422 with that
ErrorCode; "hang" → no answer until the client has given up, then the connection closes.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "postmark-server-token-for-tests"
MESSAGES = {100: "Maintenance", 300: "Invalid email request", 406: "Inactive recipient",
            429: "Rate limit exceeded", 500: "Internal server error", 503: "Service unavailable"}


class FakePostmark:
    def __init__(self, token: str = TOKEN, hang_seconds: float = 1.5):
        self.token = token
        self.hang_seconds = hang_seconds
        self.script: list[Any] = []
        self.accepted: list[dict[str, Any]] = []  # bodies of accepted messages + "MessageID"
        self.requests = 0
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> "FakePostmark":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next(self) -> Any:
        with self.lock:
            self.requests += 1
            return self.script.pop(0) if self.script else "ok"

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def error(self, status: int, code: int, message: str) -> None:
                self.answer(status, {"ErrorCode": code, "Message": message})

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/email":
                    return self.error(404, 404, "Not found")
                if self.headers.get("X-Postmark-Server-Token") != fake.token:
                    return self.error(401, 10, "Bad or missing API token")
                if (self.headers.get("Accept") != "application/json"
                        or self.headers.get("Content-Type") != "application/json"):
                    return self.error(422, 409, "JSON required")
                try:
                    message = json.loads(body)
                except ValueError:
                    return self.error(422, 402, "Invalid JSON")
                if not all(message.get(k) for k in ("From", "To", "Subject")) or not (
                        message.get("TextBody") or message.get("HtmlBody")):
                    return self.error(422, 300, "Invalid email request")
                behaviour = fake._next()
                if behaviour == "hang":
                    time.sleep(fake.hang_seconds)
                    self.close_connection = True
                    return None
                if isinstance(behaviour, tuple):
                    return self.error(422, behaviour[1], MESSAGES.get(behaviour[1], "Error"))
                if isinstance(behaviour, int):
                    return self.error(behaviour, 0 if behaviour != 429 else 429,
                                      MESSAGES.get(behaviour, "Error"))
                message_id = str(uuid.uuid4())
                with fake.lock:
                    fake.accepted.append({**message, "MessageID": message_id})
                return self.answer(200, {"To": message["To"], "SubmittedAt": "2026-11-23T12:00:00Z",
                                         "MessageID": message_id, "ErrorCode": 0, "Message": "OK"})

        return Handler
