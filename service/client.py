"""A client for services that ask Rolegate: pooled, timed out, retried once, fail closed.

    client = Client("http://rolegate:5000", service_key)
    if client.check("ann@acme.test", "acme", "subscriptions", "write", project="web"):
        ...

Every way a check can fail (timeout, refused connection, 5xx, 4xx, an answer that is not the
documented shape) is a Decision(allowed=False, error=...), or RolegateError if the caller
chose raise_errors=True. Nothing but a well-formed {"allowed": true} is ever an allow.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import urllib3

MAX_BATCH = 1000


class RolegateError(Exception):
    """Rolegate could not answer; never read as an allow."""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    revision: int | None = None
    error: str | None = None
    explanation: dict | None = field(default=None, compare=False)

    def __bool__(self) -> bool:
        return self.allowed


class Client:
    def __init__(self, base_url: str, service_key: str, timeout: float = 2.0,
                 pool_size: int = 10, raise_errors: bool = False):
        self._base = base_url.rstrip("/")
        self._headers = {"Authorization": f"Bearer {service_key}",
                         "Content-Type": "application/json"}
        self._raise = raise_errors
        # Checks and lookups only read, so one retry on a failed connection is safe; a timeout
        # or an answer is never retried (the caller's latency budget is the timeout).
        self._pool = urllib3.PoolManager(
            maxsize=pool_size, block=False,
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=urllib3.Retry(total=1, connect=1, read=0, status=0, other=0, redirect=0))

    def check(self, member: str, org: str, resource: str, action: str,
              project: str | None = None, consistency: Any = None,
              explain: bool = False) -> Decision:
        body = {"member": str(member), "org": org, "project": project, "resource": resource,
                "action": action, "explain": explain}
        if consistency is not None:
            body["consistency"] = consistency
        try:
            answer = self._post("/v1/check", body)
            return _decision(answer, answer.get("revision"))
        except RolegateError as error:
            return self._failed(error)

    def check_many(self, checks: Iterable[dict], consistency: Any = None) -> list[Decision]:
        """Decide many checks (dicts with member, org, resource, action, project), in order."""
        checks, decisions = list(checks), []
        for start in range(0, len(checks), MAX_BATCH):
            chunk = checks[start:start + MAX_BATCH]
            body: dict = {"checks": chunk}
            if consistency is not None:
                body["consistency"] = consistency
            try:
                answer = self._post("/v1/check/batch", body)
                results = answer.get("results")
                if not isinstance(results, list) or len(results) != len(chunk):
                    raise RolegateError("malformed batch answer")
                decisions += [_decision(result, answer.get("revision")) for result in results]
            except RolegateError as error:
                decisions += [self._failed(error) for _ in chunk]
        return decisions

    def lookup_projects(self, member: str, org: str, resource: str, action: str) -> list[str]:
        answer = self._post("/v1/lookup/projects", {"member": str(member), "org": org,
                                                    "resource": resource, "action": action})
        return _list_of(answer, "projects", str)

    def lookup_members(self, org: str, resource: str, action: str, project: str | None = None,
                       page: int = 1, per_page: int = 100) -> dict:
        return self._post("/v1/lookup/members", {
            "org": org, "project": project, "resource": resource, "action": action,
            "page": page, "per_page": per_page})

    def permissions(self, org: str, member_id: int, project: str | None = None) -> list[dict]:
        path = f"/v1/orgs/{org}/members/{int(member_id)}/permissions"
        answer = self._request("GET", path, fields={"project": project} if project else None)
        return _list_of(answer, "permissions", dict)

    def close(self) -> None:
        self._pool.clear()

    def _post(self, path: str, body: dict) -> dict:
        return self._request("POST", path, body=json.dumps(body).encode())

    def _request(self, method: str, path: str, **kwargs) -> dict:
        """The answer as a dict, or RolegateError: lookups raise, checks turn it into a deny."""
        try:
            response = self._pool.request(method, self._base + path, headers=self._headers,
                                          **kwargs)
        except urllib3.exceptions.HTTPError as error:
            raise RolegateError(f"unreachable: {type(error).__name__}") from None
        if response.status != 200:
            raise RolegateError(f"HTTP {response.status}: {_message(response.data)}")
        try:
            answer = json.loads(response.data)
        except ValueError:
            raise RolegateError("the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise RolegateError("the answer is not an object")
        return answer

    def _failed(self, error: RolegateError) -> Decision:
        if self._raise:
            raise error
        return Decision(allowed=False, error=str(error))


def _decision(result: Any, revision: Any) -> Decision:
    if not isinstance(result, dict) or not isinstance(result.get("allowed"), bool):
        raise RolegateError("malformed decision")
    return Decision(allowed=result["allowed"] is True,
                    revision=revision if isinstance(revision, int) else None,
                    explanation=result.get("explanation"))


def _list_of(answer: dict, key: str, kind: type) -> list:
    items = answer.get(key)
    if not isinstance(items, list) or not all(isinstance(item, kind) for item in items):
        raise RolegateError(f"malformed {key}")
    return items


def _message(data: bytes) -> str:
    try:
        return str(json.loads(data).get("message", ""))[:200]
    except (ValueError, AttributeError):
        return ""
