"""The side-by-side benchmark: Rolegate, plain pycasbin, Cerbos and a dict, in one sitting.

    python -m bench.run --quick            # N = 10k, one round
    python -m bench.run                    # N = 10k, 100k (HTTP) and 1M (in-process), 3 rounds

Writes bench/results/latest.json and regenerates bench/RESULTS.md (see bench/README.md).
"""

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tests.servers import request

from . import inprocess, load, machine, report, seed, systems, workload

RESULTS = Path(__file__).resolve().parent / "results"
DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/rolegate_bench"


def member_batches(population, count: int, size: int, seed_value: int = 13):
    """Batches of `size` checks of one member each (Cerbos takes one principal per request)."""
    rng = random.Random(seed_value)
    batches = []
    for _ in range(count):
        member = rng.choice(population)
        batch = []
        for _ in range(size):
            index = rng.randrange(workload.PROJECTS_PER_ORG)
            place = rng.choice(member.grants)[0] if rng.random() < 0.5 else None
            project = place or workload.project_id(member.org, index)
            resource, action = rng.choice(workload.RESOURCES), rng.choice(("read", "write"))
            batch.append(workload.Check(member.id, member.org, project, resource, action, False))
        batches.append(batch)
    return batches


def verify_http(name, port, path, bodies, headers, expected, read) -> None:
    wrong = 0
    for body, want in zip(bodies, expected, strict=True):
        status, answer, _ = request(port, "POST", path, body, headers)
        if status != 200 or read(answer) != want:
            wrong += 1
    if wrong:
        sys.exit(f"{name}: {wrong} wrong answers of {len(bodies)} over HTTP")


def http_figures(population, rounds: int, seconds: int) -> tuple[dict, dict]:
    by_id = {member.id: member for member in population}
    reference = workload.Reference(population)
    singles = workload.checks(population, reference, 2000, seed=21)
    batches = member_batches(population, 200, 100)
    key = {"Authorization": f"Bearer {seed.BENCH_KEY}"}
    started = time.perf_counter()
    rolegate = systems.rolegate(DATABASE)
    rolegate_ready = time.perf_counter() - started
    casbin_app, cerbos = systems.CasbinFlask(population), systems.Cerbos()
    try:
        rg_single = [systems.rolegate_body(c, by_id) for c in singles]
        verify_http("rolegate", rolegate.port, "/v1/check", rg_single[:1000], key,
                    [c.allowed for c in singles[:1000]], lambda a: a["allowed"])
        cb_single = [systems.casbin_body(c) for c in singles]
        verify_http("casbin", casbin_app.port, "/check", cb_single[:1000], {},
                    [c.allowed for c in singles[:1000]], lambda a: a["allowed"])
        cerbos_single = [systems.cerbos_body([c], by_id) for c in singles]
        verify_http("cerbos", cerbos.port, "/api/check/resources", cerbos_single[:1000], {},
                    [[c.allowed] for c in singles[:1000]], systems.cerbos_allowed)
        rolegate_pids = lambda: [rolegate.process.pid, *rolegate.worker_pids()]  # noqa: E731
        targets = [
            load.Target("rolegate_fresh_single", f"http://127.0.0.1:{rolegate.port}/v1/check",
                        rg_single, key, 1, rolegate_pids),
            load.Target("casbin_single", f"http://127.0.0.1:{casbin_app.port}/check",
                        cb_single, {}, 1, casbin_app.pids),
            load.Target("cerbos_single", f"http://127.0.0.1:{cerbos.port}/api/check/resources",
                        cerbos_single, {}, 1, cerbos.pids),
            load.Target("rolegate_minimize_latency_single",
                        f"http://127.0.0.1:{rolegate.port}/v1/check",
                        [{**body, "consistency": "minimize_latency"} for body in rg_single],
                        key, 1, rolegate_pids),
            load.Target("rolegate_fresh_batch100",
                        f"http://127.0.0.1:{rolegate.port}/v1/check/batch",
                        [{"checks": [systems.rolegate_body(c, by_id) for c in batch]}
                         for batch in batches], key, 100, rolegate_pids),
            load.Target("casbin_batch100", f"http://127.0.0.1:{casbin_app.port}/check/batch",
                        [{"checks": [systems.casbin_body(c) for c in batch]}
                         for batch in batches], {}, 100, casbin_app.pids),
            load.Target("cerbos_batch100",
                        f"http://127.0.0.1:{cerbos.port}/api/check/resources",
                        [systems.cerbos_body(batch, by_id) for batch in batches], {}, 100,
                        cerbos.pids),
        ]
        runs = {target.name: [] for target in targets}
        for _ in range(rounds):  # A B A B: every system once per round
            for target in targets:
                runs[target.name].append(load.run_wrk(target, seconds))
        memory = {
            "rolegate_workers_rss_mb": [machine.rss_mb(pid) for pid in rolegate.worker_pids()],
            "casbin_workers_rss_mb": [machine.rss_mb(pid) for pid in casbin_app.pids()[1:]],
            "cerbos_rss_mb": [machine.rss_mb(cerbos.process.pid)]}
        ready = {"rolegate_gunicorn_s": round(rolegate_ready, 2),
                 "casbin_gunicorn_s": round(casbin_app.ready_s, 2),
                 "cerbos_s": round(cerbos.ready_s, 2)}
    finally:
        for server in (rolegate, casbin_app, cerbos):
            server.stop()
    return {name: _medians(results) for name, results in runs.items()}, {**memory, **ready}


def _medians(results: list[dict]) -> dict:
    numeric = [key for key, value in results[0].items() if isinstance(value, int | float)]
    summary = {key: round(statistics.median(r[key] for r in results), 3) for key in numeric}
    summary["rounds"] = results
    return summary


def startup(database_uri: str) -> dict:
    return json.loads(subprocess.run([sys.executable, "-m", "bench.startup", database_uri],
                                     check=True, capture_output=True, text=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--members", type=int, nargs="+")
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--casbin-1m", action="store_true",
                        help="also time plain pycasbin in-process at 1M (slow: ~15 min)")
    args = parser.parse_args()
    sizes = args.members or ([10_000] if args.quick else [10_000, 100_000, 1_000_000])
    rounds, seconds = (1, 5) if args.quick else (3, 10)
    seconds = args.seconds or seconds
    result = {"machine": machine.describe(), "quick": args.quick, "rounds": rounds,
              "wrk": {"connections": 16, "threads": 2, "seconds": seconds},
              "gunicorn_workers": 4, "sizes": {}}
    for n in sizes:
        print(f"N={n}: in-process", file=sys.stderr)
        systems_here = dict(inprocess.SYSTEMS)
        if n >= 1_000_000 and not args.casbin_1m:
            systems_here.pop("casbin_enforcer")
        figures = {"in_process": inprocess.run(n, 20 if n < 1_000_000 else 10, systems_here)}
        population = workload.members(n)
        print(f"N={n}: seeding PostgreSQL", file=sys.stderr)
        seed.seed(DATABASE, population)
        figures["rolegate_worker_startup"] = startup(DATABASE)
        if n <= 100_000:
            print(f"N={n}: HTTP", file=sys.stderr)
            figures["http"], figures["servers"] = http_figures(population, rounds, seconds)
        result["sizes"][str(n)] = figures
        RESULTS.mkdir(exist_ok=True)  # after every size: a long run that dies keeps its data
        (RESULTS / "latest.json").write_text(json.dumps(result, indent=2) + "\n")
        report.write(result)
    print(json.dumps({"written": str(RESULTS / "latest.json")}))


if __name__ == "__main__":
    main()
