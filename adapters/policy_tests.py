"""Run policy/tests.yaml against Casbin itself and against the compiled decisions, no database."""

from dataclasses import dataclass
from pathlib import Path

import casbin
import yaml

from .decisions import Decisions, Grant, compile_roles
from .policy_files import MODEL_PATH, POLICY_DIR, PolicyError, read_rules
from .vocabulary import (
    PERMISSION_BITS,
    PERMISSIONS,
    Role,
    Scope,
    grant_domain,
    member_subject,
    org_domain,
    project_domain,
    role_subject,
)

# The table's world: one member in org "acme" (id 1) with projects "web" (1) and "mobile" (2).
ORG_ID, MEMBER_ID = 1, 1
PROJECTS = {"web": 1, "mobile": 2}


@dataclass(frozen=True)
class Failure:
    case: str
    permission: str
    expected: bool
    engine: str  # "casbin" or "compiled"

    def __str__(self):
        verdict = "allow" if self.expected else "deny"
        return f"{self.case}: expected {verdict} {self.permission}, {self.engine} disagreed"


def load_cases(policy_dir: Path = POLICY_DIR) -> list[dict]:
    with (Path(policy_dir) / "tests.yaml").open() as file:
        return yaml.safe_load(file)["cases"]


def parse_grant(text: str) -> Grant:
    """'org viewer' or 'project web support'."""
    words = text.split()
    if words[0] == "org" and len(words) == 2:
        return Grant(Role(words[1]))
    if words[0] == "project" and len(words) == 3 and words[1] in PROJECTS:
        return Grant(Role(words[2]), PROJECTS[words[1]])
    raise PolicyError(f"tests.yaml: cannot read grant {text!r}")


def run(policy_dir: Path = POLICY_DIR) -> list[Failure | str]:
    """Return every failure and every gap in coverage; an empty list means the policy passes."""
    policy_dir = Path(policy_dir)
    cases = load_cases(policy_dir)
    rules = read_rules(policy_dir)
    table = compile_roles(policy_dir)
    problems: list[Failure | str] = list(coverage_gaps(cases))
    for case in cases:
        grants = [parse_grant(text) for text in case["grants"]]
        problems += _check_case(case, grants, _casbin(rules, grants), table)
    return problems


def _check_case(case, grants, enforcer, table) -> list:
    allow, deny = set(case.get("allow", [])), set(case.get("deny", []))
    unknown = (allow | deny) - set(PERMISSIONS)
    if unknown or allow & deny or allow | deny != set(PERMISSIONS):
        return [f"{case['name']}: allow and deny must list all {len(PERMISSIONS)} permissions "
                f"once each (unknown: {sorted(unknown)}, both: {sorted(allow & deny)})"]
    where = case["check"]
    project_id = None if where == "org" else PROJECTS[where]
    decisions = Decisions(table)
    decisions.set_member(MEMBER_ID, ORG_ID, grants)
    checked = org_domain(ORG_ID) if project_id is None else project_domain(project_id)
    failures = []
    for permission in PERMISSIONS:
        expected = permission in allow
        resource, action = permission.split(".")
        if enforcer.enforce(member_subject(MEMBER_ID), org_domain(ORG_ID), checked,
                            resource, action) != expected:
            failures.append(Failure(case["name"], permission, expected, "casbin"))
        bit = PERMISSION_BITS[permission]
        if decisions.allowed(MEMBER_ID, ORG_ID, project_id, bit) != expected:
            failures.append(Failure(case["name"], permission, expected, "compiled"))
    return failures


def _casbin(rules, grants: list[Grant]) -> casbin.Enforcer:
    enforcer = casbin.Enforcer(str(MODEL_PATH))
    enforcer.enable_auto_save(False)
    enforcer.add_policies([rule.casbin for rule in rules])
    for project_id in PROJECTS.values():
        enforcer.add_named_grouping_policy("g2", project_domain(project_id), org_domain(ORG_ID))
    for grant in grants:
        enforcer.add_grouping_policy(member_subject(MEMBER_ID), role_subject(grant.role),
                                     grant_domain(ORG_ID, grant.project_id))
    return enforcer


def coverage_gaps(cases: list[dict]):
    """Yield each (role, grant scope, place checked) that no single-grant case covers."""
    covered = set()
    for case in cases:
        if len(case["grants"]) == 1:
            grant = parse_grant(case["grants"][0])
            place = case["check"]
            relation = ("org" if place == "org" else
                        "granted project" if PROJECTS[place] == grant.project_id else
                        "project" if grant.project_id is None else "other project")
            covered.add((grant.role, grant.scope, relation))
    places = {Scope.ORG: ("org", "project"),
              Scope.PROJECT: ("org", "granted project", "other project")}
    for role in Role:
        for scope, relations in places.items():
            for relation in relations:
                if (role, scope, relation) not in covered:
                    yield f"tests.yaml: no case for a {scope} {role} checked at the {relation}"
