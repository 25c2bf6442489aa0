"""Soak: 4 gunicorn workers on PostgreSQL, mixed traffic at a fixed rate for minutes.

    python -m bench.soak --minutes 10 --rate 150

95% fresh checks, 5% access edits and invitations (through a real SMTP server on loopback).
Reports 5xx (must be 0), stale fresh checks (answered below the revision the database had
when the check was sent; must be 0), worker RSS over time (growth after warm-up must stay
under 10%) and latency percentiles. Writes bench/results/soak.json.
"""

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from tests.servers import Gunicorn, free_port, request

from . import machine, seed, workload
from .run import DATABASE
from .systems import SECRET

RESULTS = Path(__file__).resolve().parent / "results"


class Sink:
    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        return "250 OK"


def owner_header(database_uri: str) -> dict:
    from service import create_app, tokens

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "AUTH_JWT_SECRET": SECRET})
    with app.app_context():
        return {"Authorization": f"Bearer {tokens.mint(seed.owner_email(1), 24 * 3600)}"}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--rate", type=float, default=150, help="requests per second")
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    population = workload.members(args.members)
    seed.seed(DATABASE, population)
    org1 = [m for m in population if m.org == 1]
    smtp = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    server = Gunicorn(DATABASE, 4, Path(tempfile.mkdtemp()), SECRET,
                      MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                      INVITATIONS_PER_ORG="1000000/day")
    key = {"Authorization": f"Bearer {seed.BENCH_KEY}"}
    owner = owner_header(DATABASE)
    dsn = make_url(DATABASE).set(drivername="postgresql").render_as_string(hide_password=False)
    lock, stats = threading.Lock(), {"latency_ms": [], "status": {}, "stale": 0, "errors": 0,
                                     "checks": 0, "writes": 0}
    rss, stop_at = [], time.monotonic() + args.minutes * 60
    interval, next_at = 1 / args.rate, [time.monotonic()]

    def ticket() -> bool:
        with lock:
            start = next_at[0] = next_at[0] + interval
        delay = start - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        return time.monotonic() < stop_at

    def client(index):
        rng = random.Random(index)
        with psycopg.connect(dsn, autocommit=True) as connection:
            while ticket():
                roll = rng.random()
                started = time.perf_counter()
                try:
                    if roll < 0.95:
                        member = rng.choice(population)
                        body = {"member": seed.email(member), "org": f"org{member.org}",
                                "project": f"p{rng.randrange(workload.PROJECTS_PER_ORG)}",
                                "resource": rng.choice(workload.RESOURCES), "action": "read"}
                        newest = connection.execute(
                            "SELECT revision FROM policy_revision").fetchone()[0]
                        status, answer, _ = request(server.port, "POST", "/v1/check", body, key)
                        stale = status == 200 and answer["revision"] < newest
                        kind = "checks"
                    elif roll < 0.985:
                        member = rng.choice(org1)
                        role = rng.choice(["viewer", "support", "owner"])
                        status, _, _ = request(
                            server.port, "PUT", f"/v1/orgs/org1/members/{member.id}/access",
                            {"access": [{"scope": "project", "project": "p1", "role": role}]},
                            owner)
                        stale, kind = False, "writes"
                    else:
                        email = f"soak{index}-{rng.randrange(10**9)}@new.test"
                        status, _, _ = request(server.port, "POST", "/v1/orgs/org1/invitations",
                                               {"email": email, "role": "viewer"}, owner)
                        stale, kind = False, "writes"
                except OSError:
                    with lock:
                        stats["errors"] += 1
                    continue
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    stats["latency_ms"].append(elapsed)
                    stats["status"][status] = stats["status"].get(status, 0) + 1
                    stats["stale"] += stale
                    stats[kind] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    while any(thread.is_alive() for thread in threads):
        rss.append({"t": round(time.monotonic() - (stop_at - args.minutes * 60), 1),
                    "rss_mb": [round(machine.rss_mb(pid), 1) for pid in server.worker_pids()]})
        time.sleep(10)
    server.stop()
    smtp.stop()
    latencies = sorted(stats.pop("latency_ms"))
    warm = rss[min(3, len(rss) - 1)]["rss_mb"]  # after 30 s of traffic
    last = rss[-1]["rss_mb"]
    growth = max((b - a) / a for a, b in zip(warm, last, strict=False)) if warm else None
    result = {"machine": machine.describe(), "minutes": args.minutes, "rate": args.rate,
              "members": args.members, **stats,
              "requests": len(latencies),
              "achieved_rate": round(len(latencies) / (args.minutes * 60), 1),
              "server_errors_5xx": sum(n for s, n in stats["status"].items() if s >= 500),
              "p50_ms": round(statistics.median(latencies), 2),
              "p99_ms": round(latencies[int(len(latencies) * 0.99)], 2),
              "rss_growth_after_warmup": round(growth, 4) if growth is not None else None,
              "rss_samples": rss}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "soak.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: v for k, v in result.items() if k != "rss_samples"}, indent=2))


if __name__ == "__main__":
    main()
