"""What the bot sent to the fake: recorded requests, uploaded files, command syncs, injected failures."""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .models import JSON
from .spec import RouteTemplate


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (`files[n]`)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One HTTP request the bot made, with the fake's answer.

    `json` is the JSON body (for multipart requests: the parsed `payload_json`), `route` the
    fake's path template that served it (None when the fake has no such route), `problems`
    the spec/limit violations found in the body.
    """

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[UploadedFile] = field(default_factory=list)
    route: str | None = None
    status: int = 0
    response: Any = None
    problems: list[str] = field(default_factory=list)

    def matches(self, method: str | None = None, route: str | None = None) -> bool:
        """Whether this request has `method` and its path fits `route` (a template or concrete path)."""
        if method is not None and self.method != method.upper():
            return False
        return route is None or RouteTemplate.parse(route).matches(self.path)


@dataclass(frozen=True)
class CommandSync:
    """One bulk overwrite of application commands (guild_id None for global commands)."""

    guild_id: int | None
    body: list[JSON]
    response: list[JSON]


class ApiError(Exception):
    """An error answer in Discord's format: {"message", "code", "errors"?}."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    @classmethod
    def invalid_form_body(cls, problems: dict[str, list[str]]) -> ApiError:
        """400 / 50035 with Discord's nested {"field": {"_errors": [...]}} details."""
        errors = {
            key: {"_errors": [{"code": "INVALID_FORM_BODY", "message": message} for message in messages]}
            for key, messages in problems.items()
        }
        return cls(400, 50035, "Invalid Form Body", errors)

    def to_response(self) -> web.Response:
        """The aiohttp response."""
        body: JSON = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return json_response(body, status=self.status)


def json_response(body: Any, *, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """A JSON answer whose Content-Type is exactly `application/json` (discord.py compares it verbatim)."""
    # web.Response(text=...) would append "; charset=utf-8", which discord.py does not parse as JSON.
    payload = json.dumps(body).encode()
    return web.Response(body=payload, status=status, content_type="application/json", headers=headers)


@dataclass
class FailureRule:
    """Answer the next `remaining` requests matching method+route with `status`."""

    method: str
    route: RouteTemplate
    remaining: int
    status: int
    retry_after: float
    is_global: bool

    def applies(self, method: str, path: str) -> bool:
        """Whether this rule still fires for the request."""
        return self.remaining > 0 and self.method in (method, "*") and self.route.matches(path)

    def response(self) -> web.Response:
        """A 429 with Discord's rate-limit headers and body, or a bare server error."""
        if self.status != 429:
            return json_response(
                {"message": f"{self.status}: Injected failure", "code": 0}, status=self.status
            )
        headers = {
            "Retry-After": str(max(1, math.ceil(self.retry_after))),
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + self.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": f"fake-{abs(hash(self.route.template)):x}",
            "X-RateLimit-Scope": "global" if self.is_global else "user",
            # discord.py treats a 429 without Via as a Cloudflare ban and gives up.
            "Via": "1.1 google",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        body = {
            "message": "You are being rate limited.",
            "retry_after": self.retry_after,
            "global": self.is_global,
        }
        return json_response(body, status=429, headers=headers)
