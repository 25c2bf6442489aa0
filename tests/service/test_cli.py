"""The Flask commands: output scripts can read, one-line errors, and the same rules as the API."""

import jwt
import pytest

from adapters.policy_files import POLICY_DIR
from tests.conftest import JWT_SECRET


def last_line(result):
    return result.stdout.strip().splitlines()[-1]


def test_orgs_and_projects_create(runner, world):
    result = runner.invoke(args=["orgs", "create", "acme", "--name", "Acme",
                                 "--owner", " Owner@Acme.Test "])
    assert result.exit_code == 0, result.output
    assert "owner@acme.test" in result.output
    result = runner.invoke(args=["projects", "create", "acme", "web", "--name", "Web"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["check", "owner@acme.test", "acme/web", "webhooks", "write"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "allowed"
    assert "owner.csv:" in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["orgs", "create", "Bad Slug", "--name", "x", "--owner", "o@x.test"], "slug"),
    (["orgs", "create", "acme", "--name", "x", "--owner", "not-an-email"], "owner"),
    (["orgs", "create", "acme", "--name", "Again", "--owner", "o@x.test"], "exists already"),
    (["projects", "create", "nope", "web", "--name", "Web"], "No organization 'nope'"),
    (["projects", "create", "acme", "web", "--name", "Web"], "exists already"),
    (["check", "owner@acme.test", "acme/web", "webhook", "write"], "resource"),
])
def test_errors_are_one_line_and_exit_non_zero(runner, world, args, message):
    world.org("acme")
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_check_explains_a_denial(runner, world):
    world.org("acme")
    world.member("v@acme.test", "org viewer")
    result = runner.invoke(args=["check", "v@acme.test", "acme", "members", "read"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == [
        "denied", "  no grant of this member allows members.read in the organization scope"]


def test_service_key_is_printed_once_on_the_last_line(runner, client, world):
    world.org("acme")
    result = runner.invoke(args=["service-keys", "create", "billing"])
    assert result.exit_code == 0
    key = last_line(result)
    assert key.startswith("rgk_") and len(key) > 40
    response = client.post("/v1/check", headers={"Authorization": f"Bearer {key}"}, json={
        "member": "owner@acme.test", "org": "acme", "resource": "members", "action": "read"})
    assert response.json["allowed"] is True


def test_service_keys_are_stored_as_hashes_only(app, runner, database_uri):
    from service.extensions import db
    from service.models import ServiceKey

    key = last_line(runner.invoke(args=["service-keys", "create", "billing"]))
    with app.app_context():
        row = db.session.query(ServiceKey).one()
        assert key not in (row.key_hash, row.name)
        assert len(row.key_hash) == 64


def test_tokens_mint_a_verifiable_jwt(runner):
    result = runner.invoke(args=["tokens", "mint", "Someone@Acme.Test", "--ttl", "60"])
    assert result.exit_code == 0
    claims = jwt.decode(last_line(result), JWT_SECRET, algorithms=["HS256"])
    assert claims["sub"] == "someone@acme.test"
    assert claims["exp"] - claims["iat"] == 60


def test_policy_test_passes_and_fails_on_a_broken_copy(runner, tmp_path):
    import shutil

    result = runner.invoke(args=["policy", "test"])
    assert result.exit_code == 0, result.output
    assert "policy ok" in result.output
    broken = tmp_path / "policy"
    shutil.copytree(POLICY_DIR, broken)
    with (broken / "support.csv").open("a") as file:
        file.write("\n# Wrong on purpose.\np, role:support, webhooks, write, project\n")
    result = runner.invoke(args=["policy", "test", "--dir", str(broken)])
    assert result.exit_code == 1
    assert "FAIL project support in that project: expected deny webhooks.write" in result.output


def test_policy_test_reports_an_unreadable_policy(runner, tmp_path):
    result = runner.invoke(args=["policy", "test", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "policy cannot be tested" in result.output


def test_matrix_md_is_up_to_date(runner):
    result = runner.invoke(args=["policy", "matrix"])
    assert result.exit_code == 0
    assert result.stdout == (POLICY_DIR / "MATRIX.md").read_text(), \
        "run `flask --app wsgi policy matrix > policy/MATRIX.md`"


def test_demo_refuses_outside_dev_mode(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1
    assert "dev mode" in result.output
