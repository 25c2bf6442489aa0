"""The policy files: only vocabulary names, a comment on every rule, and broken copies refused."""

import re
import shutil

import pytest

from adapters import policy_tests
from adapters.policy_files import POLICY_DIR, PolicyError, read_rules
from adapters.vocabulary import PERMISSIONS, RESOURCES, Action, Role


def test_every_name_in_the_policy_is_in_the_vocabulary():
    names = set(RESOURCES) | {action.value for action in Action} | {"org", "project", "p"}
    names |= {f"role:{role.value}" for role in Role}
    for path in POLICY_DIR.glob("*.csv"):
        for line in path.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                tokens = {token.strip() for token in line.split(",")}
                assert tokens <= names, f"{path.name}: unknown {tokens - names}"
    tests = (POLICY_DIR / "tests.yaml").read_text()
    for permission in re.findall(r"\b[a-z_]+\.(?:read|write)\b", tests):
        assert permission in PERMISSIONS


def test_reads_one_rule_per_permission_granted():
    rules = read_rules()
    assert len({(rule.role, rule.resource, rule.action) for rule in rules}) == len(rules)
    assert len(rules) == 4 + 7 + 28  # viewer, support, owner
    assert all(rule.comment for rule in rules)


@pytest.fixture
def policy_copy(tmp_path):
    target = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, target)
    return target


@pytest.mark.parametrize(("line", "complaint"), [
    ("p, role:viewer, subscription, read, project", "unknown resource"),
    ("p, role:viewer, subscriptions, delete, project", "delete"),
    ("p, role:auditor, subscriptions, read, project", "auditor"),
    ("p, viewer, subscriptions, read, project", "not a role"),
    ("p, role:owner, members, read, project", "org-scoped"),
    ("p, role:viewer, subscriptions, read", "expected"),
    ("g, member:1, role:owner, org:1", "expected"),
    ("p, role:viewer, users, read, project", "duplicate"),
])
def test_a_doubtful_rule_refuses_the_whole_policy(policy_copy, line, complaint):
    with (policy_copy / "viewer.csv").open("a") as file:
        file.write(f"\n# A broken rule.\n{line}\n")
    with pytest.raises(PolicyError, match=complaint):
        read_rules(policy_copy)


def test_a_rule_without_a_comment_is_refused(policy_copy):
    with (policy_copy / "viewer.csv").open("a") as file:
        file.write("\np, role:viewer, vouchers, read, project\n")
    with pytest.raises(PolicyError, match="comment"):
        read_rules(policy_copy)


def test_no_policy_files_is_an_error(tmp_path):
    with pytest.raises(PolicyError, match="no policy files"):
        read_rules(tmp_path)


def test_the_policy_table_passes():
    assert policy_tests.run() == []


def test_a_broken_rule_fails_the_policy_table(policy_copy):
    with (policy_copy / "viewer.csv").open("a") as file:
        file.write("\n# Viewers edit plans (wrong on purpose).\n"
                   "p, role:viewer, plans, write, project\n")
    failures = [str(problem) for problem in policy_tests.run(policy_copy)]
    assert "org viewer in a project: expected deny plans.write, casbin disagreed" in failures
    assert "org viewer in a project: expected deny plans.write, compiled disagreed" in failures


def test_a_removed_rule_fails_the_policy_table(policy_copy):
    path = policy_copy / "support.csv"
    path.write_text(path.read_text().replace(
        "# Support handles number portings.\np, role:support, portings, write, project\n", ""))
    failures = [str(problem) for problem in policy_tests.run(policy_copy)]
    assert "project support in that project: expected allow portings.write, casbin disagreed" \
        in failures


def test_a_table_that_leaves_a_permission_implicit_fails(policy_copy):
    path = policy_copy / "tests.yaml"
    path.write_text(path.read_text().replace("      - reports.write\n", "", 1))
    problems = [str(problem) for problem in policy_tests.run(policy_copy)]
    assert any("must list all 28 permissions" in problem for problem in problems)


def test_a_table_missing_a_role_and_scope_fails(policy_copy):
    path = policy_copy / "tests.yaml"
    text = path.read_text()
    start = text.index("  # A project-level Support of web holds nothing in mobile.")
    end = text.index("  # A project-level grant", start)
    path.write_text(text[:start] + text[end:])
    problems = [str(problem) for problem in policy_tests.run(policy_copy)]
    assert "tests.yaml: no case for a project support checked at the other project" in problems
