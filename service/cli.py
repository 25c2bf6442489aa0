"""Flask commands. Commands that create a secret print it alone on the last line of stdout."""

import functools
import sys
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError

from adapters import matrix, policy_tests
from adapters.decisions import compile_roles
from adapters.policy_files import POLICY_DIR, PolicyError

from . import tokens
from .engine import current_engine
from .errors import DomainError
from .extensions import db
from .rules import orgs, service_keys
from .schemas.checks import CheckSchema
from .schemas.cli import OrgArgs, ProjectArgs

CLI_ACTOR = "cli"


def one_line_errors(command):
    """Turn domain, input and database errors into a one-line message and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DomainError as error:
            raise click.ClickException(error.message) from None
        except ValidationError as error:
            raise click.ClickException(_flatten(error.messages)) from None
        except (DBAPIError, PolicyError) as error:
            raise click.ClickException(f"{type(error).__name__}: {str(error).splitlines()[0]}") \
                from None

    return wrapper


def _flatten(messages: dict) -> str:
    return "; ".join(f"{field}: {' '.join(map(str, text))}" for field, text in messages.items())


@click.group("orgs", cls=AppGroup)
def orgs_cli():
    """Organizations."""


@orgs_cli.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--owner", "owner_email", required=True, help="Email of the first Owner.")
@one_line_errors
def create_org(slug, name, owner_email):
    """Create an organization with one organization-level Owner."""
    args = OrgArgs().load({"slug": slug, "name": name, "owner": owner_email})
    orgs.create(db.session, args["slug"], args["name"], args["owner"], CLI_ACTOR)
    db.session.commit()
    click.echo(f"created organization {args['slug']} (owner {args['owner']})")


@click.group("projects", cls=AppGroup)
def projects_cli():
    """Projects."""


@projects_cli.command("create")
@click.argument("org")
@click.argument("slug")
@click.option("--name", required=True)
@one_line_errors
def create_project(org, slug, name):
    """Create a project in an organization."""
    args = ProjectArgs().load({"org": org, "slug": slug, "name": name})
    orgs.create_project(db.session, orgs.get(db.session, args["org"]), args["slug"],
                        args["name"], CLI_ACTOR)
    db.session.commit()
    click.echo(f"created project {args['org']}/{args['slug']}")


@click.group("service-keys", cls=AppGroup)
def service_keys_cli():
    """Keys for services that ask for checks."""


@service_keys_cli.command("create")
@click.argument("name")
@one_line_errors
def create_service_key(name):
    """Create a service key and print it once."""
    key = service_keys.create(db.session, name[:100])
    db.session.commit()
    click.echo(f"service key {name!r} created; it is shown only now:", err=True)
    click.echo(key)


@service_keys_cli.command("list")
@one_line_errors
def list_service_keys():
    """List keys: id, name, created, revoked (never the key)."""
    for row in service_keys.listing(db.session):
        revoked = row.revoked_at.isoformat() if row.revoked_at else "active"
        click.echo(f"{row.id}\t{row.name}\t{row.created_at.isoformat()}\t{revoked}")


@service_keys_cli.command("revoke")
@click.argument("key_id", type=int)
@one_line_errors
def revoke_service_key(key_id):
    """Revoke a key by id; checks with it get 401 from the next request on."""
    row = service_keys.revoke(db.session, key_id)
    db.session.commit()
    click.echo(f"service key {row.id} ({row.name}) revoked")


@click.group("tokens", cls=AppGroup)
def tokens_cli():
    """Member tokens."""


@tokens_cli.command("mint")
@click.argument("email")
@click.option("--ttl", default=3600, show_default=True, help="Seconds until it expires.")
@one_line_errors
def mint_token(email, ttl):
    """Print a dev JWT for EMAIL, signed with AUTH_JWT_SECRET."""
    click.echo(tokens.mint(email.strip().lower(), ttl))


@click.command("check")
@with_appcontext
@click.argument("email")
@click.argument("where", metavar="ORG[/PROJECT]")
@click.argument("resource")
@click.argument("action")
@one_line_errors
def check(email, where, resource, action):
    """Print the decision for EMAIL doing ACTION on RESOURCE, and why."""
    org, _, project = where.partition("/")
    args = CheckSchema().load({"member": email, "org": org, "project": project or None,
                             "resource": resource, "action": action})
    state = current_engine().fresh(db.session)
    result = state.decide(args, explain=True)
    explanation = result["explanation"]
    click.echo("allowed" if result["allowed"] else "denied")
    if result["allowed"]:
        grant, rule = explanation["grant"], explanation["rule"]
        place = f"project {grant['project']}" if grant["project"] else "the organization"
        click.echo(f"  by the {grant['role']} grant on {place}")
        click.echo(f"  rule {rule['source']}: {rule['line']}  ({rule['comment']})")
    else:
        click.echo(f"  {explanation['reason']}")
    click.echo(f"  at revision {state.revision}")


@click.group("policy", cls=AppGroup)
def policy_cli():
    """The policy files."""


@policy_cli.command("test")
@click.option("--dir", "policy_dir", type=click.Path(file_okay=False, path_type=Path),
              default=POLICY_DIR, show_default=True)
def test_policy(policy_dir):
    """Run policy/tests.yaml against the policy; exit 1 on any failure."""
    try:
        problems = policy_tests.run(policy_dir)
    except (PolicyError, OSError, KeyError, TypeError, ValueError) as error:
        raise click.ClickException(f"policy cannot be tested: {error}") from None
    for problem in problems:
        click.echo(f"FAIL {problem}")
    cases = len(policy_tests.load_cases(policy_dir))
    if problems:
        click.echo(f"{len(problems)} failed, {cases} cases")
        sys.exit(1)
    click.echo(f"policy ok: {cases} cases, every permission asserted in each")


@policy_cli.command("matrix")
@click.option("--dir", "policy_dir", type=click.Path(file_okay=False, path_type=Path),
              default=POLICY_DIR, show_default=True)
@one_line_errors
def print_matrix(policy_dir):
    """Print the role x permission matrix as Markdown."""
    click.echo(matrix.render(compile_roles(policy_dir)), nl=False)


def init_app(app: Flask) -> None:
    from .demo import demo

    for command in (orgs_cli, projects_cli, service_keys_cli, tokens_cli, check, policy_cli, demo):
        app.cli.add_command(command)

