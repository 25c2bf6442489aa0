"""Consistency figures at 10k and 100k members on PostgreSQL, with real gunicorn hosts.

    python -m bench.consistency --members 10000 100000 --database postgresql+psycopg://...

- change_ms: one access change end to end (HTTP PUT on host A until its response)
- apply_us: the enforcer work of applying that change in a running worker (in-process)
- propagation_ms: from that response until a minimize_latency check on host B reflects it
- fresh_check_ms / minimize_latency_check_ms: single HTTP checks on host B, median and p99
- startup: one worker's load time and RSS (python -m bench.startup)
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from service import create_app
from service.engine import current_engine
from service.extensions import db
from tests.servers import Gunicorn, request

from . import machine, seed, workload

SECRET = "bench-secret-" + "z" * 40


def owner_token(database_uri: str) -> str:
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "AUTH_JWT_SECRET": SECRET})
    from service import tokens

    with app.app_context():
        return tokens.mint(seed.owner_email(1), 3600)


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"median": round(statistics.median(ordered), 3),
            "p99": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 3),
            "n": len(ordered)}


def timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure_apply_us(database_uri: str, member: workload.Member, rounds: int = 50) -> dict:
    """In-process: the engine work of applying one member's change (DB read excluded)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "AUTH_JWT_SECRET": SECRET})
    from adapters.decisions import Grant
    from adapters.vocabulary import Role

    with app.app_context():
        state = current_engine().fresh(db.session)
        grants = [Grant(Role(role), place) for place, role in member.grants]
        samples = []
        for _ in range(rounds):
            start = time.perf_counter()
            state.decisions.set_member(member.id, member.org, grants)
            samples.append((time.perf_counter() - start) * 1e6)
    return percentiles(samples)


def run(n: int, database_uri: str, rounds: int) -> dict:
    population = workload.members(n)
    started = time.perf_counter()
    seed.seed(database_uri, population)
    seeded_s = time.perf_counter() - started
    startup = json.loads(subprocess.run(
        [sys.executable, "-m", "bench.startup", database_uri], check=True,
        capture_output=True, text=True).stdout)
    owner = {"Authorization": f"Bearer {owner_token(database_uri)}"}
    key = {"Authorization": f"Bearer {seed.BENCH_KEY}"}
    rng = random.Random(1)
    subjects = [m for m in population if m.org == 1][:rounds]
    logs = Path(tempfile.mkdtemp())
    host_a = Gunicorn(database_uri, 2, logs, SECRET)
    host_b = Gunicorn(database_uri, 2, logs, SECRET, CHECK_MAX_STALENESS_SECONDS=1.0)
    try:
        for _ in range(8):  # load every worker before timing anything
            for host in (host_a, host_b):
                request(host.port, "GET", "/readyz")
        change_ms, propagation_ms = [], []
        for member in subjects:
            check = {"member": seed.email(member), "org": "org1", "project": "p0",
                     "resource": "vouchers", "action": "write",
                     "consistency": "minimize_latency"}
            for access_role in ("owner", "viewer"):
                access = [{"scope": "project", "project": "p0", "role": access_role}]
                expected = access_role == "owner"
                url = f"/v1/orgs/org1/members/{member.id}/access"
                change_ms.append(timed(lambda u=url, a=access: request(
                    host_a.port, "PUT", u, {"access": a}, owner)))
                changed = time.perf_counter()
                while request(host_b.port, "POST", "/v1/check", check, key)[1]["allowed"] \
                        != expected:
                    if time.perf_counter() - changed > 5:
                        raise RuntimeError("change never arrived")
                propagation_ms.append((time.perf_counter() - changed) * 1000)
        checks = [{"member": seed.email(m), "org": f"org{m.org}",
                   "project": f"p{rng.randrange(workload.PROJECTS_PER_ORG)}",
                   "resource": "users", "action": "read"} for m in rng.sample(population, 500)]
        fresh = [timed(lambda c=c: request(host_b.port, "POST", "/v1/check", c, key))
                 for c in checks]
        lazy = [timed(lambda c=c: request(host_b.port, "POST", "/v1/check",
                                          {**c, "consistency": "minimize_latency"}, key))
                for c in checks]
        worker_rss = [round(machine.rss_mb(pid), 1) for pid in host_b.worker_pids()]
    finally:
        host_a.stop()
        host_b.stop()
    return {"members": n, "seed_s": round(seeded_s, 1), "startup": startup,
            "change_ms": percentiles(change_ms), "propagation_ms": percentiles(propagation_ms),
            "apply_us": measure_apply_us(database_uri, subjects[0]),
            "fresh_check_ms": percentiles(fresh), "minimize_latency_check_ms": percentiles(lazy),
            "worker_rss_mb_after": worker_rss}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", required=True)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    result = {"machine": machine.describe(),
              "runs": [run(n, args.database, args.rounds) for n in args.members]}
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
