"""A local stand-in for SendGrid's v3 mail/send endpoint, driven through the real library.

``http.server`` in a thread on 127.0.0.1. Each request gets the next scripted ``Reply`` (or
the answer of ``decide(n, body)`` when set, else 202). The server records every request body
and the outbox ids (``custom_args.outbox_id``) of the requests it accepted, so tests can count
what was delivered: an id accepted twice is a duplicate, an id never accepted is lost.
A delayed or held reply answers with its own status afterwards; if that status is not 2xx,
the request counts as not accepted (a timed-out client then retries safely).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 202
    body: dict | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a timeout for a client with a shorter one)
    hold: threading.Event | None = None  # answer only once this is set (or after 30 s)
    drop: bool = False  # close the connection without any answer (a network error)


def rate_limited(seconds: float = 1.0) -> Reply:
    return Reply(429, {"errors": [{"message": "too many requests"}]},
                 {"X-RateLimit-Reset": str(int(time.time() + seconds))})


def bad_request(message: str = "The to email does not contain a valid address.",
                field: str = "personalizations.0.to.0.email") -> Reply:
    return Reply(400, {"errors": [{"message": message, "field": field, "help": None}]})


@dataclass
class Seen:
    n: int
    body: dict
    headers: dict[str, str]
    status: int = 0
    at: float = field(default_factory=time.monotonic)
    answered: float = 0.0

    @property
    def ids(self) -> list[int]:
        return [int(p["custom_args"]["outbox_id"]) for p in self.body.get("personalizations", [])]


class FakeSendGrid:
    def __init__(self) -> None:
        self.script: deque[Reply] = deque()
        self.decide: Callable[[int, dict], Reply | None] | None = None
        self.requests: list[Seen] = []
        self.accepted = Counter()  # outbox id -> times accepted
        self.statuses = Counter()
        self.lock = threading.Lock()
        self.held = threading.Event()  # set when a request is being held
        self._server: ThreadingHTTPServer | None = None

    # --- control -------------------------------------------------------------------------------

    def start(self) -> FakeSendGrid:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                fake._handle(self)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def push(self, *replies: Reply) -> None:
        self.script.extend(replies)

    def duplicates(self) -> dict[int, int]:
        return {k: v for k, v in self.accepted.items() if v > 1}

    # --- serving -------------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        with self.lock:
            seen = Seen(len(self.requests), body, dict(handler.headers.items()))
            self.requests.append(seen)
            reply = self.decide(seen.n, body) if self.decide else None
            if reply is None:
                reply = self.script.popleft() if self.script else Reply(202)
        if handler.path != "/v3/mail/send":
            reply = Reply(404, {"errors": [{"message": "not found"}]})
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hold is not None:
            self.held.set()
            reply.hold.wait(30)
        if reply.drop:
            with self.lock:
                self.statuses["dropped"] += 1
            handler.close_connection = True
            return
        with self.lock:
            seen.status = reply.status
            seen.answered = time.monotonic()
            self.statuses[reply.status] += 1
            if 200 <= reply.status < 300:
                self.accepted.update(seen.ids)
        payload = b""
        if reply.body is not None:
            payload = (json.dumps(reply.body) if isinstance(reply.body, dict) else reply.body).encode()
        try:
            handler.send_response(reply.status)
            for name, value in reply.headers.items():
                handler.send_header(name, value)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(payload)))
            handler.end_headers()
            handler.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout) or was killed
