"""The one vocabulary of roles, scopes, resources and actions, and how Casbin spells them."""

from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    SUPPORT = "support"
    OWNER = "owner"


class Scope(StrEnum):
    """Where a grant applies, and where a resource lives."""

    ORG = "org"
    PROJECT = "project"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


PROJECT_RESOURCES = (
    "subscriptions", "users", "plans", "portings", "developer_settings",
    "api_keys", "webhooks", "vouchers", "connect_links", "reports",
)
ORG_RESOURCES = ("members", "invitations", "audit_log", "projects")
RESOURCES = PROJECT_RESOURCES + ORG_RESOURCES

# Every permission gets one bit, so a member's effective permissions in a domain are one int.
PERMISSIONS = tuple(f"{resource}.{action}" for resource in RESOURCES for action in Action)
PERMISSION_BITS = {name: 1 << index for index, name in enumerate(PERMISSIONS)}


def resource_scope(resource: str) -> Scope:
    return Scope.ORG if resource in ORG_RESOURCES else Scope.PROJECT


def permission_bit(resource: str, action: str) -> int:
    """Return the permission's bit, or 0 for a name outside the vocabulary."""
    return PERMISSION_BITS.get(f"{resource}.{action}", 0)


def permission_names(mask: int) -> list[str]:
    return [name for name, bit in PERMISSION_BITS.items() if mask & bit]


# Casbin names. Subjects and roles carry prefixes: in pycasbin g(x, x, domain) is always true,
# so an unprefixed subject spelled like a role would hold that role everywhere.
def member_subject(membership_id: int) -> str:
    return f"member:{int(membership_id)}"


def role_subject(role: str) -> str:
    return f"role:{Role(role).value}"


def org_domain(org_id: int) -> str:
    return f"org:{int(org_id)}"


def project_domain(project_id: int) -> str:
    return f"project:{int(project_id)}"


def grant_domain(org_id: int, project_id: int | None) -> str:
    """The domain a grant lives in: its project, or its organization for an org-level grant."""
    return org_domain(org_id) if project_id is None else project_domain(project_id)


def role_of_subject(subject: str) -> Role:
    prefix, _, name = subject.partition(":")
    if prefix != "role":
        raise ValueError(f"not a role subject: {subject!r}")
    return Role(name)
