"""Write the benchmark workload into a database through the service's own tables."""

from sqlalchemy import create_engine, insert, text, update

from service.extensions import db
from service.models import (
    Grant,
    Membership,
    Organization,
    Person,
    PolicyRevision,
    Project,
    ServiceKey,
)
from service.rules.service_keys import hash_key

from . import workload

BENCH_KEY = "rgk_bench-only-key-not-a-secret"  # noqa: S105 (a scratch database's key)


def email(member: workload.Member) -> str:
    return f"m{member.id}@org{member.org}.test"


def owner_email(org: int) -> str:
    return f"owner@org{org}.test"


def seed(database_uri: str, population: list[workload.Member]) -> None:
    """Drop and recreate the schema, then bulk-insert orgs, projects, members and grants.

    Each org also gets one dedicated org-level Owner (ids after the workload's), who makes the
    HTTP access changes in the benchmarks.
    """
    engine = create_engine(database_uri)
    db.metadata.drop_all(engine)
    db.metadata.create_all(engine)
    n = len(population)
    orgs = range(1, workload.ORGS + 1)
    with engine.begin() as connection:
        connection.execute(insert(Organization), [
            {"id": org, "slug": f"org{org}", "name": f"Org {org}"} for org in orgs])
        connection.execute(insert(Project), [
            {"id": workload.project_id(org, index), "org_id": org, "slug": f"p{index}",
             "name": f"Project {index}"}
            for org in orgs for index in range(workload.PROJECTS_PER_ORG)])
        people = [{"id": m.id, "email": email(m)} for m in population]
        people += [{"id": n + org, "email": owner_email(org)} for org in orgs]
        _chunks(connection, Person, people)
        memberships = [{"id": m.id, "org_id": m.org, "person_id": m.id} for m in population]
        memberships += [{"id": n + org, "org_id": org, "person_id": n + org} for org in orgs]
        _chunks(connection, Membership, memberships)
        grants = [{"membership_id": m.id, "scope": "org" if place is None else "project",
                   "project_id": place, "role": role}
                  for m in population for place, role in m.grants]
        grants += [{"membership_id": n + org, "scope": "org", "project_id": None,
                    "role": "owner"} for org in orgs]
        _chunks(connection, Grant, grants)
        connection.execute(insert(ServiceKey).values(name="bench", key_hash=hash_key(BENCH_KEY)))
        connection.execute(update(PolicyRevision).values(revision=0))
        if engine.dialect.name == "postgresql":
            for table in ("organizations", "projects", "people", "memberships", "grants"):
                reset = (f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                         f"(SELECT max(id) FROM {table}))")  # fixed table names
                connection.execute(text(reset))
    engine.dispose()


def _chunks(connection, model, rows: list[dict], size: int = 20_000) -> None:
    for start in range(0, len(rows), size):
        connection.execute(insert(model), rows[start:start + size])
