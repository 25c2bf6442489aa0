"""The read-only adapter drives a real casbin.Enforcer from the database's active grants."""

import pytest

from adapters.grants import GrantsAdapter, ReadOnlyPolicy, new_enforcer, sync_members
from adapters.vocabulary import member_subject, org_domain, project_domain
from service import models
from service.extensions import db
from service.models import Membership, Project
from service.rules import members, orgs, people
from tests.conftest import parse_access


def ids(app, org_slug):
    with app.app_context():
        org = orgs.get(db.session, org_slug)
        projects = {p.slug: p.id for p in db.session.query(Project).filter_by(org_id=org.id)}
        return org.id, projects


def allows(enforcer, member_id, org_id, domain, resource, action):
    return enforcer.enforce(member_subject(member_id), org_domain(org_id), domain, resource, action)


def test_loads_active_grants_and_policy(app, world):
    world.org("acme")
    alice = world.member("alice@acme.test", "org viewer", "project web support")
    org_id, projects = ids(app, "acme")
    with app.app_context():
        enforcer = new_enforcer(db.session, models)
    web, mobile = project_domain(projects["web"]), project_domain(projects["mobile"])
    assert allows(enforcer, alice, org_id, web, "users", "write")
    assert not allows(enforcer, alice, org_id, mobile, "users", "write")
    assert allows(enforcer, alice, org_id, mobile, "users", "read")
    assert not allows(enforcer, alice, org_id, org_domain(org_id), "members", "read")


def test_filtered_loading_reads_one_organization(app, world):
    world.org("acme")
    world.org("globex", owner="owner@globex.test")
    acme_id, _ = ids(app, "acme")
    globex_id, globex_projects = ids(app, "globex")
    with app.app_context():
        enforcer = new_enforcer(db.session, models, org_id=acme_id)
        owner = members.find_by_email(db.session, orgs.get(db.session, "globex"),
                                      "owner@globex.test").id
    assert enforcer.is_filtered()
    subjects = {rule[0] for rule in enforcer.get_grouping_policy()}
    assert member_subject(owner) not in subjects
    assert not allows(enforcer, owner, globex_id, project_domain(globex_projects["web"]),
                      "webhooks", "write")
    assert all(rule[1] == org_domain(acme_id) for rule in enforcer.get_named_grouping_policy("g2"))


def test_revoked_grants_do_not_load(app, world):
    world.org("acme")
    bob = world.member("bob@acme.test", "project web owner")
    with app.app_context():
        org = orgs.get(db.session, "acme")
        members.revoke(db.session, org, members.get(db.session, org, bob), None)
        db.session.commit()
        enforcer = new_enforcer(db.session, models)
    assert member_subject(bob) not in {rule[0] for rule in enforcer.get_grouping_policy()}


def test_sync_applies_one_change_without_touching_other_rules(app, world):
    # The official adapter's trap: removing [a, b] and [c, d] must not also remove [a, d].
    world.org("acme")
    a = world.member("a@acme.test", "project web viewer", "project mobile support")
    c = world.member("c@acme.test", "project web support", "project mobile viewer")
    org_id, projects = ids(app, "acme")
    web, mobile = project_domain(projects["web"]), project_domain(projects["mobile"])
    with app.app_context():
        enforcer = new_enforcer(db.session, models)
        org = orgs.get(db.session, "acme")
        members.set_access(db.session, org, members.get(db.session, org, a),
                           [parse_access("project mobile support")], None)
        members.set_access(db.session, org, members.get(db.session, org, c),
                           [parse_access("project web support")], None)
        db.session.commit()
        before = len(enforcer.get_policy())
        sync_members(enforcer, db.session, models, [a, c])
    assert len(enforcer.get_policy()) == before  # no reload of permission rules
    assert not allows(enforcer, a, org_id, web, "users", "read")
    assert allows(enforcer, a, org_id, mobile, "users", "write")
    assert allows(enforcer, c, org_id, web, "users", "write")
    assert not allows(enforcer, c, org_id, mobile, "users", "read")


def test_a_rolled_back_membership_leaves_no_rule(app, world):
    world.org("acme")
    with app.app_context():
        org = orgs.get(db.session, "acme")
        members.add(db.session, org, people.find_or_add(db.session, "eve@acme.test"),
                    [parse_access("org owner")], None)
        db.session.rollback()
        assert db.session.query(Membership).count() == 1
        enforcer = new_enforcer(db.session, models)
    assert len(enforcer.get_grouping_policy()) == 1  # only the original owner


def test_the_adapter_never_writes(app, world):
    world.org("acme")
    with app.app_context():
        adapter = GrantsAdapter(db.session, models)
        enforcer = new_enforcer(db.session, models)
    for write in (lambda: adapter.save_policy(enforcer.get_model()),
                  lambda: adapter.add_policy("g", "g", ["member:9", "role:owner", "org:1"]),
                  lambda: adapter.remove_policy("g", "g", ["member:9", "role:owner", "org:1"]),
                  lambda: adapter.remove_filtered_policy("g", "g", 0, "member:9")):
        with pytest.raises(ReadOnlyPolicy):
            write()
