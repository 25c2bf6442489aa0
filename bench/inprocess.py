"""In-process check latency: Rolegate's compiled decisions vs casbin.Enforcer vs a dict.

Every system is first verified against the reference on 1000 checks. Figures are medians of
per-check means over batches of 1000 checks, so timer overhead is amortized.

    python -m bench.inprocess --members 10000
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import casbin

from adapters.decisions import Decisions, Grant, compile_roles
from adapters.policy_files import MODEL_PATH, read_rules
from adapters.vocabulary import (
    PERMISSION_BITS,
    Role,
    grant_domain,
    member_subject,
    org_domain,
    project_domain,
    role_subject,
)

from . import workload


def build_compiled(population):
    decisions = Decisions(compile_roles())
    for member in population:
        decisions.set_member(member.id, member.org,
                             [Grant(Role(role), place) for place, role in member.grants])
    return lambda c: decisions.allowed(c.member, c.org, c.project,
                                       PERMISSION_BITS[f"{c.resource}.{c.action}"])


def write_policy_csv(population, path: Path) -> Path:
    """The same rules as Rolegate's, as one Casbin policy file."""
    with path.open("w") as out:
        for rule in read_rules():
            out.write("p, " + ", ".join(rule.casbin) + "\n")
        for org in range(1, workload.ORGS + 1):
            for index in range(workload.PROJECTS_PER_ORG):
                out.write(f"g2, {project_domain(workload.project_id(org, index))}, "
                          f"{org_domain(org)}\n")
        for m in population:
            for place, role in m.grants:
                out.write(f"g, {member_subject(m.id)}, {role_subject(role)}, "
                          f"{grant_domain(m.org, place)}\n")
    return path


def build_casbin(population):
    """A plain casbin.Enforcer on the same model.conf and rules, loaded as its docs show."""
    with tempfile.TemporaryDirectory() as folder:
        policy = write_policy_csv(population, Path(folder) / "policy.csv")
        enforcer = casbin.Enforcer(str(MODEL_PATH), str(policy))
    return lambda c: enforcer.enforce(member_subject(c.member), org_domain(c.org),
                                      project_domain(c.project), c.resource, c.action)


def build_reference(population):
    reference = workload.Reference(population)
    return lambda c: reference.allowed(c.member, c.org, c.project, f"{c.resource}.{c.action}")


SYSTEMS = {"rolegate_compiled": build_compiled, "casbin_enforcer": build_casbin,
           "reference_dict": build_reference}


def verify(decide, checks) -> None:
    wrong = [c for c in checks if decide(c) != c.allowed]
    if wrong:
        sys.exit(f"wrong answers: {len(wrong)} of {len(checks)}, first {wrong[0]}")


def median_us(decide, checks, batches: int, batch: int = 1000) -> float:
    means = []
    for index in range(batches):
        chunk = [checks[(index * batch + i) % len(checks)] for i in range(batch)]
        start = time.perf_counter()
        for c in chunk:
            decide(c)
        means.append((time.perf_counter() - start) / batch * 1e6)
    return statistics.median(means)


def run(n: int, batches: int, systems=SYSTEMS, check_count: int = 5_000) -> dict:
    """Load, verify on 1000 checks, warm on every check once (timed apart), then time."""
    population = workload.members(n)
    checks = workload.checks(population, workload.Reference(population), check_count)
    figures = {}
    for name, build in systems.items():
        start = time.perf_counter()
        decide = build(population)
        load_s = time.perf_counter() - start
        verify(decide, checks[:1000])
        start = time.perf_counter()
        for check in checks:  # Casbin builds each domain's role manager on first use
            decide(check)
        warm_s = time.perf_counter() - start
        figures[name] = {"load_s": round(load_s, 3), "warm_s": round(warm_s, 3),
                         "check_us_median": round(median_us(decide, checks, batches), 3)}
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=20)
    args = parser.parse_args()
    print(json.dumps({"members": args.members, **run(args.members, args.batches)}, indent=2))


if __name__ == "__main__":
    main()
