"""Tables: who belongs where, who holds which role (with history), and the change log."""

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    event,
    exists,
    insert,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .extensions import db


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(db.TypeDecorator):
    """Store UTC, hand back aware datetimes on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value, dialect):
        return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


class Organization(db.Model):
    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("org_id", "slug"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    slug: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Person(db.Model):
    """Someone who can log in; email is stored trimmed and lower-case, so unique ignores case."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


_ACTIVE_ORG_OWNER = text("scope = 'org' AND role = 'owner' AND revoked_at IS NULL")


class Grant(db.Model):
    """A role held at org or project scope; revoked grants stay, with revoked_at set."""

    __tablename__ = "grants"
    __table_args__ = (
        CheckConstraint("role IN ('viewer', 'support', 'owner')", name="role"),
        CheckConstraint("scope IN ('org', 'project')", name="scope"),
        CheckConstraint("(scope = 'org') = (project_id IS NULL)", name="scope_project"),
        Index("ix_grants_active", "membership_id", "revoked_at"),
        # The last-Owner rule counts these on every access change; keep it off a table scan.
        Index("ix_grants_org_owners", "membership_id", sqlite_where=_ACTIVE_ORG_OWNER,
              postgresql_where=_ACTIVE_ORG_OWNER),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"))
    scope: Mapped[str] = mapped_column(String(16))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    role: Mapped[str] = mapped_column(String(16))
    granted_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    project: Mapped[Project | None] = relationship(lazy="joined")


class Membership(db.Model):
    """A person in an organization. Active while any grant is active; else suspended."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("org_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
    organization: Mapped[Organization] = relationship()
    grants: Mapped[list[Grant]] = relationship(
        primaryjoin="and_(Grant.membership_id == Membership.id, Grant.revoked_at.is_(None))",
        viewonly=True, order_by="Grant.id")

    @hybrid_property
    def is_active(self) -> bool:
        return bool(self.grants)

    @is_active.inplace.expression
    @classmethod
    def _is_active(cls):
        return exists().where(Grant.membership_id == cls.id, Grant.revoked_at.is_(None))

    @property
    def status(self) -> str:
        return "active" if self.is_active else "suspended"


class ServiceKey(db.Model):
    """A key other services send for checks; only the SHA-256 of the key is stored."""

    __tablename__ = "service_keys"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Change(db.Model):
    """One committed change that decisions depend on, numbered by a gap-free revision."""

    __tablename__ = "changes"
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))  # org, project, member, service_key
    org_id: Mapped[int | None] = mapped_column(Integer)
    subject_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PolicyRevision(db.Model):
    """A single row. Bumping it locks the row until commit, so revisions commit in order."""

    __tablename__ = "policy_revision"
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    revision: Mapped[int] = mapped_column(Integer)


@event.listens_for(PolicyRevision.__table__, "after_create")
def _seed_revision(table, connection, **kw):
    connection.execute(insert(table).values(id=1, revision=0))



class AuditEvent(db.Model):
    """Append-only: one row per change an Owner (or the CLI) made. Never holds a secret."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class Invitation(db.Model):
    """An emailed offer of a role. `state` is open, accepted, cancelled or expired (superseded);
    an open invitation past expires_at reads as expired. At most one open per email and org."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'accepted', 'cancelled', 'expired')", name="state"),
        CheckConstraint("role IN ('viewer', 'support', 'owner')", name="role"),
        CheckConstraint("(scope = 'org') = (project_id IS NULL)", name="scope_project"),
        Index("uq_invitations_open_email", "org_id", "email", unique=True,
              sqlite_where=text("state = 'open'"), postgresql_where=text("state = 'open'")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    scope: Mapped[str] = mapped_column(String(16))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    state: Mapped[str] = mapped_column(String(16), default="open")
    invited_by: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    project: Mapped[Project | None] = relationship(lazy="joined")
    inviter: Mapped[Person] = relationship(lazy="joined")
