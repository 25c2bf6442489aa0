"""Keep this process's decision state at the database's revision, catching up incrementally.

Every committed change that decisions depend on has a row in `changes` with a gap-free revision.
A fresh read costs one autocommit round trip for the newest revision; only when we are behind
does it read the change rows after ours and re-read just what they name. Loading reads the
revision first: whatever commits during the load is in a later change row, replayed on the next
read, and replaying is idempotent.
"""

import threading
import time
from collections import defaultdict
from itertools import groupby
from operator import attrgetter
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from adapters.decisions import Decisions, compile_roles
from adapters.grants import active_grants

from . import models
from .models import Change, Membership, Organization, Person, PolicyRevision, Project, ServiceKey
from .state import State


class Engine:
    def __init__(self, policy_dir: Path | None = None, max_staleness: float = 1.0):
        self._policy_dir = policy_dir
        self._state: State | None = None
        self._lock = threading.Lock()
        self.max_staleness = max_staleness
        self.fresh_at = 0.0  # time.monotonic() when the last successful read began
        self._announced = 0  # the newest revision other processes told us about
        self._listener = None
        self._probes = threading.local()  # one autocommit connection per thread

    def listen(self, listener) -> None:
        """Take revision announcements (see notify.Listener) to shorten minimize_latency lag."""
        self._listener = listener

    def notice(self, revision: int) -> None:
        """Another process committed this revision: read before answering from memory again."""
        self._announced = max(self._announced, revision)

    def recent(self, session: Session) -> State:
        """minimize_latency: memory while it is within the staleness bound and nothing newer is
        announced; else a fresh read, which fails closed when the database is away."""
        if self._listener is not None:
            self._listener.ensure_running()
        state = self._state
        if (state is not None and state.revision >= self._announced
                and time.monotonic() - self.fresh_at <= self.max_staleness):
            return state
        return self.fresh(session)

    def at_least(self, session: Session, revision: int) -> State:
        """A state at least as new as revision (from memory when it already is)."""
        state = self._state
        if state is not None and state.revision >= revision:
            return state
        return self.fresh(session)

    @property
    def state(self) -> State | None:
        return self._state

    def fresh(self, session: Session) -> State:
        """Return the state with every change committed before this call applied."""
        started = time.monotonic()
        state = self._state
        if state is None:
            with self._lock:
                if self._state is None:
                    self._state = self._load(session)
                    self.fresh_at = started
                return self._state
        if self._newest_revision(session) > state.revision:
            with self._lock:  # re-read under the lock: another thread may have applied them
                self._apply(session, self._state, _changes_after(session, self._state.revision))
        self.fresh_at = started
        return self._state

    def _newest_revision(self, session: Session) -> int:
        """One autocommit round trip: no BEGIN, no ROLLBACK, no session checkout.

        It runs on the DBAPI cursor: SQLAlchemy's per-statement work cost more than the round
        trip itself on this, the hottest query (psycopg prepares it after a few runs).
        """
        probe = getattr(self._probes, "connection", None)
        if probe is None or probe.closed:
            probe = session.get_bind().connect().execution_options(isolation_level="AUTOCOMMIT")
            self._probes.connection = probe
        try:
            cursor = probe.connection.dbapi_connection.cursor()
            try:
                cursor.execute(_NEWEST)
                return cursor.fetchone()[0]
            finally:
                cursor.close()
        except Exception as error:
            self._probes.connection = None
            probe.invalidate()
            if isinstance(error, probe.dialect.loaded_dbapi.Error):
                raise DBAPIError(_NEWEST, None, error) from error
            raise

    def close(self) -> None:
        """Release this thread's probe connection."""
        probe = getattr(self._probes, "connection", None)
        if probe is not None:
            self._probes.connection = None
            probe.close()

    def _load(self, session: Session) -> State:
        table = compile_roles(self._policy_dir) if self._policy_dir else compile_roles()
        revision = session.scalar(select(PolicyRevision.revision).where(PolicyRevision.id == 1))
        if revision is None:
            raise RuntimeError("policy_revision is not seeded; run `flask db upgrade`")
        state = State(revision, Decisions(table))
        for slug, org_id in session.execute(select(Organization.slug, Organization.id)):
            state.orgs[slug] = org_id
        for org_id, slug, project_id in session.execute(
                select(Project.org_id, Project.slug, Project.id)):
            state.projects.setdefault(org_id, {})[slug] = project_id
        for org_id, email, member_id in session.execute(_member_emails()):
            state.members[(org_id, email)] = member_id
        _set_grants(state, active_grants(session, models))
        state.service_keys = _service_keys(session)
        return state

    def _apply(self, session: Session, state: State, changes: list) -> None:
        if not changes:
            return
        org_ids = {change.org_id for change in changes if change.kind in ("org", "project")}
        member_ids = {change.subject_id for change in changes if change.kind == "member"}
        new_orgs = [change.org_id for change in changes if change.kind == "org"]
        if new_orgs:  # a new organization comes with its first Owner
            member_ids |= set(session.scalars(
                select(Membership.id).where(Membership.org_id.in_(new_orgs))))
        if org_ids:
            for org_id, slug in session.execute(
                    select(Organization.id, Organization.slug).where(Organization.id.in_(org_ids))):
                state.orgs[slug] = org_id
            projects = defaultdict(dict)
            for org_id, slug, project_id in session.execute(
                    select(Project.org_id, Project.slug, Project.id)
                    .where(Project.org_id.in_(org_ids))):
                projects[org_id][slug] = project_id
            for org_id in org_ids:
                state.projects[org_id] = projects[org_id]
        if member_ids:
            for org_id, email, member_id in session.execute(
                    _member_emails().where(Membership.id.in_(member_ids))):
                state.members[(org_id, email)] = member_id
            _set_grants(state, active_grants(session, models, member_ids=member_ids), member_ids)
        if any(change.kind == "service_key" for change in changes):
            state.service_keys = _service_keys(session)
        state.revision = changes[-1].revision


_NEWEST = "SELECT revision FROM policy_revision WHERE id = 1"


def _changes_after(session: Session, revision: int) -> list:
    return session.execute(
        select(Change.revision, Change.kind, Change.org_id, Change.subject_id)
        .where(Change.revision > revision).order_by(Change.revision)).all()


def _member_emails():
    return select(Membership.org_id, Person.email, Membership.id).join(
        Person, Person.id == Membership.person_id)


def _set_grants(state: State, rows, member_ids=()) -> None:
    """Replace each member's access in one assignment; listed members without rows lose it.

    Rows come ordered by member, so the load streams instead of holding every grant at once.
    """
    without = set(member_ids)
    for member_id, member_rows in groupby(rows, key=attrgetter("member_id")):
        member_rows = list(member_rows)
        state.decisions.set_member(member_id, member_rows[0].org_id,
                                   [row.grant for row in member_rows])
        without.discard(member_id)
    for member_id in without:
        state.decisions.set_member(member_id, 0, [])


def _service_keys(session: Session) -> dict[str, int]:
    query = select(ServiceKey.key_hash, ServiceKey.id).where(ServiceKey.revoked_at.is_(None))
    return {key_hash: key_id for key_hash, key_id in session.execute(query)}


def current_engine() -> Engine:
    return current_app.extensions["rolegate.engine"]
