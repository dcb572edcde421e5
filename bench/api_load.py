"""Reads through the REST API under concurrent load, from a second process on loopback.

The server is `clientkeep serve` in its own process; the load comes from wrk (Debian's `wrk`
package) when it is installed, else from a small httpx client pool in another process. Each
request reads a random customer for the service purpose with a bearer token.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

WRK_SCRIPT = r"""
local ids = {}
for line in io.lines(os.getenv("BENCH_IDS")) do ids[#ids + 1] = line end
local headers = {["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")}
request = function()
  local id = ids[math.random(#ids)]
  return wrk.format("GET", "/api/v1/customers/" .. id .. "?purpose=service", headers)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"duration_us":%d,"errors":%d,"non2xx":%d,' ..
    '"p50_us":%d,"p95_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: Mapping[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [str(Path(sys.executable).parent / "clientkeep"), "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    server = subprocess.Popen(
        command,
        env={**os.environ, **env, "CLIENTKEEP_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server stopped: {server.stderr.read().decode()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def run_wrk(port: int, token: str, ids: Sequence[str], seconds: int, connections: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        script, id_file = Path(tmp) / "read.lua", Path(tmp) / "ids.txt"
        script.write_text(WRK_SCRIPT)
        id_file.write_text("\n".join(ids) + "\n")
        done = subprocess.run(
            [
                *("wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script)),
                f"http://127.0.0.1:{port}",
            ],
            env={**os.environ, "BENCH_IDS": str(id_file), "BENCH_TOKEN": token},
            capture_output=True,
            text=True,
            check=True,
        )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    raw = json.loads(line.removeprefix("BENCH "))
    return {
        "tool": "wrk",
        "requests": raw["requests"],
        "per_second": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "errors": raw["errors"] + raw["non2xx"],
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
    }


def run_httpx(port: int, token: str, ids: Sequence[str], seconds: int, connections: int) -> dict:
    """The fallback load: one process, ``connections`` threads, each with its own client."""
    code = f"""
import json, random, sys, threading, time, httpx
ids = {list(ids)!r}
latencies, errors = [], [0]
stop = time.perf_counter() + {seconds}
def worker():
    with httpx.Client(base_url="http://127.0.0.1:{port}",
                      headers={{"Authorization": "Bearer {token}"}}) as client:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            path = f"/api/v1/customers/{{random.choice(ids)}}"
            r = client.get(path, params={{"purpose": "service"}})
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors[0] += 1
threads = [threading.Thread(target=worker) for _ in range({connections})]
started = time.perf_counter()
for t in threads: t.start()
for t in threads: t.join()
print(json.dumps({{"n": len(latencies), "s": time.perf_counter() - started,
                  "errors": errors[0], "lat": sorted(latencies)}}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    raw = json.loads(done.stdout)
    lat = raw["lat"] or [0.0]

    def pick(q: float) -> float:
        return round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 3)

    return {
        "tool": "httpx",
        "requests": raw["n"],
        "per_second": round(raw["n"] / raw["s"], 1),
        "errors": raw["errors"],
        "p50_ms": pick(0.5),
        "p95_ms": pick(0.95),
        "p99_ms": pick(0.99),
    }


def api_reads(
    env: Mapping[str, str],
    token: str,
    ids: Sequence[str],
    *,
    seconds: int,
    connections: int,
    workers: int,
) -> dict[str, Any]:
    port = free_port()
    server = start_server(env, port, workers)
    try:
        sample = random.Random(3).sample(list(ids), min(len(ids), 2_000))
        use_wrk = shutil.which("wrk") is not None
        runner = run_wrk if use_wrk else run_httpx
        runner(port, token, sample, 1, connections)  # warm the server's caches and pools
        result = runner(port, token, sample, seconds, connections)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    return {**result, "connections": connections, "server_workers": workers}
