"""The compiled decisions equal Casbin's, and both equal the issue's table, on random data."""

import casbin
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.decisions import Decisions, Grant, compile_roles
from adapters.policy_files import MODEL_PATH, POLICY_DIR, PolicyError, read_rules
from adapters.vocabulary import (
    PERMISSION_BITS,
    RESOURCES,
    Role,
    grant_domain,
    member_subject,
    org_domain,
    project_domain,
    role_subject,
)
from tests import reference

TABLE = compile_roles()
RULES = read_rules()
# Two orgs: org 1 has projects 1-3, org 2 has project 4.
PROJECT_ORG = {1: 1, 2: 1, 3: 1, 4: 2}

grants = st.lists(st.tuples(st.sampled_from([None, 1, 2, 3]), st.sampled_from(list(Role))),
                  max_size=4)
checks = st.lists(st.tuples(st.sampled_from([None, 1, 2, 3, 4]), st.sampled_from(RESOURCES),
                            st.sampled_from(["read", "write"])), min_size=1, max_size=20)


def casbin_enforcer(members: dict[int, list]) -> casbin.Enforcer:
    enforcer = casbin.Enforcer(str(MODEL_PATH))
    enforcer.add_policies([rule.casbin for rule in RULES])
    for project_id, org_id in PROJECT_ORG.items():
        enforcer.add_named_grouping_policy("g2", project_domain(project_id), org_domain(org_id))
    for member_id, member_grants in members.items():
        for place, role in member_grants:
            enforcer.add_grouping_policy(member_subject(member_id), role_subject(role),
                                         grant_domain(1, place))
    return enforcer


@settings(max_examples=300, deadline=None)
@given(st.lists(grants, min_size=1, max_size=3), checks)
def test_compiled_equals_casbin_equals_the_table(members, asked):
    members = dict(enumerate(members, start=1))
    enforcer = casbin_enforcer(members)
    decisions = Decisions(TABLE)
    for member_id, member_grants in members.items():
        decisions.set_member(member_id, 1, [Grant(role, place) for place, role in member_grants])
    for member_id, member_grants in members.items():
        for project, resource, action in asked:
            org_id = PROJECT_ORG.get(project, 1)
            domain = org_domain(1) if project is None else project_domain(project)
            by_casbin = enforcer.enforce(member_subject(member_id), org_domain(org_id), domain,
                                         resource, action)
            by_table = org_id == 1 and reference.allowed(
                [(place, role.value) for place, role in member_grants], project, resource, action)
            compiled = decisions.allowed(member_id, org_id, project,
                                         PERMISSION_BITS[f"{resource}.{action}"])
            assert by_casbin == by_table == compiled, (member_grants, project, resource, action)


def test_casbin_refuses_an_org_paired_with_another_orgs_project():
    enforcer = casbin_enforcer({1: [(None, Role.OWNER)]})
    ask = enforcer.enforce
    assert ask(member_subject(1), org_domain(1), project_domain(1), "webhooks", "write")
    assert not ask(member_subject(1), org_domain(1), project_domain(4), "webhooks", "write")


def test_compiled_denies_other_orgs_and_unknown_members():
    decisions = Decisions(TABLE)
    decisions.set_member(1, 1, [Grant(Role.OWNER)])
    bit = PERMISSION_BITS["webhooks.write"]
    assert decisions.allowed(1, 1, 2, bit)
    assert not decisions.allowed(1, 2, 4, bit)
    assert not decisions.allowed(2, 1, 2, bit)
    assert not decisions.allowed(1, 1, 2, 0)  # a name outside the vocabulary has no bit


def test_a_member_whose_grants_end_is_denied():
    decisions = Decisions(TABLE)
    decisions.set_member(1, 1, [Grant(Role.VIEWER, 2)])
    decisions.set_member(1, 1, [])
    assert not decisions.allowed(1, 1, 2, PERMISSION_BITS["users.read"])
    assert len(decisions) == 0


def test_explain_names_the_grant_and_the_rule():
    decisions = Decisions(TABLE)
    decisions.set_member(1, 1, [Grant(Role.VIEWER), Grant(Role.SUPPORT, 2)])
    grant, rule = decisions.explain(1, 1, 2, "users.write")
    assert grant == Grant(Role.SUPPORT, 2)
    assert rule.casbin == ["role:support", "users", "write", "project"]
    assert rule.source.startswith("support.csv:") and rule.comment
    grant, _ = decisions.explain(1, 1, 2, "users.read")
    assert grant == Grant(Role.VIEWER)  # the org grant is named first
    assert decisions.explain(1, 1, 3, "users.write") is None


def test_a_model_that_does_not_decompose_is_refused(tmp_path):
    # Org grants that do not reach projects: the compiled path could not mirror it, so no policy.
    model = MODEL_PATH.read_text().replace(
        "(g(r.sub, p.sub, r.org) || (p.scope",
        "((r.proj == r.org && g(r.sub, p.sub, r.org)) || (p.scope")
    path = tmp_path / "model.conf"
    path.write_text(model)
    with pytest.raises(PolicyError, match="does not decompose"):
        compile_roles(POLICY_DIR, path)
