"""Probes: /healthz says the process is up, /readyz that it can decide."""


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_readyz_reports_the_revision(client, world):
    assert client.get("/readyz").json == {"status": "ready", "revision": 0}
    world.org("acme")
    assert client.get("/readyz").json == {"status": "ready", "revision": 3}  # org + 2 projects
