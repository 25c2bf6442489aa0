"""Read the permission rules in policy/*.csv, refusing any file a reviewer could misread."""

import csv
from dataclasses import dataclass
from pathlib import Path

from .vocabulary import RESOURCES, Action, Role, resource_scope, role_of_subject

POLICY_DIR = Path(__file__).resolve().parent.parent / "policy"
MODEL_PATH = POLICY_DIR.parent / "model.conf"


class PolicyError(Exception):
    """The policy cannot be trusted; every decision must be a denial."""


@dataclass(frozen=True)
class Rule:
    role: Role
    resource: str
    action: Action
    scope: str
    comment: str
    source: str  # "viewer.csv:14"

    @property
    def casbin(self) -> list[str]:
        return [f"role:{self.role}", self.resource, self.action.value, self.scope]


def read_rules(policy_dir: Path = POLICY_DIR) -> list[Rule]:
    """Return every permission rule of policy_dir; raise PolicyError on anything doubtful."""
    files = sorted(Path(policy_dir).glob("*.csv"))
    if not files:
        raise PolicyError(f"no policy files in {policy_dir}")
    rules = [rule for path in files for rule in _read_file(path)]
    seen = set()
    for rule in rules:
        key = (rule.role, rule.resource, rule.action)
        if key in seen:
            raise PolicyError(f"{rule.source}: duplicate rule {rule.casbin}")
        seen.add(key)
    return rules


def _read_file(path: Path) -> list[Rule]:
    rules, comment = [], ""
    with path.open(newline="") as lines:
        for number, line in enumerate(lines, start=1):
            text = line.strip()
            if not text:
                comment = ""
            elif text.startswith("#"):
                comment = text.lstrip("# ").strip()
            else:
                source = f"{path.name}:{number}"
                if not comment:
                    raise PolicyError(f"{source}: a rule needs a comment line above it")
                fields = next(csv.reader([text], skipinitialspace=True))
                rules.append(_parse(fields, comment, source))
                comment = ""
    return rules


def _parse(fields: list[str], comment: str, source: str) -> Rule:
    fields = [field.strip() for field in fields]
    if len(fields) != 5 or fields[0] != "p":
        raise PolicyError(f"{source}: expected 'p, role:<name>, resource, action, scope'")
    _, subject, resource, action, scope = fields
    try:
        role, action = role_of_subject(subject), Action(action)
    except ValueError as error:
        raise PolicyError(f"{source}: {error}") from None
    if resource not in RESOURCES:
        raise PolicyError(f"{source}: unknown resource {resource!r}")
    expected_scope = resource_scope(resource)
    if scope != expected_scope:
        raise PolicyError(f"{source}: {resource} is {expected_scope}-scoped, not {scope!r}")
    return Rule(role, resource, action, scope, comment, source)

