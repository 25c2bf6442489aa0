"""HTTP load with wrk: fixed concurrency, pre-generated bodies, server CPU measured aside."""

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


@dataclass
class Target:
    name: str
    url: str
    bodies: list[dict]
    headers: dict
    checks_per_request: int
    pids: callable  # -> server pids whose CPU time counts


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        total += (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks
    return total


def run_wrk(target: Target, seconds: int, connections: int = 16, threads: int = 2) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write("\n".join(json.dumps(body) for body in target.bodies) + "\n")
        bodies = file.name
    headers = []
    for name, value in {"Content-Type": "application/json", **target.headers}.items():
        headers += ["-H", f"{name}: {value}"]
    before = cpu_seconds(target.pids())
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
         "-s", str(HERE / "wrk" / "bodies.lua"), *headers, target.url, "--", bodies],
        check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(target.pids()) - before
    Path(bodies).unlink()
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests_per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "checks_per_s": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
                              * target.checks_per_request, 1),
        "p50_ms": _latency(output, "50%"), "p99_ms": _latency(output, "99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "server_cpu_ms_per_request": round(cpu * 1000 / requests, 3) if requests else None,
    }


def _latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return round(float(value) * UNITS[unit], 3)
