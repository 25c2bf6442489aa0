"""Rolegate for a consuming Flask app: a decorator that asks before the view runs.

    rolegate = Rolegate(app)

    @rolegate.member_loader
    def current_member():
        return g.user.email if g.get("user") else None

    @app.post("/<project>/subscriptions")
    @rolegate.require("subscriptions", "write", project=lambda: request.view_args["project"])
    def edit(project): ...

Settings (the consuming app's config): ROLEGATE_URL and ROLEGATE_SERVICE_KEY (HTTP), or
ROLEGATE_DATABASE_URI (in-process: the same decisions from a local engine kept fresh from the
change log, no HTTP hop); ROLEGATE_ORG (default org), ROLEGATE_TIMEOUT (2 s),
ROLEGATE_CONSISTENCY ("fresh" or "minimize_latency").
Deny: 403. No member: 401. Rolegate unreachable or failing: 503. Never an allow by default.
"""

import functools
from collections.abc import Callable

from flask import Flask, abort, current_app, g

from adapters.vocabulary import RESOURCES, Action

from .client import Client, Decision

Value = str | Callable[[], str | None] | None


class Rolegate:
    def __init__(self, app: Flask | None = None):
        self._member_loader: Callable[[], str | None] = lambda: None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        config = app.config
        for key, value in {"ROLEGATE_URL": None, "ROLEGATE_SERVICE_KEY": None,
                           "ROLEGATE_DATABASE_URI": None, "ROLEGATE_ORG": None,
                           "ROLEGATE_TIMEOUT": 2.0, "ROLEGATE_CONSISTENCY": "fresh"}.items():
            config.setdefault(key, value)
        if config["ROLEGATE_DATABASE_URI"]:
            decider = LocalDecider(config["ROLEGATE_DATABASE_URI"], config["ROLEGATE_CONSISTENCY"])
        elif config["ROLEGATE_URL"] and config["ROLEGATE_SERVICE_KEY"]:
            decider = HttpDecider(Client(config["ROLEGATE_URL"], config["ROLEGATE_SERVICE_KEY"],
                                         float(config["ROLEGATE_TIMEOUT"])),
                                  config["ROLEGATE_CONSISTENCY"])
        else:
            raise RuntimeError("set ROLEGATE_URL and ROLEGATE_SERVICE_KEY, "
                               "or ROLEGATE_DATABASE_URI")
        app.extensions["rolegate"] = decider

    def member_loader(self, loader: Callable[[], str | None]):
        """Register the callback that names the current member (email or member id)."""
        self._member_loader = loader
        return loader

    def check(self, resource: str, action: str, project: Value = None,
              org: Value = None) -> Decision:
        """Decide for the current member; identical checks in one request are asked once."""
        member = self._member_loader()
        if member is None:
            return Decision(allowed=False, error="no member")
        key = (str(member), _value(org) or current_app.config["ROLEGATE_ORG"], _value(project),
               resource, action)
        memo = g.setdefault("_rolegate_decisions", {})
        if key not in memo:
            memo[key] = current_app.extensions["rolegate"].check(*key)
        return memo[key]

    def require(self, resource: str, action: str, project: Value = None, org: Value = None):
        """Decorate a view: 401 without a member, 403 on deny, 503 if Rolegate cannot answer."""
        if resource not in RESOURCES or action not in {a.value for a in Action}:
            raise ValueError(f"unknown permission {resource}.{action}")

        def decorate(view):
            @functools.wraps(view)
            def guarded(*args, **kwargs):
                if self._member_loader() is None:
                    abort(401)
                decision = self.check(resource, action, project, org)
                if decision.error is not None:
                    abort(503)
                if not decision.allowed:
                    abort(403)
                return view(*args, **kwargs)

            return guarded

        return decorate


def _value(value: Value) -> str | None:
    return value() if callable(value) else value


class HttpDecider:
    def __init__(self, client: Client, consistency: str):
        self._client, self._consistency = client, consistency

    def check(self, member, org, project, resource, action) -> Decision:
        return self._client.check(member, org, resource, action, project=project,
                                  consistency=self._consistency)


class LocalDecider:
    """The service's own engine on a shared database: fresh from the change log, no HTTP."""

    def __init__(self, database_uri: str, consistency: str):
        from sqlalchemy import create_engine
        from sqlalchemy.orm import sessionmaker

        from .engine import Engine

        self._sessions = sessionmaker(create_engine(database_uri, pool_pre_ping=True))
        self._engine, self._consistency = Engine(), consistency

    def check(self, member, org, project, resource, action) -> Decision:
        try:
            with self._sessions() as session:
                state = (self._engine.recent(session) if self._consistency == "minimize_latency"
                         else self._engine.fresh(session))
                result = state.decide({"member": member, "org": org, "project": project,
                                       "resource": resource, "action": action})
                return Decision(allowed=result["allowed"], revision=state.revision)
        except Exception as error:  # the database or the policy: fail closed, say why
            return Decision(allowed=False, error=f"{type(error).__name__}")
