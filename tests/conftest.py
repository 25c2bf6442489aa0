"""Fixtures after flaskr: a fresh app and database per test, on SQLite and on PostgreSQL."""

import os
import re
import threading
from email import message_from_bytes, policy

import psycopg
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from service import create_app
from service.engine import current_engine
from service.extensions import db
from service.rules import members, orgs, people, service_keys
from tests.servers import free_port

JWT_SECRET = "test-secret-" + "x" * 40
PG_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


class Mailbox:
    """What a real SMTP server on loopback received."""

    def __init__(self):
        self.messages, self.lock = [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, email: str) -> list:
        with self.lock:
            return [message for message in self.messages if message["To"] == email]

    def link_token(self, email: str) -> str:
        """The token in the newest acceptance link sent to email."""
        body = self.to(email)[-1].get_content()
        return re.search(r"/invitations/accept\?token=([\w-]+)", body).group(1)


@pytest.fixture(scope="session")
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server):
    smtp_server.handler.messages.clear()
    return smtp_server.handler


SMTP = {}


@pytest.fixture(autouse=True)
def _smtp_settings(smtp_server):
    SMTP.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)


def pg_dsn() -> str:
    """TEST_DATABASE_URL as plain psycopg wants it."""
    return make_url(PG_URL).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_sql(query: str, *params) -> list[tuple]:
    """Read the PostgreSQL test database directly, beside the service under test."""
    with psycopg.connect(pg_dsn()) as connection:
        return connection.execute(query, params or None).fetchall()


def app_config(database_uri: str, **overrides) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "AUTH_JWT_SECRET": JWT_SECRET,
        "PUBLIC_URL": "http://rolegate.test",
        **SMTP,
        **overrides,
    }


@pytest.fixture(params=BACKENDS)
def database_uri(request, tmp_path):
    """A database nobody else uses: a SQLite file, or the emptied PostgreSQL scratch database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'rolegate.sqlite3'}"
        return
    engine = create_engine(PG_URL)
    db.metadata.drop_all(engine)
    engine.dispose()
    yield PG_URL
    engine = create_engine(PG_URL)
    db.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def app_factory(database_uri):
    """Make apps on the test's database; each app is one 'worker' with its own engine."""
    made = []

    def make(**overrides):
        app = create_app(app_config(database_uri, **overrides))
        with app.app_context():
            db.create_all()
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            current_engine().close()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class World:
    """Small helpers that stage and commit through the rules, as the service does."""

    def __init__(self, app):
        self.app = app

    def org(self, slug="acme", owner="owner@acme.test", projects=("web", "mobile")):
        with self.app.app_context():
            org = orgs.create(db.session, slug, slug.title(), owner, "test")
            for project in projects:
                orgs.create_project(db.session, org, project, project.title(), "test")
            db.session.commit()
            return org.id

    def member(self, email, *access, org="acme"):
        """Give email the access, written 'org viewer' or 'project web support'; return its id."""
        with self.app.app_context():
            organization = orgs.get(db.session, org)
            member, _ = members.add(db.session, organization, people.find_or_add(db.session, email),
                                    [parse_access(text) for text in access], None)
            db.session.commit()
            return member.id

    def suspend(self, member_id, org="acme"):
        with self.app.app_context():
            organization = orgs.get(db.session, org)
            members.revoke(db.session, organization, members.get(db.session, organization,
                                                                 member_id), None)
            db.session.commit()

    def service_key(self, name="test"):
        with self.app.app_context():
            key = service_keys.create(db.session, name)
            db.session.commit()
            return key


def parse_access(text: str) -> dict:
    words = text.split()
    if words[0] == "org":
        return {"scope": "org", "project": None, "role": words[1]}
    return {"scope": "project", "project": words[1], "role": words[2]}


@pytest.fixture
def world(app):
    return World(app)


def bearer(app, email: str, ttl: int = 3600) -> dict:
    from service import tokens

    with app.app_context():
        return {"Authorization": f"Bearer {tokens.mint(email, ttl)}"}


@pytest.fixture
def as_member(app):
    """as_member(email) -> headers with a fresh member token for email."""
    return lambda email, ttl=3600: bearer(app, email, ttl)


@pytest.fixture
def service_headers(world):
    return {"Authorization": f"Bearer {world.service_key()}"}
