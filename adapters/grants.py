"""A read-only Casbin adapter: permission rules from policy/, grouping rules from active grants.

The database is the only source of truth for who holds what, so this adapter never writes,
commits or creates tables. It works on the session and models it is given.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import casbin
from casbin.persist.adapter_filtered import FilteredAdapter
from sqlalchemy import select
from sqlalchemy.orm import Session

from .decisions import Grant, grant
from .policy_files import MODEL_PATH, read_rules
from .vocabulary import (
    grant_domain,
    member_subject,
    org_domain,
    project_domain,
    role_subject,
)


class ReadOnlyPolicy(Exception):
    """Grants change through the membership rules; Casbin rules are derived from them."""


@dataclass(frozen=True)
class OrgFilter:
    org_id: int


class GrantRow(NamedTuple):
    member_id: int
    org_id: int
    project_id: int | None
    role: str

    @property
    def grant(self) -> Grant:
        return grant(self.role, self.project_id)


def active_grants(session: Session, models: ModuleType, org_id: int | None = None,
                  member_ids: Iterable[int] | None = None) -> Iterator[GrantRow]:
    """Yield every active grant, by member, optionally of one organization or of some members."""
    table, membership = models.Grant, models.Membership
    query = (
        select(table.membership_id, membership.org_id, table.project_id, table.role)
        .join(membership, membership.id == table.membership_id)
        .where(table.revoked_at.is_(None))
        .order_by(table.membership_id)
    )
    if org_id is not None:
        query = query.where(membership.org_id == org_id)
    if member_ids is not None:
        query = query.where(table.membership_id.in_(list(member_ids)))
    for row in session.execute(query.execution_options(yield_per=10_000)):
        yield GrantRow(*row)


def grouping_rules(session: Session, models: ModuleType, org_id: int | None = None,
                   member_ids: Iterable[int] | None = None) -> Iterator[list[str]]:
    """Yield ['g', member, role, domain] for active grants and ['g2', project, org]."""
    for row in active_grants(session, models, org_id, member_ids):
        domain = grant_domain(row.org_id, row.project_id)
        yield ["g", member_subject(row.member_id), role_subject(row.role), domain]
    if member_ids is None:
        query = select(models.Project.id, models.Project.org_id)
        if org_id is not None:
            query = query.where(models.Project.org_id == org_id)
        for project_id, project_org in session.execute(query):
            yield ["g2", project_domain(project_id), org_domain(project_org)]


class GrantsAdapter(FilteredAdapter):
    """Load the whole policy, or one organization's (load_filtered_policy(OrgFilter(id)))."""

    def __init__(self, session: Session, models: ModuleType, policy_dir: Path | None = None):
        self._session, self._models, self._policy_dir = session, models, policy_dir
        self._filtered = False

    def load_policy(self, model) -> None:
        self._filtered = False
        self._load(model, None)

    def load_filtered_policy(self, model, filter: OrgFilter) -> None:  # noqa: A002 (Casbin's name)
        self._filtered = True
        self._load(model, filter.org_id)

    def is_filtered(self) -> bool:
        return self._filtered

    def _load(self, model, org_id: int | None) -> None:
        rules = read_rules(self._policy_dir) if self._policy_dir else read_rules()
        for rule in rules:
            model.add_policy("p", "p", rule.casbin)
        for ptype, *rule in grouping_rules(self._session, self._models, org_id):
            model.add_policy("g", ptype, rule)

    def save_policy(self, model):
        raise ReadOnlyPolicy("policy rules live in policy/, grants in the database")

    def add_policy(self, sec, ptype, rule):
        raise ReadOnlyPolicy("grant roles through the membership rules")

    def remove_policy(self, sec, ptype, rule):
        raise ReadOnlyPolicy("revoke roles through the membership rules")

    def remove_filtered_policy(self, sec, ptype, field_index, *field_values):
        raise ReadOnlyPolicy("revoke roles through the membership rules")


def new_enforcer(session: Session, models: ModuleType, org_id: int | None = None,
                 policy_dir: Path | None = None) -> casbin.Enforcer:
    """Return an enforcer loaded from the database (one organization's rules, if given)."""
    enforcer = casbin.Enforcer(str(MODEL_PATH))
    enforcer.set_adapter(GrantsAdapter(session, models, policy_dir))
    enforcer.enable_auto_save(False)  # the enforcer mirrors the database; it never writes to it
    if org_id is None:
        enforcer.load_policy()
    else:
        enforcer.load_filtered_policy(OrgFilter(org_id))
    return enforcer


def sync_members(enforcer: casbin.Enforcer, session: Session, models: ModuleType,
                 member_ids: Iterable[int]) -> None:
    """Apply a change without a reload: set these members' grouping rules to the database's."""
    member_ids = list(member_ids)
    for member_id in member_ids:
        enforcer.remove_filtered_named_grouping_policy("g", 0, member_subject(member_id))
    rules = [rule[1:] for rule in grouping_rules(session, models, member_ids=member_ids)]
    if rules:
        enforcer.add_named_grouping_policies("g", rules)
