"""Validation of the bot's request bodies against Discord's official OpenAPI 3.1 description.

The spec lives outside the repository (shared/discord-api-spec/openapi.json). It is found via
the DISCORD_OPENAPI_SPEC environment variable, else by walking up from the repository root.
When it is absent, validation is skipped and `SpecValidator.unavailable_reason` says why.

On top of the schema, the limits Discord enforces but the spec cannot express are checked
(2000 characters of content, the embed totals).
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import (  # type: ignore[import-untyped]
    ValidationError,
    best_match,
    relevance,
)
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_ENV_VAR = "DISCORD_OPENAPI_SPEC"
SPEC_RELATIVE_PATH = Path("shared") / "discord-api-spec" / "openapi.json"
REPO_ROOT = Path(__file__).resolve().parents[2]
_SPEC_URI = "urn:discord-openapi"

MAX_CONTENT = 2000
MAX_EMBED_TOTAL = 6000
MAX_EMBED_TITLE = 256
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER_TEXT = 2048
MAX_AUTHOR_NAME = 256

# Routes whose body is (or, for callbacks, carries) a message.
_MESSAGE_CREATE_ROUTES = {
    ("POST", "/channels/{channel_id}/messages"),
    ("POST", "/webhooks/{webhook_id}/{webhook_token}"),
}
_MESSAGE_EDIT_ROUTES = {
    ("PATCH", "/channels/{channel_id}/messages/{message_id}"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/@original"),
    ("PATCH", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}"),
}
_CALLBACK_ROUTE = ("POST", "/interactions/{interaction_id}/{interaction_token}/callback")
_CALLBACK_MESSAGE_TYPES = {4, 7}  # CHANNEL_MESSAGE_WITH_SOURCE, UPDATE_MESSAGE


def find_spec_file(start: Path = REPO_ROOT) -> Path | None:
    """Locate openapi.json: $DISCORD_OPENAPI_SPEC, else shared/ in `start` or any parent."""
    override = os.environ.get(SPEC_ENV_VAR)
    if override:
        path = Path(override)
        return path if path.is_file() else None
    for directory in (start, *start.parents):
        candidate = directory / SPEC_RELATIVE_PATH
        if candidate.is_file():
            return candidate
    return None


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^/{}]+\})", template)
    pattern = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{pattern}$")


def _literal_segments(template: str) -> int:
    return sum(1 for segment in template.split("/") if segment and not segment.startswith("{"))


@dataclass(frozen=True)
class RouteTemplate:
    """An API path template such as `/channels/{channel_id}/messages`."""

    template: str
    regex: re.Pattern[str]

    @classmethod
    def parse(cls, template: str) -> RouteTemplate:
        """Compile a template; `{name}` matches one path segment."""
        return cls(template, _template_regex(template))

    def matches(self, path: str) -> bool:
        """Whether a concrete path (without the /api/v10 prefix) fits this template."""
        return self.regex.match(path) is not None


def match_template(templates: Iterable[str], path: str) -> str | None:
    """The most specific template matching `path` (literal segments beat placeholders)."""
    candidates = [template for template in templates if _template_regex(template).match(path)]
    if not candidates:
        return None
    return max(candidates, key=_literal_segments)


def _with_lenient_snowflakes(spec: dict[str, Any]) -> dict[str, Any]:
    """Copy of the spec whose snowflakes also accept integers: discord.py sends ids as ints."""
    adapted = copy.deepcopy(spec)
    schemas = adapted["components"]["schemas"]
    original = schemas["SnowflakeType"]
    schemas["SnowflakeType"] = {"anyOf": [{"type": "integer", "minimum": 0}, original]}
    return adapted


@functools.lru_cache(maxsize=4)
def _load_spec(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return _with_lenient_snowflakes(spec)


def _pointer(*segments: str) -> str:
    escaped = (segment.replace("~", "~0").replace("/", "~1") for segment in segments)
    return "/" + "/".join(quote(segment, safe="") for segment in escaped)


class SpecValidator:
    """Validates request bodies against the OpenAPI requestBody schema of their route."""

    def __init__(self, spec_path: Path | None = None) -> None:
        self.spec_path = spec_path if spec_path is not None else find_spec_file()
        self.unavailable_reason: str | None = None
        self._spec: dict[str, Any] | None = None
        self._registry: Registry[Any] | None = None
        self._validators: dict[tuple[str, str], Draft202012Validator | None] = {}
        if self.spec_path is None or not self.spec_path.is_file():
            self.unavailable_reason = (
                f"Discord OpenAPI spec not found (set {SPEC_ENV_VAR} or provide {SPEC_RELATIVE_PATH} "
                f"beside or above {REPO_ROOT}); request bodies were not validated against it"
            )
            return
        self._spec = _load_spec(str(self.spec_path))
        resource: Resource[Any] = Resource.from_contents(self._spec, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(_SPEC_URI, resource)

    @property
    def available(self) -> bool:
        """Whether the spec was found, i.e. schema validation is active."""
        return self._spec is not None

    @functools.cached_property
    def _templates(self) -> list[str]:
        return list(self._spec["paths"]) if self._spec else []

    def spec_route(self, path: str) -> str | None:
        """The spec's path template for a concrete request path, if it has one."""
        return match_template(self._templates, path)

    def _validator(self, template: str, method: str) -> Draft202012Validator | None:
        key = (template, method)
        if key not in self._validators:
            self._validators[key] = self._build_validator(template, method)
        return self._validators[key]

    def _build_validator(self, template: str, method: str) -> Draft202012Validator | None:
        assert self._spec is not None and self._registry is not None
        operation = self._spec["paths"][template].get(method.lower(), {})
        content = operation.get("requestBody", {}).get("content", {})
        media_type = next((m for m in ("application/json", "multipart/form-data") if m in content), None)
        if media_type is None:
            return None
        ref = (
            _SPEC_URI
            + "#"
            + _pointer("paths", template, method.lower(), "requestBody", "content", media_type, "schema")
        )
        return Draft202012Validator({"$ref": ref}, registry=self._registry)

    def validate(self, method: str, path: str, body: Any) -> list[str]:
        """Problems with a request body (an empty list when it is valid or there is no schema)."""
        problems = list(check_discord_limits(method, path, body))
        if not self.available or body is None:
            return problems
        template = self.spec_route(path)
        if template is None:
            return problems
        validator = self._validator(template, method)
        if validator is None:
            return problems
        errors = list(validator.iter_errors(body))
        if errors:
            problems.append(
                f"{method} {template}: schema violation {describe_error(max(errors, key=relevance))}"
            )
        return problems


def _shorten(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def _location(error: ValidationError) -> str:
    return "/".join(str(part) for part in error.absolute_path) or "<body>"


def _is_discriminator_miss(error: ValidationError) -> bool:
    """A union branch rejected on the instance's own type or its `type` field: not the intended one."""
    return error.validator in ("type", "enum", "const") and list(error.relative_path) in ([], ["type"])


def describe_error(error: ValidationError) -> str:
    """Explain a schema error, descending anyOf/oneOf into the branch the body was meant for.

    Discord's unions are discriminated by a `type` field; the branch whose `type` matched is the
    intended one and its error is the useful one.
    """
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for sub_error in error.context:
            branches.setdefault(sub_error.schema_path[0], []).append(sub_error)
        intended = [errors for errors in branches.values() if not any(map(_is_discriminator_miss, errors))]
        if len(intended) != 1:
            closest = best_match(error.context)
            hint = (
                f" (closest branch: at {_location(closest)}: {_shorten(closest.message)})" if closest else ""
            )
            return f"at {_location(error)}: {_shorten(error.message)}{hint}"
        error = max(intended[0], key=relevance)
    return f"at {_location(error)}: {_shorten(error.message)}"


def _message_bodies(method: str, path: str, body: Any) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """(route, message-like dict, is_create) for bodies that create or edit a message."""
    if not isinstance(body, dict):
        return
    for route_method, template in _MESSAGE_CREATE_ROUTES | _MESSAGE_EDIT_ROUTES:
        if route_method == method and _template_regex(template).match(path):
            yield template, body, (route_method, template) in _MESSAGE_CREATE_ROUTES
            return
    if method == _CALLBACK_ROUTE[0] and _template_regex(_CALLBACK_ROUTE[1]).match(path):
        data = body.get("data")
        if body.get("type") in _CALLBACK_MESSAGE_TYPES and isinstance(data, dict):
            yield _CALLBACK_ROUTE[1], data, body.get("type") == 4


def check_discord_limits(method: str, path: str, body: Any) -> Iterator[str]:
    """Limits Discord enforces that the OpenAPI schema does not express."""
    for template, message, is_create in _message_bodies(method, path, body):
        yield from (
            f"{method} {template}: {problem}" for problem in message_limit_problems(message, is_create)
        )


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str) else 0


def message_limit_problems(message: dict[str, Any], is_create: bool = False) -> list[str]:
    """Content and embed limits of one message payload."""
    problems: list[str] = []
    content = message.get("content")
    if _length(content) > MAX_CONTENT:
        problems.append(f"content is {_length(content)} characters (max {MAX_CONTENT})")
    embeds = message.get("embeds") or []
    total = 0
    for index, embed in enumerate(embeds):
        problems.extend(f"embeds[{index}]: {problem}" for problem in embed_limit_problems(embed))
        total += embed_characters(embed)
    if total > MAX_EMBED_TOTAL:
        problems.append(f"embeds total {total} characters (max {MAX_EMBED_TOTAL})")
    has_payload = any(
        message.get(key) for key in ("content", "embeds", "components", "attachments", "sticker_ids", "poll")
    )
    if is_create and not has_payload:
        problems.append("cannot send an empty message (no content, embeds, components, files or poll)")
    return problems


def embed_characters(embed: dict[str, Any]) -> int:
    """Characters that count toward the 6000 limit: title, description, fields, footer, author."""
    fields = embed.get("fields") or []
    return (
        _length(embed.get("title"))
        + _length(embed.get("description"))
        + sum(_length(f.get("name")) + _length(f.get("value")) for f in fields)
        + _length((embed.get("footer") or {}).get("text"))
        + _length((embed.get("author") or {}).get("name"))
    )


def embed_limit_problems(embed: dict[str, Any]) -> list[str]:
    """Per-embed limits."""
    problems: list[str] = []
    checks = [
        ("title", _length(embed.get("title")), MAX_EMBED_TITLE),
        ("description", _length(embed.get("description")), MAX_EMBED_DESCRIPTION),
        ("footer.text", _length((embed.get("footer") or {}).get("text")), MAX_FOOTER_TEXT),
        ("author.name", _length((embed.get("author") or {}).get("name")), MAX_AUTHOR_NAME),
    ]
    fields = embed.get("fields") or []
    if len(fields) > MAX_EMBED_FIELDS:
        problems.append(f"{len(fields)} fields (max {MAX_EMBED_FIELDS})")
    for index, embed_field in enumerate(fields):
        checks.append((f"fields[{index}].name", _length(embed_field.get("name")), MAX_FIELD_NAME))
        checks.append((f"fields[{index}].value", _length(embed_field.get("value")), MAX_FIELD_VALUE))
    problems.extend(
        f"{name} is {size} characters (max {limit})" for name, size, limit in checks if size > limit
    )
    return problems
