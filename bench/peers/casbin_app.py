"""The baseline a team would write by hand: Flask, one casbin.Enforcer loaded from a CSV.

    CASBIN_POLICY=policy.csv gunicorn --workers 4 bench.peers.casbin_app:app
Bodies carry Casbin's own ids (no directory lookups), which only favours this peer.
"""

import os

import casbin
from flask import Flask, request

from adapters.policy_files import MODEL_PATH

app = Flask(__name__)
enforcer = casbin.Enforcer(str(MODEL_PATH), os.environ["CASBIN_POLICY"])


def decide(check: dict) -> bool:
    return enforcer.enforce(f"member:{check['member']}", f"org:{check['org']}",
                            f"project:{check['project']}", check["resource"], check["action"])


@app.post("/check")
def check():
    return {"allowed": decide(request.get_json())}


@app.post("/check/batch")
def check_batch():
    return {"results": [{"allowed": decide(item)} for item in request.get_json()["checks"]]}


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
