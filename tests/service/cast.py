"""A cast of members at every role and scope in acme, and an owner of another org."""

CAST = {
    "org_owner": ("owner@acme.test", ()),
    "org_support": ("osupport@acme.test", ("org support",)),
    "org_viewer": ("oviewer@acme.test", ("org viewer",)),
    "project_owner": ("powner@acme.test", ("project web owner",)),
    "project_support": ("psupport@acme.test", ("project web support",)),
    "project_viewer": ("pviewer@acme.test", ("project web viewer",)),
    "suspended": ("gone@acme.test", ("org viewer",)),
    "outsider": ("owner@globex.test", ()),
}


def stage(world) -> dict:
    """Create acme (web, mobile) and globex; return {name: member id}; suspend 'suspended'."""
    world.org("acme")
    world.org("globex", owner="owner@globex.test", projects=("shop",))
    ids = {}
    for name, (email, access) in CAST.items():
        ids[name] = world.member(email, *access) if access else None
    world.suspend(ids["suspended"])
    return ids
