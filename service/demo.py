"""`flask demo`: the demo organization `make run` serves, and what to paste to try it."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import tokens
from .extensions import db
from .models import Organization
from .rules import orgs, service_keys

DEMO_ORG, DEMO_OWNER = "acme", "owner@acme.test"
DEMO_CHECK = {"member": DEMO_OWNER, "org": DEMO_ORG, "project": "web",
              "resource": "webhooks", "action": "write"}


@click.command("demo")
@with_appcontext
def demo():
    """Create the demo organization if missing; print a service key, an owner token, a curl."""
    if not current_app.config["DEV_MODE"]:
        raise click.ClickException("flask demo runs only in dev mode (FLASK_DEV_MODE=1)")
    if db.session.scalar(select(Organization.id).where(Organization.slug == DEMO_ORG)) is None:
        org = orgs.create(db.session, DEMO_ORG, "Acme", DEMO_OWNER, "demo")
        for slug, name in (("web", "Web"), ("mobile", "Mobile")):
            orgs.create_project(db.session, org, slug, name, "demo")
    key = service_keys.create(db.session, "dev")
    db.session.commit()
    base = current_app.config["PUBLIC_URL"]
    token = tokens.mint(DEMO_OWNER, 8 * 3600)
    click.echo(f"demo organization {DEMO_ORG} (projects web, mobile), owner {DEMO_OWNER}")
    click.echo(f"dev owner token (8 h):\n  {token}")
    click.echo(f"dev service key:\n  {key}")
    click.echo("try a check:")
    click.echo(f"  curl -s -X POST {base}/v1/check -H 'Authorization: Bearer {key}' "
               "-H 'Content-Type: application/json' "
               f"-d '{json.dumps(DEMO_CHECK)}'")
