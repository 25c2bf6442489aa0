"""Billing: a tiny second app that asks Rolegate before each view.

    BILLING_ROLEGATE_URL=http://127.0.0.1:5000 BILLING_ROLEGATE_SERVICE_KEY=rgk_... \
    BILLING_SECRET_KEY=... gunicorn 'examples.billing.app:create_app()'

Its own login is a stand-in (any email, kept in Flask's signed session cookie); a real app has
its identity provider there. Rolegate only ever sees the member this app vouches for.
"""

from flask import Flask, jsonify, request, session

from service.extension import Rolegate

rolegate = Rolegate()


@rolegate.member_loader
def current_member():
    return session.get("email")


def project() -> str:
    return request.view_args["project"]


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(ROLEGATE_ORG="acme")
    app.config.from_prefixed_env("BILLING")
    app.config.from_mapping(config or {})
    rolegate.init_app(app)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.post("/login")
    def login():
        session["email"] = request.get_json()["email"].strip().lower()
        return {"member": session["email"]}

    @app.get("/projects/<project>/subscriptions")
    @rolegate.require("subscriptions", "read", project=project)
    def subscriptions(project):
        return {"project": project, "subscriptions": [{"id": 1, "plan": "pro"}]}

    @app.post("/projects/<project>/subscriptions")
    @rolegate.require("subscriptions", "write", project=project)
    def add_subscription(project):
        return {"project": project, "created": request.get_json()}, 201

    @app.get("/projects/<project>/webhooks")
    @rolegate.require("webhooks", "read", project=project)
    def webhooks(project):
        return {"project": project, "webhooks": []}

    for status in (401, 403, 503):
        app.register_error_handler(status, lambda error: (
            jsonify({"code": error.code, "message": error.description}), error.code))
    return app
