"""One process's picture of who holds what, and the decisions it gives."""

from dataclasses import dataclass, field

from adapters.decisions import Decisions
from adapters.vocabulary import PERMISSION_BITS, permission_bit


@dataclass
class State:
    """Directory (slugs, emails, keys) and decisions, as of `revision`."""

    revision: int
    decisions: Decisions
    orgs: dict[str, int] = field(default_factory=dict)  # slug -> org id
    projects: dict[int, dict[str, int]] = field(default_factory=dict)  # org id -> slug -> id
    members: dict[tuple[int, str], int] = field(default_factory=dict)  # (org id, email) -> id
    service_keys: dict[str, int] = field(default_factory=dict)  # sha256 -> key id

    def project_slug(self, org_id: int, project_id: int) -> str | None:
        slugs = self.projects.get(org_id, {})
        return next((slug for slug, pid in slugs.items() if pid == project_id), None)

    def member_id(self, org_id: int, member: str) -> int | None:
        """Resolve an email or a membership id within one organization."""
        if member.isdigit():
            member_id = int(member)
            access = self.decisions.access(member_id)
            return member_id if access is not None and access.org_id == org_id else None
        return self.members.get((org_id, member.strip().lower()))

    def decide(self, check: dict, explain: bool = False) -> dict:
        """Answer one validated check: {"allowed": bool} and, if asked, an explanation."""
        org_id = self.orgs.get(check["org"])
        project = check.get("project")
        project_id = self.projects.get(org_id, {}).get(project) if project else None
        member_id = self.member_id(org_id, check["member"]) if org_id is not None else None
        allowed = (member_id is not None and (project_id is not None or not project)
                   and self.decisions.allowed(member_id, org_id, project_id,
                                              permission_bit(check["resource"], check["action"])))
        result = {"allowed": allowed}
        if explain:  # words only when asked: half of all checks are denials
            result["explanation"] = (
                self._why(member_id, org_id, project_id,
                          f"{check['resource']}.{check['action']}") if allowed
                else {"reason": self._why_not(check, org_id, project_id, member_id)})
        return result

    @staticmethod
    def _why_not(check: dict, org_id, project_id, member_id) -> str:
        org, project = check["org"], check.get("project")
        if org_id is None:
            return f"no organization {org!r}"
        if project and project_id is None:
            return f"no project {project!r} in organization {org!r}"
        if member_id is None:
            return f"{check['member']!r} holds no access in organization {org!r}"
        where = f"project {project!r}" if project else "the organization scope"
        return f"no grant of this member allows {check['resource']}.{check['action']} in {where}"

    def _why(self, member_id: int, org_id: int, project_id: int | None, permission: str):
        grant, rule = self.decisions.explain(member_id, org_id, project_id, permission)
        return {
            "grant": {"scope": grant.scope.value, "role": grant.role.value,
                      "project": self.project_slug(org_id, grant.project_id)
                      if grant.project_id else None},
            "rule": {"line": "p, " + ", ".join(rule.casbin), "source": rule.source,
                     "comment": rule.comment},
        }

    def permissions(self, member_id: int, org_id: int, project_id: int | None) -> list[dict]:
        """Every permission the member holds at the place, each with the grant that gives it."""
        result = []
        for permission, bit in PERMISSION_BITS.items():
            if self.decisions.allowed(member_id, org_id, project_id, bit):
                resource, action = permission.split(".")
                why = self._why(member_id, org_id, project_id, permission)
                result.append({"resource": resource, "action": action, "grant": why["grant"]})
        return result

    def projects_allowing(self, member_id: int | None, org_id: int, bit: int) -> list[str]:
        if member_id is None:
            return []
        return sorted(slug for slug, project_id in self.projects.get(org_id, {}).items()
                      if self.decisions.allowed(member_id, org_id, project_id, bit))

    def members_allowed(self, org_id: int, project_id: int | None, bit: int) -> list[int]:
        return [member_id for member_id in self.decisions.members_of(org_id)
                if self.decisions.allowed(member_id, org_id, project_id, bit)]
