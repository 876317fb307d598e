"""Interactions the fake dispatched, what the bot answered to them, and option encoding."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import JSON, FakeChannel, FakeGuild, FakeRole, FakeUser
from .waiting import StateWaiter

# Interaction types.
APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
APPLICATION_COMMAND_AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

# Interaction callback types.
PONG = 1
CHANNEL_MESSAGE_WITH_SOURCE = 4
DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE = 5
DEFERRED_UPDATE_MESSAGE = 6
UPDATE_MESSAGE = 7
APPLICATION_COMMAND_AUTOCOMPLETE_RESULT = 8
MODAL = 9

# Application command option types.
SUB_COMMAND = 1
SUB_COMMAND_GROUP = 2
STRING = 3
INTEGER = 4
BOOLEAN = 5
USER = 6
CHANNEL = 7
ROLE = 8
MENTIONABLE = 9
NUMBER = 10
ATTACHMENT = 11

# Message flags.
EPHEMERAL = 1 << 6
LOADING = 1 << 7


class CommandNotAvailable(Exception):
    """Discord would not let this user invoke the command (default permissions, context)."""


@dataclass
class InteractionHandle:
    """One interaction sent to the bot, and everything the bot answered to it.

    `callback` is the body of the interaction callback; `original` the original response
    message (for component interactions: the message the component is on, once deferred/updated);
    `followups` the messages created through the follow-up webhook.
    """

    id: int
    token: str
    type: int
    payload: JSON
    channel: FakeChannel
    user: FakeUser
    waiter: StateWaiter = field(repr=False)
    callback: JSON | None = None
    original: JSON | None = None
    followups: list[JSON] = field(default_factory=list)
    followup_bodies: list[JSON] = field(default_factory=list)
    edit_bodies: list[JSON] = field(default_factory=list)

    @property
    def callback_type(self) -> int | None:
        """The interaction callback type the bot chose, once it answered."""
        return None if self.callback is None else int(self.callback["type"])

    @property
    def choices(self) -> list[JSON] | None:
        """Autocomplete choices the bot returned, once it answered."""
        if self.callback_type != APPLICATION_COMMAND_AUTOCOMPLETE_RESULT:
            return None
        assert self.callback is not None
        return list((self.callback.get("data") or {}).get("choices") or [])

    async def wait_callback(self, timeout: float = 5.0) -> JSON:
        """The callback body, once the bot acknowledged the interaction."""
        return await self.waiter.until(lambda: self.callback, timeout=timeout, what=f"a callback to {self}")

    async def wait_original(
        self, predicate: Callable[[JSON], bool] | None = None, timeout: float = 5.0
    ) -> JSON:
        """The original response message once it is no longer 'thinking' (or matches `predicate`)."""

        def probe() -> JSON | None:
            message = self.original
            if message is None:
                return None
            ready = predicate(message) if predicate else not int(message.get("flags", 0)) & LOADING
            return message if ready else None

        return await self.waiter.until(probe, timeout=timeout, what=f"the original response of {self}")

    async def wait_followup(self, index: int = 0, timeout: float = 5.0) -> JSON:
        """The `index`-th follow-up message (0 for the first)."""

        def probe() -> JSON | None:
            return self.followups[index] if len(self.followups) > index else None

        return await self.waiter.until(probe, timeout=timeout, what=f"follow-up #{index} of {self}")

    def __str__(self) -> str:
        name = (self.payload.get("data") or {}).get("name") or (self.payload.get("data") or {}).get(
            "custom_id"
        )
        return f"interaction {self.id} (type {self.type}, {name!r})"


def iter_components(components: list[JSON] | None) -> Iterator[JSON]:
    """Every component in a message, depth first (rows, sections, containers, accessories)."""
    for component in components or []:
        yield component
        yield from iter_components(component.get("components"))
        accessory = component.get("accessory")
        if accessory:
            yield accessory


def find_option(options: list[JSON] | None, name: str) -> JSON | None:
    """The option definition called `name` in a synced command's option list."""
    return next((option for option in options or [] if option.get("name") == name), None)


_INFERRED_TYPES: list[tuple[type, int]] = [
    (bool, BOOLEAN),
    (int, INTEGER),
    (float, NUMBER),
    (str, STRING),
    (FakeUser, USER),
    (FakeChannel, CHANNEL),
    (FakeRole, ROLE),
]


def infer_option_type(value: Any) -> int:
    """Option type of a Python value, for commands the bot never synced."""
    if isinstance(value, dict) and "filename" in value:
        return ATTACHMENT
    for python_type, option_type in _INFERRED_TYPES:
        if isinstance(value, python_type):
            return option_type
    raise TypeError(f"cannot infer an option type for {value!r}")


@dataclass
class ResolvedData:
    """The `resolved` block of an interaction: objects referenced by options."""

    guild: FakeGuild | None
    users: dict[str, JSON] = field(default_factory=dict)
    members: dict[str, JSON] = field(default_factory=dict)
    roles: dict[str, JSON] = field(default_factory=dict)
    channels: dict[str, JSON] = field(default_factory=dict)
    attachments: dict[str, JSON] = field(default_factory=dict)

    def add_user(self, user: FakeUser) -> str:
        """Resolve a user (and their membership, in a guild); returns the option value."""
        key = str(user.id)
        self.users[key] = user.to_payload()
        member = self.guild.members.get(user.id) if self.guild else None
        if member is not None and self.guild is not None:
            self.members[key] = member.to_payload(
                with_user=False, permissions=self.guild.permissions_for(user.id)
            )
        return key

    def add_role(self, role: FakeRole) -> str:
        """Resolve a role; returns the option value."""
        self.roles[str(role.id)] = role.to_payload()
        return str(role.id)

    def add_channel(self, channel: FakeChannel) -> str:
        """Resolve a channel; returns the option value."""
        payload = channel.to_payload()
        payload["permissions"] = str(self.guild.everyone_role.permissions) if self.guild else "0"
        self.channels[str(channel.id)] = payload
        return str(channel.id)

    def add_attachment(self, attachment: JSON) -> str:
        """Resolve an attachment payload; returns the option value."""
        self.attachments[str(attachment["id"])] = attachment
        return str(attachment["id"])

    def to_payload(self) -> JSON:
        """The non-empty parts, as Discord sends them."""
        parts = {
            "users": self.users,
            "members": self.members,
            "roles": self.roles,
            "channels": self.channels,
            "attachments": self.attachments,
        }
        return {key: value for key, value in parts.items() if value}


def encode_option_value(option_type: int, value: Any, resolved: ResolvedData) -> Any:
    """An option value as Discord sends it, registering referenced objects in `resolved`."""
    if option_type == STRING:
        return str(value)
    if option_type == INTEGER:
        return int(value)
    if option_type == NUMBER:
        return float(value)
    if option_type == BOOLEAN:
        return bool(value)
    if option_type in (USER, MENTIONABLE) and isinstance(value, FakeUser):
        return resolved.add_user(value)
    if option_type in (ROLE, MENTIONABLE) and isinstance(value, FakeRole):
        return resolved.add_role(value)
    if option_type == CHANNEL and isinstance(value, FakeChannel):
        return resolved.add_channel(value)
    if option_type == ATTACHMENT and isinstance(value, dict):
        return resolved.add_attachment(value)
    raise TypeError(f"value {value!r} does not fit option type {option_type}")


def encode_options(
    definitions: list[JSON] | None,
    values: Mapping[str, Any],
    resolved: ResolvedData,
    *,
    focused: str | None = None,
    command_name: str,
) -> list[JSON]:
    """Option payloads for `values`, typed by the synced definitions when there are some.

    The focused option (autocomplete) is sent as the partial string the user typed.
    """
    options: list[JSON] = []
    for name, value in values.items():
        definition = find_option(definitions, name)
        if definition is None and definitions is not None:
            known = [option.get("name") for option in definitions]
            raise ValueError(f"/{command_name} has no option {name!r}; synced options: {known}")
        option_type = int(definition["type"]) if definition else infer_option_type(value)
        option: JSON = {"name": name, "type": option_type}
        if name == focused:
            option["value"] = str(value)
            option["focused"] = True
        else:
            option["value"] = encode_option_value(option_type, value, resolved)
        options.append(option)
    return options
