"""Debian's nginx in front of gunicorn, as production runs it (deploy/nginx), on 127.0.0.1.

The configuration is rendered from the deploy template into a folder of its own (free
ports, a self-signed certificate for localhost, the cache, the fingerprinted static files,
logs, pid and temp files), so nothing outside that folder is touched and no root-owned path
is needed. Used by `flask bench http` and by the deploy tests.
"""

from __future__ import annotations

import contextlib
import http.client
import importlib.util
import os
import signal
import socket
import ssl
import subprocess
import time
from pathlib import Path

from talentmatch.config import ROOT

NGINX = "/usr/sbin/nginx"
RENDER = ROOT / "deploy" / "nginx" / "render.py"
SERVER_NAME = "localhost"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _render_module():
    spec = importlib.util.spec_from_file_location("talentmatch_deploy_render", RENDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def self_signed(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "localhost.pem", folder / "localhost.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", f"/CN={SERVER_NAME}", "-addext", f"subjectAltName=DNS:{SERVER_NAME}",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True)
    return cert, key


class Nginx:
    """nginx (master + 2 workers) with the rendered deploy configuration; stop() always."""

    def __init__(self, folder: Path, upstream_port: int, public_dir: Path) -> None:
        self.folder = folder
        self.http_port, self.https_port = free_port(), free_port()
        cert, key = self_signed(folder)
        self.cafile = cert
        site = _render_module().render({
            "SERVER_NAME": SERVER_NAME,
            "HTTP_LISTEN": f"127.0.0.1:{self.http_port}",
            "HTTPS_LISTEN": f"127.0.0.1:{self.https_port}",
            "TLS_CERTIFICATE": str(cert), "TLS_CERTIFICATE_KEY": str(key),
            "UPSTREAM": f"127.0.0.1:{upstream_port}",
            "PUBLIC_DIR": str(public_dir), "CACHE_DIR": str(folder / "cache"),
        })
        (folder / "talentmatch.conf").write_text(site, encoding="utf-8")
        temp = {name: folder / f"{name}_temp" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
        for path in temp.values():
            path.mkdir(exist_ok=True)
        # Run as root (CI), the workers would switch to nobody and could not read this folder.
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}daemon off;\nworker_processes 2;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} warn;\n"
            "events { worker_connections 1024; }\n"
            "http {\n"
            "  include /etc/nginx/mime.types;\n  default_type application/octet-stream;\n"
            "  access_log off;\n  sendfile on;\n  tcp_nopush on;\n"
            + "".join(f"  {name}_temp_path {path};\n" for name, path in temp.items())
            + f"  include {folder / 'talentmatch.conf'};\n}}\n",
            encoding="utf-8")
        subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf")],
                       check=True, capture_output=True)
        self.proc = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf")],
            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._wait()

    @property
    def base(self) -> str:
        return f"https://{SERVER_NAME}:{self.https_port}"

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cafile))

    def connection(self, timeout: float = 10) -> http.client.HTTPSConnection:
        # localhost resolves to 127.0.0.1 here; the certificate names localhost.
        return http.client.HTTPSConnection(SERVER_NAME, self.https_port, timeout=timeout,
                                           context=self.context())

    def _wait(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
                raise RuntimeError(f"nginx exited: {err[-2000:]}")
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            time.sleep(0.1)
        raise RuntimeError("nginx did not listen in time")

    def stop(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGQUIT)  # graceful: workers finish, then exit
                self.proc.wait(15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
