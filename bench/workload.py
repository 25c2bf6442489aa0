"""The benchmark workload: 100 orgs x 20 projects, N members, fixed seed.

20% of members hold one org-level role, 80% hold 1-3 project-level roles in their org; roles
are Viewer 60% / Support 30% / Owner 10%. A check is a random (member, project, resource,
action) within the member's org, drawn so that about half are allowed.
"""

import random
from dataclasses import dataclass

from adapters.vocabulary import PROJECT_RESOURCES, RESOURCES, Action

ORGS, PROJECTS_PER_ORG = 100, 20
ROLES, ROLE_WEIGHTS = ("viewer", "support", "owner"), (60, 30, 10)


@dataclass(frozen=True)
class Member:
    id: int
    org: int
    grants: tuple  # ((project id or None, role), ...)


@dataclass(frozen=True)
class Check:
    member: int
    org: int
    project: int
    resource: str
    action: str
    allowed: bool  # by the reference


def project_id(org: int, index: int) -> int:
    return org * PROJECTS_PER_ORG + index + 1


def members(n: int, seed: int = 7) -> list[Member]:
    rng = random.Random(seed)
    result = []
    for member_id in range(1, n + 1):
        org = member_id % ORGS + 1
        if rng.random() < 0.2:
            grants = ((None, rng.choices(ROLES, ROLE_WEIGHTS)[0]),)
        else:
            places = rng.sample(range(PROJECTS_PER_ORG), rng.randint(1, 3))
            grants = tuple((project_id(org, place), rng.choices(ROLES, ROLE_WEIGHTS)[0])
                           for place in places)
        result.append(Member(member_id, org, grants))
    return result


class Reference:
    """The floor: a plain dict of sets, built from the issue's table, no Casbin."""

    VIEWER = {"subscriptions.read", "users.read", "plans.read", "portings.read"}
    SUPPORT = VIEWER | {"subscriptions.write", "users.write", "portings.write"}
    OWNER_PROJECT = {f"{r}.{a}" for r in PROJECT_RESOURCES for a in Action}
    OWNER_ORG = {f"{r}.{a}" for r in RESOURCES for a in Action}
    BY_SCOPE = {("viewer", "org"): VIEWER, ("viewer", "project"): VIEWER,
                ("support", "org"): SUPPORT, ("support", "project"): SUPPORT,
                ("owner", "org"): OWNER_ORG, ("owner", "project"): OWNER_PROJECT}

    def __init__(self, population: list[Member]):
        self.table: dict[tuple[int, int], set] = {}  # (member, org or project id) -> perms
        for member in population:
            for place, role in member.grants:
                key = (member.id, -member.org if place is None else place)
                scope = "org" if place is None else "project"
                self.table.setdefault(key, set()).update(self.BY_SCOPE[(role, scope)])

    def allowed(self, member: int, org: int, project: int, permission: str) -> bool:
        return (permission in self.table.get((member, -org), ())
                or permission in self.table.get((member, project), ()))


def checks(population: list[Member], reference: Reference, count: int,
           seed: int = 11) -> list[Check]:
    """Random checks, half allowed and half denied by the reference."""
    rng = random.Random(seed)
    wanted = {True: count // 2, False: count - count // 2}
    result = []
    while wanted[True] or wanted[False]:
        member = rng.choice(population)
        # Half the time ask about one of the member's own places, so allows are not rare.
        place = rng.choice(member.grants)[0] if rng.random() < 0.5 else None
        project = place or project_id(member.org, rng.randrange(PROJECTS_PER_ORG))
        resource, action = rng.choice(RESOURCES), rng.choice(("read", "write"))
        allowed = reference.allowed(member.id, member.org, project, f"{resource}.{action}")
        if wanted[allowed]:
            wanted[allowed] -= 1
            result.append(Check(member.id, member.org, project, resource, action, allowed))
    rng.shuffle(result)
    return result
