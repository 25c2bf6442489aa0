"""Decide checks in about a microsecond, with the answers Casbin gives for the same rules.

The model's matcher is a disjunction over the member's grants in the org and project domains,
with no role-to-role links. So a decision is the OR of what each single grant allows, and what a
single grant of a role allows at a scope can be asked of Casbin once per policy load. `compile`
does that and refuses any model for which the decomposition would not be exact.
"""

import functools
from dataclasses import dataclass, field
from pathlib import Path

import casbin

from .policy_files import MODEL_PATH, PolicyError, Rule, read_rules
from .vocabulary import (
    PERMISSION_BITS,
    Role,
    Scope,
    member_subject,
    org_domain,
    project_domain,
    role_subject,
)

# The probe: one member, one org with two projects; the member holds one grant at a time.
_MEMBER = _ORG = _PROJECT = 1
_OTHER_PROJECT = 2


@dataclass(frozen=True)
class RoleTable:
    """What one grant of a role allows, by the grant's scope, as permission bit masks."""

    masks: dict[tuple[Scope, Role], int]
    rules: dict[tuple[Role, str], Rule]  # (role, permission) -> the rule that allows it

    def mask(self, scope: Scope, role: Role) -> int:
        return self.masks[(scope, role)]


def compile_roles(policy_dir: Path | None = None, model_path: Path = MODEL_PATH) -> RoleTable:
    """Ask Casbin what a single grant of each role allows; raise PolicyError if unsure."""
    rules = read_rules(policy_dir) if policy_dir else read_rules()
    enforcer = casbin.Enforcer(str(model_path))
    enforcer.enable_auto_save(False)
    enforcer.add_policies([rule.casbin for rule in rules])
    enforcer.add_named_grouping_policy("g2", project_domain(_PROJECT), org_domain(_ORG))
    enforcer.add_named_grouping_policy("g2", project_domain(_OTHER_PROJECT), org_domain(_ORG))
    by_name = {(rule.role, f"{rule.resource}.{rule.action}"): rule for rule in rules}

    masks = {}
    for role in Role:
        for scope in Scope:
            domain = org_domain(_ORG) if scope is Scope.ORG else project_domain(_PROJECT)
            enforcer.add_grouping_policy(member_subject(_MEMBER), role_subject(role), domain)
            at_project = _mask(enforcer, project_domain(_PROJECT))
            at_org = _mask(enforcer, org_domain(_ORG))
            at_other_project = _mask(enforcer, project_domain(_OTHER_PROJECT))
            enforcer.remove_grouping_policy(member_subject(_MEMBER), role_subject(role), domain)
            expected = (at_project, at_project, at_project) if scope is Scope.ORG else (
                at_project, 0, 0)
            if (at_project, at_org, at_other_project) != expected:
                raise PolicyError(f"model.conf: a {scope} {role} grant does not decompose")
            masks[(scope, role)] = at_project
    return RoleTable(masks, by_name)


def _mask(enforcer: casbin.Enforcer, checked_domain: str) -> int:
    mask = 0
    for name, bit in PERMISSION_BITS.items():
        resource, action = name.split(".")
        if enforcer.enforce(member_subject(_MEMBER), org_domain(_ORG), checked_domain,
                            resource, action):
            mask |= bit
    return mask


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    project_id: int | None = None  # None: the grant covers the whole organization

    @property
    def scope(self) -> Scope:
        return Scope.ORG if self.project_id is None else Scope.PROJECT


@functools.cache
def grant(role: str, project_id: int | None) -> Grant:
    """A shared Grant: there are only roles x projects of them, however many members."""
    return Grant(Role(role), project_id)


@dataclass(frozen=True, slots=True)
class Access:
    """One member's effective permissions in their organization."""

    org_id: int
    org_mask: int
    project_masks: dict[int, int]
    grants: tuple[Grant, ...]


_NO_PROJECTS: dict[int, int] = {}


@dataclass
class Decisions:
    """Members' effective permissions, replaced one member at a time (each replacement atomic)."""

    table: RoleTable
    _access: dict[int, Access] = field(default_factory=dict)
    _by_org: dict[int, set[int]] = field(default_factory=dict)  # for "who can" lookups

    def set_member(self, member_id: int, org_id: int, grants: list[Grant]) -> None:
        if not grants:
            old = self._access.pop(member_id, None)
            if old is not None:
                self._by_org.get(old.org_id, set()).discard(member_id)
            return
        self._by_org.setdefault(org_id, set()).add(member_id)
        org_mask, project_masks = 0, {}
        for grant in grants:
            mask = self.table.mask(grant.scope, grant.role)
            if grant.project_id is None:
                org_mask |= mask
            else:
                project_masks[grant.project_id] = project_masks.get(grant.project_id, 0) | mask
        self._access[member_id] = Access(
            org_id, org_mask, project_masks or _NO_PROJECTS, tuple(grants))

    def allowed(self, member_id: int, org_id: int, project_id: int | None, bit: int) -> bool:
        """Decide; project_id None asks about the organization scope."""
        access = self._access.get(member_id)
        if access is None or access.org_id != org_id:
            return False
        if access.org_mask & bit:
            return True
        return project_id is not None and bool(access.project_masks.get(project_id, 0) & bit)

    def explain(self, member_id: int, org_id: int, project_id: int | None,
                permission: str) -> tuple[Grant, Rule] | None:
        """Return the grant and the policy rule that allow the permission, or None."""
        access = self._access.get(member_id)
        if access is None or access.org_id != org_id:
            return None
        bit = PERMISSION_BITS[permission]
        for grant in sorted(access.grants, key=lambda grant: grant.project_id is not None):
            if grant.project_id not in (None, project_id):
                continue
            if self.table.mask(grant.scope, grant.role) & bit:
                return grant, self.table.rules[(grant.role, permission)]
        return None

    def access(self, member_id: int) -> Access | None:
        return self._access.get(member_id)

    def members_of(self, org_id: int) -> list[int]:
        """Members with any access in the organization, by id."""
        return sorted(self._by_org.get(org_id, ()))

    def __len__(self) -> int:
        return len(self._access)
