"""A plain-Python reading of the permission table in the core issue, written without the policy."""

PROJECT_RESOURCES = {"subscriptions", "users", "plans", "portings", "developer_settings",
                     "api_keys", "webhooks", "vouchers", "connect_links", "reports"}
ORG_RESOURCES = {"members", "invitations", "audit_log", "projects"}
VIEWER = {("subscriptions", "read"), ("users", "read"), ("plans", "read"), ("portings", "read")}
SUPPORT = VIEWER | {("subscriptions", "write"), ("portings", "write"), ("users", "write")}
OWNER = {(resource, action) for resource in PROJECT_RESOURCES | ORG_RESOURCES
         for action in ("read", "write")}
ROLES = {"viewer": VIEWER, "support": SUPPORT, "owner": OWNER}


def allowed(grants, project, resource: str, action: str) -> bool:
    """grants: [(project or None, role)]; project None asks about the organization scope."""
    for place, role in grants:
        if (resource, action) not in ROLES[role]:
            continue
        if place is None:
            return True  # an org grant reaches every project and the org scope
        if place == project and resource not in ORG_RESOURCES:
            return True
    return False
