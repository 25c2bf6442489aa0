"""Start each system under test on loopback, and the bodies each one is asked."""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.servers import ROOT, Gunicorn, child_pids, free_port, wait_answering

from . import seed, workload
from .inprocess import write_policy_csv

CERBOS = ROOT / "bench/.peers/node_modules/@cerbos/cerbos-linux-x64/cerbos-linux-x64"
CERBOS_DIR = ROOT / "bench/peers/cerbos"
SECRET = "bench-secret-" + "z" * 40


def rolegate(database_uri: str, workers: int = 4) -> Gunicorn:
    return Gunicorn(database_uri, workers, Path(tempfile.mkdtemp()), SECRET)


class CasbinFlask:
    """bench.peers.casbin_app under the same gunicorn settings as Rolegate."""

    def __init__(self, population, workers: int = 4):
        self.policy = write_policy_csv(population, Path(tempfile.mkdtemp()) / "policy.csv")
        self.port = free_port()
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers),
             "--bind", f"127.0.0.1:{self.port}", "bench.peers.casbin_app:app"],
            cwd=ROOT, env={**os.environ, "CASBIN_POLICY": str(self.policy)},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_answering(self.process, self.port, "/healthz")
        self.ready_s = time.perf_counter() - started

    def pids(self) -> list[int]:
        return [self.process.pid, *child_pids(self.process.pid)]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


class Cerbos:
    def __init__(self):
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [str(CERBOS), "server", "--config=config.yaml"], cwd=CERBOS_DIR,
            env={**os.environ, "CERBOS_NO_TELEMETRY": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.port = 3592
        wait_answering(self.process, self.port, "/_cerbos/health")
        self.ready_s = time.perf_counter() - started

    def pids(self) -> list[int]:
        return [self.process.pid]

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


# Bodies: the same checks in each system's own words.
def rolegate_body(check: workload.Check, population_by_id) -> dict:
    member = population_by_id[check.member]
    return {"member": seed.email(member), "org": f"org{check.org}",
            "project": f"p{(check.project - 1) % workload.PROJECTS_PER_ORG}",
            "resource": check.resource, "action": check.action}


def casbin_body(check: workload.Check) -> dict:
    return {"member": check.member, "org": check.org, "project": check.project,
            "resource": check.resource, "action": check.action}


def cerbos_resource(check: workload.Check, population_by_id) -> dict:
    grants = population_by_id[check.member].grants
    roles = sorted({role for place, role in grants if place in (None, check.project)})
    org_roles = sorted({role for place, role in grants if place is None})
    return {"actions": [f"{check.resource}:{check.action}"],
            "resource": {"kind": "project", "id": str(check.project),
                         "attr": {"roles": roles, "org_roles": org_roles}}}


def cerbos_body(checks: list[workload.Check], population_by_id) -> dict:
    """One principal per request (Cerbos's shape), so a batch is one member's checks."""
    return {"requestId": "bench", "principal": {"id": str(checks[0].member), "roles": ["member"]},
            "resources": [cerbos_resource(check, population_by_id) for check in checks]}


def cerbos_allowed(response: dict) -> list[bool]:
    return [next(iter(result["actions"].values())) == "EFFECT_ALLOW"
            for result in response["results"]]
