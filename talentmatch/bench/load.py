"""Loading one URL for a fixed time with a fixed number of keep-alive connections: wrk when
it is installed, else a Python load generator; both answer requests, requests/s, p50 and p99
in ms, and errors."""

from __future__ import annotations

import http.client
import re
import ssl
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse

_UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text.strip())
    return float(m.group(1)) * _UNIT[m.group(2)] if m else float("nan")


def run_wrk(url: str, duration: int, connections: int, headers: dict[str, str] | None = None,
            *, method: str = "GET") -> dict[str, float]:
    threads = max(1, min(2, connections))
    extra = [arg for k, v in (headers or {}).items() for arg in ("-H", f"{k}: {v}")]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(f'wrk.method = "{method}"\n')
        script.flush()
        out = subprocess.run(
            ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
             "--latency", "--timeout", "5s", "-s", script.name, *extra, url],
            capture_output=True, text=True, timeout=duration + 60, check=True,
        ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {"requests": requests, "rps": rps, "p50_ms": p50, "p99_ms": p99, "errors": errors}


def run_python(url: str, duration: int, connections: int, headers: dict[str, str] | None = None,
               *, method: str = "GET") -> dict[str, float]:
    """The same measurement without wrk: one keep-alive connection per thread."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")

    def connect() -> http.client.HTTPConnection:
        if parts.scheme == "https":  # nginx's self-signed certificate: load, not trust
            return http.client.HTTPSConnection(parts.hostname, parts.port, timeout=5,
                                               context=ssl._create_unverified_context())  # noqa: S323
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)

    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.perf_counter() + duration

    def worker(i: int) -> None:
        conn = connect()
        while time.perf_counter() < stop_at:
            t = time.perf_counter()
            try:
                conn.request(method, path, headers=headers or {})
                resp = conn.getresponse()
                resp.read()
                if resp.status >= 400:
                    errors[i] += 1
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = connect()
                continue
            latencies[i].append((time.perf_counter() - t) * 1000)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    flat = sorted(x for lat in latencies for x in lat)
    if not flat:
        return {"requests": 0, "rps": 0.0, "p50_ms": float("nan"), "p99_ms": float("nan"),
                "errors": sum(errors)}
    return {"requests": len(flat), "rps": len(flat) / elapsed, "p50_ms": statistics.median(flat),
            "p99_ms": flat[min(len(flat) - 1, int(0.99 * len(flat)))], "errors": sum(errors)}
