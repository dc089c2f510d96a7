"""gunicorn for the HTTP benchmarks (`flask bench http`, `flask bench soak`) and the deploy
tests: sync workers on 127.0.0.1 at a free port, in a process group of their own, always
stopped by stop()."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from talentmatch.config import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with sync workers in its own process group, stopped by stop()."""

    def __init__(self, uri: str, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        env = dict(os.environ, TALENTMATCH_DATABASE_URL=uri, TALENTMATCH_ENV="development",
                   TALENTMATCH_DEBUG="0", PYTHONDONTWRITEBYTECODE="1",
                   TALENTMATCH_WARM_INDEXES="1", **(env or {}))
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.proc = subprocess.Popen(
            [gunicorn, "--workers", str(workers), "--worker-class", "sync", "--preload",
             "--limit-request-line", "8190", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=str(ROOT), env=env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"gunicorn exited: {err[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
