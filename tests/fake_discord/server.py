"""FakeDiscord: a loopback Discord (REST API + gateway) for driving the real discord.py client.

The bot is pointed here by patching `discord.http.Route.BASE` and
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` (see `runner.patched_discord`). Tests act
as users through the async helpers (`send_message`, `invoke_command`, `click_button`, ...)
and observe what the bot did through the recorded requests and the message store.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import re
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Self
from urllib.parse import quote, unquote, urlparse

from aiohttp import web

from .gateway import INVALID_SESSION, RECONNECT, FakeGateway, GatewayFrame, GatewaySession
from .interactions import (
    APPLICATION_COMMAND,
    APPLICATION_COMMAND_AUTOCOMPLETE,
    APPLICATION_COMMAND_AUTOCOMPLETE_RESULT,
    CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
    DEFERRED_UPDATE_MESSAGE,
    EPHEMERAL,
    LOADING,
    MESSAGE_COMPONENT,
    MODAL,
    MODAL_SUBMIT,
    PONG,
    SUB_COMMAND,
    SUB_COMMAND_GROUP,
    UPDATE_MESSAGE,
    CommandNotAvailable,
    InteractionHandle,
    ResolvedData,
    encode_options,
    find_option,
    iter_components,
)
from .models import (
    ADMINISTRATOR,
    EVERYONE_PERMISSIONS,
    INTENT_DIRECT_MESSAGES,
    INTENT_GUILD_MEMBERS,
    INTENT_GUILD_MESSAGES,
    INTENT_MESSAGE_CONTENT,
    JSON,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    iso_timestamp,
)
from .records import ApiError, CommandSync, FailureRule, RecordedRequest, UploadedFile, json_response
from .spec import RouteTemplate, SpecValidator, match_template
from .waiting import StateWaiter
from .world import World

DEFAULT_TOKEN = "fake-discord-bot-token"
API_PREFIX = "/api/v10"
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# Message types.
DEFAULT_MESSAGE = 0
REPLY = 19
CHAT_INPUT_COMMAND = 20
# Application flags: GATEWAY_MESSAGE_CONTENT_LIMITED | APPLICATION_COMMAND_BADGE.
APPLICATION_FLAGS = (1 << 19) | (1 << 23)
CONTEXT_GUILD = 0
CONTEXT_BOT_DM = 1

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")
_BUTTON = 2
_SELECTS = {3, 5, 6, 7, 8}
_TEXT_INPUT = 4

Handler = Callable[["ApiCall"], Awaitable[Any]]
ChannelRef = FakeChannel | int | str


@functools.lru_cache(maxsize=1)
def default_validator() -> SpecValidator:
    """One validator per process: loading and compiling the spec is the slow part."""
    return SpecValidator()


class ApiCall:
    """A routed REST request: path parameters, query, body and uploads."""

    def __init__(self, request: web.Request, record: RecordedRequest, params: dict[str, str]) -> None:
        self.request = request
        self.record = record
        self.params = params
        self.query = record.query
        self.files = record.files

    @property
    def body(self) -> Any:
        """The JSON body (or multipart payload_json)."""
        return self.record.json

    def json_body(self) -> JSON:
        """The body as an object ({} when absent)."""
        return self.record.json if isinstance(self.record.json, dict) else {}

    def snowflake(self, name: str) -> int:
        """A path parameter as a snowflake; 404 when it is not one."""
        value = self.params[name]
        if not value.isdigit():
            raise ApiError(404, 0, "404: Not Found")
        return int(value)


class FakeDiscord:
    """A loopback Discord serving the REST API under /api/v10 and the gateway at /gateway.

    Every REST request is recorded (`requests`) and its body validated against Discord's
    OpenAPI spec and message limits (`spec_errors`). Messages the bot or test users create
    live in `messages`; interactions the tests dispatch are tracked as `InteractionHandle`s.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        validator: SpecValidator | None = None,
        reject_invalid_bodies: bool = False,
    ) -> None:
        self.token = token
        self.world = World()
        self.validator = validator if validator is not None else default_validator()
        self.reject_invalid_bodies = reject_invalid_bodies
        self.waiter = StateWaiter()
        self.requests: list[RecordedRequest] = []
        self.spec_errors: list[str] = []
        self.messages: dict[int, JSON] = {}
        self.interactions: list[InteractionHandle] = []
        self.command_syncs: list[CommandSync] = []
        self.synced_commands: dict[int | None, list[JSON]] = {}
        self._message_order: list[int] = []
        self._consumed: set[int] = set()
        self._command_ids: dict[tuple[int | None, str, int], int] = {}
        self._interactions_by_id: dict[int, InteractionHandle] = {}
        self._interactions_by_token: dict[str, InteractionHandle] = {}
        self._failures: list[FailureRule] = []
        self._attachments: dict[str, tuple[bytes, str]] = {}
        self._routes: dict[str, dict[str, Handler]] = {}
        self._register_routes()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.gateway = FakeGateway(
            token=token,
            ready_payload=self._ready_payload,
            guild_payloads=self._guild_payloads,
            member_chunk=self._member_chunk,
            notify=self.waiter.notify,
        )

    # ----------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        """The value for discord.http.Route.BASE."""
        return self.base_url + API_PREFIX

    @property
    def gateway_url(self) -> str:
        """The value for DiscordWebSocket.DEFAULT_GATEWAY (and READY's resume_gateway_url)."""
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        """Listen on a free loopback port."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{tail:.*}", self._serve_attachment)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._handle_api)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Close the gateway and stop serving."""
        await self.gateway.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ----------------------------------------------------------------- the cast

    @property
    def bot_user(self) -> FakeUser:
        """The bot's own user."""
        return self.world.bot_user

    @property
    def application_id(self) -> int:
        """The application id (equal to the bot user's id)."""
        return self.world.application_id

    @property
    def guild(self) -> FakeGuild:
        """The default guild."""
        return self.world.guild

    @property
    def general(self) -> FakeChannel:
        """#general in the default guild."""
        return self.world.general

    @property
    def help_channel(self) -> FakeChannel:
        """#help in the default guild."""
        return self.world.help

    @property
    def user(self) -> FakeUser:
        """A plain member of the default guild."""
        return self.world.user

    @property
    def moderator(self) -> FakeUser:
        """A member with the Moderator role (Manage Server)."""
        return self.world.moderator

    @property
    def owner(self) -> FakeUser:
        """The guild and application owner."""
        return self.world.owner

    @property
    def moderator_role(self) -> FakeRole:
        """The Moderator role."""
        return self.world.moderator_role

    def add_user(
        self, username: str, *, roles: Sequence[FakeRole] = (), guild: FakeGuild | None = None
    ) -> FakeUser:
        """A new user who is a member of `guild` (default guild) with `roles`."""
        user = self.world.add_user(username)
        self.world.add_member(guild or self.guild, user, roles=list(roles))
        return user

    def add_text_channel(self, name: str, guild: FakeGuild | None = None) -> FakeChannel:
        """A new text channel (announce it with `dispatch("CHANNEL_CREATE", ...)` if the bot is running)."""
        return self.world.add_text_channel(guild or self.guild, name)

    async def add_thread(
        self, parent: ChannelRef, name: str, *, owner: FakeUser | None = None
    ) -> FakeChannel:
        """A new public thread in `parent`, started by `owner` (default: the plain user), announced.

        THREAD_CREATE is dispatched, as Discord does to a bot that can see the parent channel.
        """
        thread = self.world.add_thread(self._channel(parent), name, owner=owner or self.user)
        if self.gateway.connected:
            await self.dispatch("THREAD_CREATE", {**thread.to_payload(), "newly_created": True})
        return thread

    async def delete_message(self, message: JSON) -> None:
        """The author deletes `message`: it is gone, and MESSAGE_DELETE is dispatched."""
        message_id = int(message["id"])
        del self.messages[message_id]
        data = {"id": str(message_id), "channel_id": message["channel_id"]}
        if message.get("guild_id"):
            data["guild_id"] = message["guild_id"]
        await self.dispatch("MESSAGE_DELETE", data)

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The DM channel between the bot and `user`."""
        return self.world.dm_channel(user)

    def add_attachment(
        self,
        filename: str,
        data: bytes,
        *,
        content_type: str = "text/plain",
        channel: ChannelRef | None = None,
    ) -> JSON:
        """Host `data` on the fake; returns an attachment payload whose url points here."""
        channel_id = self._channel(channel).id if channel is not None else 0
        attachment_id = self.world.snowflakes.next()
        path = f"/attachments/{channel_id}/{attachment_id}/{filename}"
        self._attachments[path] = (data, content_type)
        url = self.base_url + quote(path)
        return {
            "id": str(attachment_id),
            "filename": filename,
            "size": len(data),
            "url": url,
            "proxy_url": url,
            "content_type": content_type,
        }

    def attachment_data(self, attachment: JSON | str) -> bytes:
        """The bytes behind an attachment payload or url hosted by the fake (e.g. a file the bot uploaded)."""
        url = attachment if isinstance(attachment, str) else str(attachment["url"])
        return self._attachments[unquote(urlparse(url).path)][0]

    # ----------------------------------------------------------------- acting as users

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send a raw gateway DISPATCH; returns its sequence number."""
        return await self.gateway.dispatch(event, data)

    async def send_message(
        self,
        channel: ChannelRef,
        author: FakeUser,
        content: str = "",
        *,
        mentions: Sequence[FakeUser] = (),
        attachments: Sequence[JSON] = (),
        embeds: Sequence[JSON] = (),
        reply_to: JSON | None = None,
    ) -> JSON:
        """`author` posts a message (guild channel or DM): dispatches MESSAGE_CREATE; returns the message.

        Mentions are parsed from the content (`<@id>`, `<@&id>`, @everyone) and `mentions` adds
        users explicitly. Like Discord, the dispatch honours the bot's intents: no event without
        GUILD_MESSAGES/DIRECT_MESSAGES, and blank content without MESSAGE_CONTENT unless the bot
        is mentioned or it is a DM.
        """
        target = self._channel(channel)
        guild = self.world.guild_of(target)
        message = self._new_message(target, author, {"content": content}, guild=guild)
        message["attachments"] = list(attachments)
        message["embeds"] = [dict(embed) for embed in embeds]
        if reply_to is not None:
            self._attach_reference(message, {"message_id": reply_to["id"]}, target)
        self._apply_mentions(message, None, guild)
        self._add_mentions(message, mentions, guild)
        self._store_message(message)
        event = self._as_seen_by_bot(message, target)
        if event is not None:
            await self.gateway.dispatch("MESSAGE_CREATE", event)
        await self.waiter.notify()
        return message

    async def invoke_command(
        self,
        name: str,
        options: Mapping[str, Any] | None = None,
        *,
        user: FakeUser | None = None,
        channel: ChannelRef | None = None,
        roles: Sequence[FakeRole] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        enforce_default_permissions: bool = True,
    ) -> InteractionHandle:
        """`user` runs a slash command: dispatches INTERACTION_CREATE (type 2).

        `name` is the full name, e.g. "ask" or "kb reload" (group + subcommand). Option types
        come from the synced definition; a guild-synced command is sent with its guild_id.
        Raises CommandNotAvailable where Discord would hide the command from the user
        (default_member_permissions, DM context) unless `enforce_default_permissions` is False.
        `roles`/`permissions` override the member's roles and computed permissions.
        """
        return await self._command_interaction(
            APPLICATION_COMMAND,
            name,
            options or {},
            user=user,
            channel=channel,
            roles=roles,
            permissions=permissions,
            locale=locale,
            enforce=enforce_default_permissions,
        )

    async def autocomplete(
        self,
        name: str,
        options: Mapping[str, Any],
        focused: str,
        *,
        user: FakeUser | None = None,
        channel: ChannelRef | None = None,
        timeout: float = 5.0,
    ) -> list[JSON]:
        """`user` types into option `focused`: dispatches type 4 and returns the choices the bot offered."""
        handle = await self._command_interaction(
            APPLICATION_COMMAND_AUTOCOMPLETE,
            name,
            options,
            user=user,
            channel=channel,
            focused=focused,
            enforce=True,
        )
        await handle.wait_callback(timeout)
        if handle.choices is None:
            raise AssertionError(
                f"bot answered autocomplete with callback type {handle.callback_type}, not 8"
            )
        return handle.choices

    async def click_button(
        self,
        message: JSON,
        custom_id: str,
        *,
        user: FakeUser | None = None,
        roles: Sequence[FakeRole] | None = None,
        permissions: int | None = None,
    ) -> InteractionHandle:
        """`user` clicks the enabled button `custom_id` on `message` (INTERACTION_CREATE type 3)."""
        current, _ = self._find_component(message, custom_id, {_BUTTON})
        data = {"custom_id": custom_id, "component_type": _BUTTON}
        return await self._component_interaction(current, data, user, roles, permissions)

    async def select_options(
        self, message: JSON, custom_id: str, values: Sequence[str], *, user: FakeUser | None = None
    ) -> InteractionHandle:
        """`user` picks `values` in the select menu `custom_id` on `message` (type 3)."""
        current, component = self._find_component(message, custom_id, _SELECTS)
        data = {"custom_id": custom_id, "component_type": component["type"], "values": list(values)}
        return await self._component_interaction(current, data, user, None, None)

    # ----------------------------------------------------------------- gateway control

    async def submit_modal(
        self, handle: InteractionHandle, values: Mapping[str, str], *, user: FakeUser | None = None
    ) -> InteractionHandle:
        """`user` (default: who opened it) submits the modal the bot answered `handle` with (type 5).

        `values` maps text inputs' custom ids to what was typed; inputs left out are sent empty. The
        components are sent back in the shape the bot sent them (action rows or labels).
        """
        if handle.callback_type != MODAL or handle.callback is None:
            raise AssertionError(f"the bot did not answer {handle} with a modal")
        modal: JSON = handle.callback.get("data") or {}

        def answered(component: JSON) -> JSON:
            if component.get("type") == _TEXT_INPUT:
                return {
                    "type": _TEXT_INPUT,
                    "custom_id": component["custom_id"],
                    "value": values.get(component["custom_id"], ""),
                }
            if "component" in component:
                return {"type": component["type"], "component": answered(component["component"])}
            return {"type": component["type"], "components": [answered(c) for c in component["components"]]}

        data = {"custom_id": modal["custom_id"], "components": [answered(c) for c in modal["components"]]}
        submitter = user or handle.user
        channel = handle.channel
        guild = self.world.guild_of(channel)
        role_ids = self._role_ids(guild, submitter, None)
        permissions = self._member_permissions(guild, submitter, role_ids, None)
        message = handle.payload.get("message")
        current = self.messages.get(int(message["id"]), message) if message is not None else None
        return await self._dispatch_interaction(
            MODAL_SUBMIT, data, submitter, channel, role_ids, permissions, message=current
        )

    async def drop_connection(self, code: int = 4000, *, wait: bool = True, timeout: float = 5.0) -> None:
        """Close the bot's websocket (resumable with 4000); with `wait`, until it resumed or re-identified."""
        before = self.gateway.identifies + self.gateway.resumes
        await self.gateway.drop(code)
        if wait:
            await self.wait_until_connected(after=before, timeout=timeout)

    async def request_reconnect(self, *, wait: bool = True, timeout: float = 5.0) -> None:
        """Send op 7 RECONNECT: the bot closes and resumes."""
        before = self.gateway.identifies + self.gateway.resumes
        await self.gateway.send_op(RECONNECT)
        if wait:
            await self.wait_until_connected(after=before, timeout=timeout)

    async def invalidate_session(
        self, *, resumable: bool = False, wait: bool = True, timeout: float = 10.0
    ) -> None:
        """Send op 9 INVALID_SESSION: the bot reconnects and identifies afresh (or resumes).

        discord.py sleeps 5 s before every non-initial IDENTIFY (`Client.before_identify_hook`);
        override that hook on the test bot to make this fast.
        """
        before = self.gateway.identifies + self.gateway.resumes
        await self.gateway.send_op(INVALID_SESSION, resumable)
        if wait:
            await self.wait_until_connected(after=before, timeout=timeout)

    async def wait_until_connected(self, *, after: int = 0, timeout: float = 5.0) -> None:
        """Until the bot has identified or resumed more than `after` times in total and is connected."""

        def probe() -> bool | None:
            done = self.gateway.identifies + self.gateway.resumes > after and self.gateway.connected
            return True if done else None

        await self.waiter.until(probe, timeout=timeout, what="the bot to (re)connect to the gateway")

    async def wait_for_gateway_op(
        self, op: int, predicate: Callable[[GatewayFrame], bool] | None = None, *, timeout: float = 5.0
    ) -> GatewayFrame:
        """The first payload with opcode `op` the bot sent over the gateway (matching `predicate`)."""

        def probe() -> GatewayFrame | None:
            return next(
                (f for f in self.gateway.received if f.op == op and (predicate is None or predicate(f))), None
            )

        return await self.waiter.until(probe, timeout=timeout, what=f"gateway op {op} from the bot")

    # ----------------------------------------------------------------- observing the bot

    def requests_to(self, method: str | None = None, route: str | None = None) -> list[RecordedRequest]:
        """Recorded requests with `method` whose path fits `route` (a template or a concrete path)."""
        return [r for r in self.requests if r.matches(method, route)]

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        *,
        method: str | None = None,
        route: str | None = None,
        start: int = 0,
        timeout: float = 5.0,
    ) -> RecordedRequest:
        """The first recorded request (from index `start`) matching method, route and predicate."""

        def probe() -> RecordedRequest | None:
            for record in self.requests[start:]:
                if (
                    record.status
                    and record.matches(method, route)
                    and (predicate is None or predicate(record))
                ):
                    return record
            return None

        return await self.waiter.until(
            probe,
            timeout=timeout,
            what=lambda: f"a request {method or ''} {route or ''}; saw {self._summary()}",
        )

    async def wait_for_message(
        self,
        channel: ChannelRef | None = None,
        predicate: Callable[[JSON], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> JSON:
        """The next message the bot posted (in `channel`, matching `predicate`) not returned before.

        Covers channel messages, interaction responses and follow-ups; 'thinking' placeholders
        are skipped until they are filled in. Each message is returned once, so consecutive
        calls walk through the bot's messages in order.
        """
        channel_id = self._channel(channel).id if channel is not None else None

        def probe() -> JSON | None:
            for message_id in self._message_order:
                message = self.messages.get(message_id)
                if message is None or message_id in self._consumed or not self._is_bot_message(message):
                    continue
                if channel_id is not None and int(message["channel_id"]) != channel_id:
                    continue
                if int(message.get("flags") or 0) & LOADING or (predicate and not predicate(message)):
                    continue
                self._consumed.add(message_id)
                return message
            return None

        where = f"in channel {channel_id}" if channel_id else "anywhere"
        return await self.waiter.until(
            probe, timeout=timeout, what=lambda: f"a bot message {where}; saw {self._summary()}"
        )

    def messages_in(self, channel: ChannelRef) -> list[JSON]:
        """Every message in `channel`, oldest first."""
        channel_id = self._channel(channel).id
        return [
            self.messages[m]
            for m in self._message_order
            if m in self.messages and int(self.messages[m]["channel_id"]) == channel_id
        ]

    def get_command(self, name: str, guild: FakeGuild | None = None) -> JSON | None:
        """A synced command definition (as echoed back with its id), global or for `guild`."""
        commands = self.synced_commands.get(guild.id if guild else None, [])
        return next((command for command in commands if command["name"] == name), None)

    def fail_next(
        self,
        method: str,
        route: str,
        *,
        times: int = 1,
        status: int = 500,
        retry_after: float = 0.05,
        is_global: bool = False,
    ) -> None:
        """Answer the next `times` requests to method+route with `status` (429 carries rate-limit headers).

        `route` is a template such as "/channels/{channel_id}/messages" or a concrete path;
        `method` may be "*".
        """
        self._failures.append(
            FailureRule(method.upper(), RouteTemplate.parse(route), times, status, retry_after, is_global)
        )

    def assert_spec_valid(self) -> None:
        """Fail when any request body broke Discord's OpenAPI schema or message limits."""
        if self.spec_errors:
            listing = "\n  ".join(self.spec_errors)
            raise AssertionError(f"{len(self.spec_errors)} invalid request bodies:\n  {listing}")

    # ----------------------------------------------------------------- HTTP plumbing

    def _register_routes(self) -> None:
        routes: list[tuple[str, str, Handler]] = [
            ("GET", "/gateway", self._get_gateway),
            ("GET", "/gateway/bot", self._get_gateway),
            ("GET", "/users/@me", self._get_me),
            ("GET", "/users/{user_id}", self._get_user),
            ("POST", "/users/@me/channels", self._create_dm),
            ("GET", "/oauth2/applications/@me", self._get_application),
            ("GET", "/applications/{application_id}/commands", self._get_commands),
            ("PUT", "/applications/{application_id}/commands", self._put_commands),
            ("GET", "/applications/{application_id}/guilds/{guild_id}/commands", self._get_commands),
            ("PUT", "/applications/{application_id}/guilds/{guild_id}/commands", self._put_commands),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member),
            ("GET", "/channels/{channel_id}", self._get_channel),
            ("POST", "/channels/{channel_id}/typing", self._typing),
            ("GET", "/channels/{channel_id}/messages", self._get_messages),
            ("POST", "/channels/{channel_id}/messages", self._post_message),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_message),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message),
            ("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self._add_reaction),
            (
                "POST",
                "/interactions/{interaction_id}/{interaction_token}/callback",
                self._interaction_callback,
            ),
            ("POST", "/webhooks/{webhook_id}/{webhook_token}", self._post_followup),
            (
                "GET",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                self._get_webhook_message,
            ),
            (
                "PATCH",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                self._patch_webhook_message,
            ),
            (
                "DELETE",
                "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
                self._delete_webhook_message,
            ),
        ]
        for method, template, handler in routes:
            self._routes.setdefault(template, {})[method] = handler

    async def _handle_api(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body, files = await self._read_body(request)
        record = RecordedRequest(request.method, path, dict(request.query), body, files)
        self.requests.append(record)
        if body is not None or files:
            record.problems = self.validator.validate(request.method, path, body)
            self.spec_errors.extend(record.problems)
        response: web.StreamResponse | None
        try:
            response = self._injected_failure(request.method, path)
            if response is None:
                response = await self._route(request, record)
        except ApiError as error:
            response = error.to_response()
        record.status = response.status
        await self.waiter.notify()
        return response

    async def _read_body(self, request: web.Request) -> tuple[Any, list[UploadedFile]]:
        if request.content_type == "application/json":
            text = await request.text()
            return (json.loads(text) if text else None), []
        if request.content_type == "multipart/form-data":
            form = await request.post()
            files: list[UploadedFile] = []
            body: Any = None
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files.append(UploadedFile(key, value.filename, value.content_type, value.file.read()))
                elif key == "payload_json":
                    body = json.loads(str(value))
            return body, files
        return None, []

    def _injected_failure(self, method: str, path: str) -> web.Response | None:
        for rule in self._failures:
            if rule.applies(method, path):
                rule.remaining -= 1
                return rule.response()
        return None

    async def _route(self, request: web.Request, record: RecordedRequest) -> web.StreamResponse:
        template = match_template(self._routes, record.path)
        if template is None:
            raise ApiError(404, 0, "404: Not Found")
        handler = self._routes[template].get(record.method)
        if handler is None:
            raise ApiError(405, 0, "405: Method Not Allowed")
        record.route = template
        public = template.startswith(("/webhooks/", "/interactions/"))
        if not public and request.headers.get("Authorization") != f"Bot {self.token}":
            raise ApiError(401, 0, "401: Unauthorized")
        if record.problems and self.reject_invalid_bodies:
            raise ApiError.invalid_form_body({"body": record.problems})
        result = await handler(ApiCall(request, record, _path_params(template, record.path)))
        record.response = result
        if result is None:
            return web.Response(status=204)
        return json_response(result)

    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        stored = self._attachments.get(request.path)
        if stored is None:
            raise web.HTTPNotFound()
        data, content_type = stored
        return web.Response(body=data, content_type=content_type)

    # ----------------------------------------------------------------- REST handlers

    async def _typing(self, call: ApiCall) -> None:
        self._channel(call.snowflake("channel_id"))

    async def _get_gateway(self, call: ApiCall) -> JSON:
        limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
        return {"url": self.gateway_url, "shards": 1, "session_start_limit": limit}

    async def _get_me(self, call: ApiCall) -> JSON:
        return {**self.bot_user.to_payload(), "verified": True, "mfa_enabled": False, "locale": "en-US"}

    async def _get_user(self, call: ApiCall) -> JSON:
        user = self.world.users.get(call.snowflake("user_id"))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return user.to_payload()

    async def _create_dm(self, call: ApiCall) -> JSON:
        recipient = self.world.users.get(int(call.json_body().get("recipient_id") or 0))
        if recipient is None:
            raise ApiError.invalid_form_body({"recipient_id": ["Unknown user"]})
        return self.world.dm_channel(recipient).to_payload()

    async def _get_application(self, call: ApiCall) -> JSON:
        return {
            "id": str(self.application_id),
            "name": self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot": self.bot_user.to_payload(),
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "owner": self.owner.to_payload(),
            "team": None,
            "flags": APPLICATION_FLAGS,
            "interactions_endpoint_url": None,
            "redirect_uris": [],
            "tags": [],
            "approximate_guild_count": len(self.world.guilds),
        }

    def _check_application(self, call: ApiCall) -> int | None:
        if call.snowflake("application_id") != self.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if "guild_id" not in call.params:
            return None
        guild_id = call.snowflake("guild_id")
        if guild_id not in self.world.guilds:
            raise ApiError(404, 10004, "Unknown Guild")
        return guild_id

    async def _get_commands(self, call: ApiCall) -> list[JSON]:
        return self.synced_commands.get(self._check_application(call), [])

    async def _put_commands(self, call: ApiCall) -> list[JSON]:
        guild_id = self._check_application(call)
        body = call.body if isinstance(call.body, list) else []
        response = [self._echo_command(command, guild_id) for command in body]
        self.command_syncs.append(CommandSync(guild_id, copy.deepcopy(body), response))
        self.synced_commands[guild_id] = response
        return response

    def _echo_command(self, command: JSON, guild_id: int | None) -> JSON:
        command_type = int(command.get("type") or 1)
        key = (guild_id, command["name"], command_type)
        command_id = self._command_ids.setdefault(key, self.world.snowflakes.next())
        permissions = command.get("default_member_permissions")
        echoed: JSON = {
            **copy.deepcopy(command),
            "id": str(command_id),
            "application_id": str(self.application_id),
            "version": str(self.world.snowflakes.next()),
            "type": command_type,
            "description": command.get("description") or "",
            "default_member_permissions": None if permissions is None else str(permissions),
            "nsfw": bool(command.get("nsfw")),
        }
        if guild_id is not None:
            echoed["guild_id"] = str(guild_id)
        return echoed

    async def _get_member(self, call: ApiCall) -> JSON:
        guild = self.world.guilds.get(call.snowflake("guild_id"))
        member = guild.members.get(call.snowflake("user_id")) if guild else None
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return member.to_payload()

    async def _get_channel(self, call: ApiCall) -> JSON:
        return self._channel(call.snowflake("channel_id")).to_payload()

    async def _get_messages(self, call: ApiCall) -> list[JSON]:
        limit = int(call.query.get("limit", 50))
        return list(reversed(self.messages_in(call.snowflake("channel_id"))))[:limit]

    async def _post_message(self, call: ApiCall) -> JSON:
        channel = self._channel(call.snowflake("channel_id"))
        body = call.json_body()
        guild = self.world.guild_of(channel)
        message = self._new_message(channel, self.bot_user, body, guild=guild, files=call.files)
        if body.get("message_reference"):
            self._attach_reference(message, body["message_reference"], channel)
        self._apply_mentions(message, body.get("allowed_mentions"), guild)
        self._store_message(message)
        return message

    def _existing_message(self, call: ApiCall) -> JSON:
        message = self.messages.get(call.snowflake("message_id"))
        if message is None or int(message["channel_id"]) != call.snowflake("channel_id"):
            raise ApiError(404, 10008, "Unknown Message")
        return message

    async def _get_message(self, call: ApiCall) -> JSON:
        return self._existing_message(call)

    async def _patch_message(self, call: ApiCall) -> JSON:
        message = self._existing_message(call)
        if not self._is_bot_message(message) and set(call.json_body()) - {"flags"}:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        return self._edit_message(message, call.json_body(), call.files)

    async def _delete_message(self, call: ApiCall) -> None:
        self._existing_message(call)
        del self.messages[call.snowflake("message_id")]

    async def _add_reaction(self, call: ApiCall) -> None:
        message = self._existing_message(call)
        emoji = call.params["emoji"]
        name, _, emoji_id = emoji.partition(":")
        reactions: list[JSON] = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["emoji"]["name"] == name:
                if not reaction["me"]:
                    reaction["me"] = True
                    reaction["count"] += 1
                return
        reactions.append({"emoji": {"id": emoji_id or None, "name": name}, "count": 1, "me": True})

    # ----------------------------------------------------------------- interaction endpoints

    async def _interaction_callback(self, call: ApiCall) -> JSON:
        handle = self._interactions_by_id.get(call.snowflake("interaction_id"))
        if handle is None or handle.token != call.params["interaction_token"]:
            raise ApiError(404, 10062, "Unknown interaction")
        if handle.callback is not None:
            raise ApiError(400, 40060, "Interaction has already been acknowledged.")
        body = call.json_body()
        callback_type = int(body.get("type") or 0)
        self._check_callback_type(handle, callback_type)
        data: JSON = body.get("data") or {}
        handle.callback = body
        ephemeral = bool(int(data.get("flags") or 0) & EPHEMERAL)
        resource: JSON = {"type": callback_type}
        if callback_type == CHANNEL_MESSAGE_WITH_SOURCE:
            handle.original = self._interaction_message(handle, data, call.files)
        elif callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE:
            flags = LOADING | (EPHEMERAL if ephemeral else 0)
            handle.original = self._interaction_message(handle, {"content": ""}, [], flags=flags)
        elif callback_type == DEFERRED_UPDATE_MESSAGE:
            handle.original = self._component_message(handle)
        elif callback_type == UPDATE_MESSAGE:
            handle.original = self._edit_message(self._component_message(handle), data, call.files)
        if callback_type in (
            CHANNEL_MESSAGE_WITH_SOURCE,
            DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            UPDATE_MESSAGE,
        ):
            assert handle.original is not None
            resource["message"] = handle.original
        interaction: JSON = {
            "id": str(handle.id),
            "type": handle.type,
            "response_message_loading": callback_type == DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
            "response_message_ephemeral": ephemeral,
        }
        if handle.original is not None:
            interaction["response_message_id"] = handle.original["id"]
        return {"interaction": interaction, "resource": resource}

    def _check_callback_type(self, handle: InteractionHandle, callback_type: int) -> None:
        allowed = {
            APPLICATION_COMMAND: {CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, MODAL},
            APPLICATION_COMMAND_AUTOCOMPLETE: {APPLICATION_COMMAND_AUTOCOMPLETE_RESULT},
            MESSAGE_COMPONENT: {
                CHANNEL_MESSAGE_WITH_SOURCE,
                DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
                DEFERRED_UPDATE_MESSAGE,
                UPDATE_MESSAGE,
                MODAL,
            },
            MODAL_SUBMIT: {
                CHANNEL_MESSAGE_WITH_SOURCE,
                DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE,
                DEFERRED_UPDATE_MESSAGE,
                UPDATE_MESSAGE,
            },
        }.get(handle.type, {PONG, CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE})
        if callback_type not in allowed:
            raise ApiError(
                400,
                50035,
                f"Interaction callback type {callback_type} is invalid for interaction type {handle.type}",
            )

    def _webhook_interaction(self, call: ApiCall) -> InteractionHandle:
        handle = self._interactions_by_token.get(call.params["webhook_token"])
        if handle is None or call.snowflake("webhook_id") != self.application_id or handle.callback is None:
            raise ApiError(404, 10015, "Unknown Webhook")
        return handle

    async def _post_followup(self, call: ApiCall) -> JSON | None:
        handle = self._webhook_interaction(call)
        body = call.json_body()
        handle.followup_bodies.append(body)
        original = handle.original
        if original is not None and int(original.get("flags") or 0) & LOADING and not handle.followups:
            # Documented backwards compatibility: after a thinking defer, the first follow-up
            # edits the loading message, keeping the defer's ephemeral state.
            message = self._fill_loading_message(handle, body, call.files)
        else:
            message = self._interaction_message(handle, body, call.files)
        handle.followups.append(message)
        return message if call.query.get("wait", "").lower() in ("true", "1") else None

    def _webhook_message(self, call: ApiCall, handle: InteractionHandle) -> JSON:
        target = call.params["message_id"]
        if target == "@original":
            message = self.messages.get(int(handle.original["id"])) if handle.original else None
        else:
            ids = {followup["id"] for followup in handle.followups}
            message = self.messages.get(int(target)) if target in ids else None
        if message is None:
            raise ApiError(404, 10008, "Unknown Message")
        return message

    async def _get_webhook_message(self, call: ApiCall) -> JSON:
        handle = self._webhook_interaction(call)
        return self._webhook_message(call, handle)

    async def _patch_webhook_message(self, call: ApiCall) -> JSON:
        handle = self._webhook_interaction(call)
        message = self._webhook_message(call, handle)
        body = call.json_body()
        handle.edit_bodies.append(body)
        if int(message.get("flags") or 0) & LOADING:
            updated = self._fill_loading_message(handle, body, call.files)
        else:
            updated = self._edit_message(message, body, call.files)
        if call.params["message_id"] == "@original":
            handle.original = updated
        return updated

    async def _delete_webhook_message(self, call: ApiCall) -> None:
        handle = self._webhook_interaction(call)
        message = self._webhook_message(call, handle)
        del self.messages[int(message["id"])]

    # ----------------------------------------------------------------- messages

    def _new_message(
        self,
        channel: FakeChannel,
        author: FakeUser,
        body: JSON,
        *,
        guild: FakeGuild | None,
        files: Sequence[UploadedFile] = (),
        message_type: int = DEFAULT_MESSAGE,
        flags: int | None = None,
    ) -> JSON:
        message_id = self.world.snowflakes.next()
        message: JSON = {
            "id": str(message_id),
            "channel_id": str(channel.id),
            "author": author.to_payload(),
            "content": body.get("content") or "",
            "timestamp": iso_timestamp(message_id),
            "edited_timestamp": None,
            "tts": bool(body.get("tts")),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "mention_channels": [],
            "attachments": self._uploaded_attachments(channel, body, files, existing=[]),
            "embeds": _normalize_embeds(body.get("embeds")),
            "reactions": [],
            "pinned": False,
            "type": message_type,
            "flags": flags if flags is not None else int(body.get("flags") or 0),
            "components": copy.deepcopy(body.get("components") or []),
            "sticker_items": [],
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        if body.get("poll"):
            message["poll"] = copy.deepcopy(body["poll"])
        if guild is not None:
            message["guild_id"] = str(guild.id)
            member = guild.members.get(author.id)
            if member is not None:
                message["member"] = member.to_payload(with_user=False)
        return message

    def _interaction_message(
        self,
        handle: InteractionHandle,
        body: JSON,
        files: Sequence[UploadedFile],
        *,
        flags: int | None = None,
    ) -> JSON:
        guild = self.world.guild_of(handle.channel)
        message_type = CHAT_INPUT_COMMAND if handle.type == APPLICATION_COMMAND else DEFAULT_MESSAGE
        message = self._new_message(
            handle.channel,
            self.bot_user,
            body,
            guild=guild,
            files=files,
            message_type=message_type,
            flags=flags,
        )
        message["webhook_id"] = str(self.application_id)
        message["application_id"] = str(self.application_id)
        message["interaction_metadata"] = {
            "id": str(handle.id),
            "type": handle.type,
            "user": handle.user.to_payload(),
            "authorizing_integration_owners": handle.payload["authorizing_integration_owners"],
        }
        self._apply_mentions(message, body.get("allowed_mentions"), guild)
        self._store_message(message)
        return message

    def _fill_loading_message(
        self, handle: InteractionHandle, body: JSON, files: Sequence[UploadedFile]
    ) -> JSON:
        assert handle.original is not None
        loading = self.messages[int(handle.original["id"])]
        flags = int(loading.get("flags") or 0) & ~LOADING
        updated = self._edit_message(loading, {**body, "flags": flags}, files, mark_edited=False)
        handle.original = updated
        return updated

    def _component_message(self, handle: InteractionHandle) -> JSON:
        message: JSON | None = handle.payload.get("message")
        if message is None:
            raise ApiError(400, 50035, "This interaction has no message to update")
        return self.messages.get(int(message["id"]), message)

    def _edit_message(
        self, message: JSON, body: JSON, files: Sequence[UploadedFile], *, mark_edited: bool = True
    ) -> JSON:
        updated = dict(message)
        if "content" in body:
            updated["content"] = body["content"] or ""
        if "embeds" in body:
            updated["embeds"] = _normalize_embeds(body["embeds"])
        if "components" in body:
            updated["components"] = copy.deepcopy(body["components"] or [])
        if "flags" in body and body["flags"] is not None:
            updated["flags"] = int(body["flags"])
        channel = self._channel(int(message["channel_id"]))
        if "attachments" in body or files:
            updated["attachments"] = self._uploaded_attachments(
                channel, body, files, existing=message["attachments"]
            )
        if mark_edited:
            updated["edited_timestamp"] = dt.datetime.now(dt.UTC).isoformat()
        if "content" in body or "allowed_mentions" in body:
            self._apply_mentions(updated, body.get("allowed_mentions"), self.world.guild_of(channel))
        self._store_message(updated)
        return updated

    def _uploaded_attachments(
        self, channel: FakeChannel, body: JSON, files: Sequence[UploadedFile], *, existing: list[JSON]
    ) -> list[JSON]:
        """Attachments after a create/edit: kept ones listed in body.attachments plus the uploads."""
        kept_ids = {str(item.get("id")) for item in body.get("attachments") or []}
        result = [attachment for attachment in existing if attachment["id"] in kept_ids]
        descriptions = {f"files[{item.get('id')}]": item for item in body.get("attachments") or []}
        for upload in files:
            listed = descriptions.get(upload.field, {})
            filename = upload.filename or listed.get("filename") or upload.field
            attachment = self.add_attachment(
                filename,
                upload.data,
                content_type=upload.content_type or "application/octet-stream",
                channel=channel,
            )
            if listed.get("description"):
                attachment["description"] = listed["description"]
            result.append(attachment)
        return result

    def _attach_reference(self, message: JSON, reference: JSON, channel: FakeChannel) -> None:
        referenced = self.messages.get(int(reference["message_id"]))
        if referenced is None and reference.get("fail_if_not_exists", True):
            raise ApiError.invalid_form_body({"message_reference": ["Unknown message"]})
        message["type"] = REPLY
        message["message_reference"] = {
            "type": 0,
            "message_id": str(reference["message_id"]),
            "channel_id": str(reference.get("channel_id") or channel.id),
        }
        if channel.guild_id is not None:
            message["message_reference"]["guild_id"] = str(reference.get("guild_id") or channel.guild_id)
        message["referenced_message"] = referenced

    def _apply_mentions(self, message: JSON, allowed: JSON | None, guild: FakeGuild | None) -> None:
        """Who the message pings, per its content and allowed_mentions (Discord's defaults when absent).

        Only allowed_mentions is considered, not the author's Mention Everyone permission, so
        tests see what the bot asked for.
        """
        content = str(message.get("content") or "")
        if allowed is None:
            parse, users, roles, replied_user = {"users", "roles", "everyone"}, set(), set(), True
        else:
            parse = set(allowed.get("parse") or [])
            users = {int(user_id) for user_id in allowed.get("users") or []}
            roles = {int(role_id) for role_id in allowed.get("roles") or []}
            replied_user = bool(allowed.get("replied_user", False))
        pinged = [int(u) for u in _USER_MENTION.findall(content) if "users" in parse or int(u) in users]
        referenced = message.get("referenced_message")
        if referenced and replied_user:
            pinged.append(int(referenced["author"]["id"]))
        message["mentions"] = []
        self._add_mentions(
            message, [self.world.users[u] for u in dict.fromkeys(pinged) if u in self.world.users], guild
        )
        role_ids = [int(r) for r in _ROLE_MENTION.findall(content) if "roles" in parse or int(r) in roles]
        message["mention_roles"] = [
            str(r) for r in dict.fromkeys(role_ids) if guild is not None and r in guild.roles
        ]
        message["mention_everyone"] = ("@everyone" in content or "@here" in content) and "everyone" in parse

    def _add_mentions(self, message: JSON, users: Sequence[FakeUser], guild: FakeGuild | None) -> None:
        present = {mention["id"] for mention in message["mentions"]}
        for user in users:
            if str(user.id) in present:
                continue
            payload = user.to_payload()
            member = guild.members.get(user.id) if guild else None
            if member is not None:
                payload["member"] = member.to_payload(with_user=False)
            message["mentions"].append(payload)
            present.add(str(user.id))

    def _store_message(self, message: JSON) -> None:
        message_id = int(message["id"])
        if message_id not in self.messages:
            self._message_order.append(message_id)
        self.messages[message_id] = message

    def _is_bot_message(self, message: JSON) -> bool:
        return int(message["author"]["id"]) == self.bot_user.id

    def _as_seen_by_bot(self, message: JSON, channel: FakeChannel) -> JSON | None:
        """The MESSAGE_CREATE the bot receives given its intents, or None if it receives none."""
        intents = self.gateway.intents
        if intents is None:
            raise RuntimeError("the bot has not identified on the fake gateway yet")
        if not intents & (INTENT_DIRECT_MESSAGES if channel.is_dm else INTENT_GUILD_MESSAGES):
            return None
        event = copy.deepcopy(message)
        mentioned = any(int(m["id"]) == self.bot_user.id for m in message["mentions"])
        if not intents & INTENT_MESSAGE_CONTENT and not channel.is_dm and not mentioned:
            event.update(content="", embeds=[], attachments=[], components=[])
            event.pop("poll", None)
        return event

    # ----------------------------------------------------------------- interactions

    async def _command_interaction(
        self,
        interaction_type: int,
        name: str,
        values: Mapping[str, Any],
        *,
        user: FakeUser | None,
        channel: ChannelRef | None,
        roles: Sequence[FakeRole] | None = None,
        permissions: int | None = None,
        locale: str = "en-US",
        focused: str | None = None,
        enforce: bool,
    ) -> InteractionHandle:
        user = user or self.user
        target = self._channel(channel if channel is not None else self.general)
        guild = self.world.guild_of(target)
        role_ids = self._role_ids(guild, user, roles)
        member_permissions = self._member_permissions(guild, user, role_ids, permissions)
        top, *path = name.split()
        definition = self._synced_definition(top, guild)
        if definition is not None and enforce:
            _check_available(definition, name, guild, member_permissions)
        resolved = ResolvedData(guild)
        definitions = (definition.get("options") or []) if definition is not None else None
        options = _nested_options(definitions, path, values, resolved, focused=focused, command_name=name)
        data: JSON = {
            "id": definition["id"] if definition else str(self.world.snowflakes.next()),
            "name": top,
            "type": 1,
            "options": options,
        }
        if definition is not None and definition.get("guild_id"):
            data["guild_id"] = definition["guild_id"]
        if resolved.to_payload():
            data["resolved"] = resolved.to_payload()
        return await self._dispatch_interaction(
            interaction_type, data, user, target, role_ids, member_permissions, locale=locale
        )

    async def _component_interaction(
        self,
        message: JSON,
        data: JSON,
        user: FakeUser | None,
        roles: Sequence[FakeRole] | None,
        permissions: int | None,
    ) -> InteractionHandle:
        user = user or self.user
        channel = self._channel(int(message["channel_id"]))
        guild = self.world.guild_of(channel)
        role_ids = self._role_ids(guild, user, roles)
        member_permissions = self._member_permissions(guild, user, role_ids, permissions)
        return await self._dispatch_interaction(
            MESSAGE_COMPONENT, data, user, channel, role_ids, member_permissions, message=message
        )

    def _find_component(self, message: JSON, custom_id: str, types: set[int]) -> tuple[JSON, JSON]:
        current = self.messages.get(int(message["id"]), message)
        components = [c for c in iter_components(current.get("components")) if c.get("type") in types]
        component = next((c for c in components if c.get("custom_id") == custom_id), None)
        if component is None:
            available = [c.get("custom_id") for c in components]
            raise ValueError(f"message {current['id']} has no component {custom_id!r}; it has {available}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} on message {current['id']} is disabled")
        return current, component

    def _synced_definition(self, name: str, guild: FakeGuild | None) -> JSON | None:
        scopes: list[int | None] = [guild.id, None] if guild else [None]
        for scope in scopes:
            for command in self.synced_commands.get(scope, []):
                if command["name"] == name and int(command.get("type") or 1) == 1:
                    return command
        return None

    def _role_ids(
        self, guild: FakeGuild | None, user: FakeUser, roles: Sequence[FakeRole] | None
    ) -> list[int]:
        if guild is None:
            return []
        if roles is not None:
            return [role.id for role in roles]
        member = guild.members.get(user.id)
        return list(member.roles) if member else []

    def _member_permissions(
        self, guild: FakeGuild | None, user: FakeUser, role_ids: list[int], permissions: int | None
    ) -> int:
        if permissions is not None:
            return permissions
        return guild.permissions_for(user.id, role_ids) if guild else EVERYONE_PERMISSIONS

    async def _dispatch_interaction(
        self,
        interaction_type: int,
        data: JSON,
        user: FakeUser,
        channel: FakeChannel,
        role_ids: list[int],
        permissions: int,
        *,
        locale: str = "en-US",
        message: JSON | None = None,
    ) -> InteractionHandle:
        guild = self.world.guild_of(channel)
        interaction_id = self.world.snowflakes.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        channel_payload = channel.to_payload()
        payload: JSON = {
            "id": str(interaction_id),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "data": data,
            "token": token,
            "version": 1,
            "channel_id": str(channel.id),
            "channel": channel_payload,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        }
        if guild is not None:
            existing = guild.members.get(user.id)
            member = FakeMember(user=user, roles=role_ids, nick=existing.nick if existing else None)
            channel_payload["permissions"] = str(permissions)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": "en-US", "features": []},
                guild_locale="en-US",
                member=member.to_payload(permissions=permissions),
                app_permissions=str(guild.permissions_for(self.bot_user.id)),
                authorizing_integration_owners={"0": str(guild.id)},
                context=CONTEXT_GUILD,
            )
        else:
            payload.update(
                user=user.to_payload(),
                app_permissions=str(EVERYONE_PERMISSIONS),
                authorizing_integration_owners={"0": "0"},
                context=CONTEXT_BOT_DM,
            )
        if message is not None:
            payload["message"] = message
        handle = InteractionHandle(
            id=interaction_id,
            token=token,
            type=interaction_type,
            payload=payload,
            channel=channel,
            user=user,
            waiter=self.waiter,
        )
        self.interactions.append(handle)
        self._interactions_by_id[interaction_id] = handle
        self._interactions_by_token[token] = handle
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return handle

    # ----------------------------------------------------------------- gateway payloads

    def _ready_payload(self, session: GatewaySession) -> JSON:
        return {
            "v": 10,
            "user": {**self.bot_user.to_payload(), "verified": True, "mfa_enabled": False},
            "guilds": [{"id": str(guild_id), "unavailable": True} for guild_id in self._bot_guilds()],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.application_id), "flags": APPLICATION_FLAGS},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["us-east"],
            "user_settings": {},
        }

    def _bot_guilds(self) -> list[int]:
        return [guild.id for guild in self.world.guilds.values() if self.bot_user.id in guild.members]

    def _guild_payloads(self, session: GatewaySession) -> list[JSON]:
        """GUILD_CREATE payloads; without GUILD_MEMBERS, Discord lists only the bot among the members."""
        payloads = [self.world.guilds[guild_id].to_payload() for guild_id in self._bot_guilds()]
        if not session.intents & INTENT_GUILD_MEMBERS:
            for payload in payloads:
                payload["members"] = [
                    m for m in payload["members"] if m["user"]["id"] == str(self.bot_user.id)
                ]
        return payloads

    def _member_chunk(self, request: JSON) -> JSON | None:
        guild = self.world.guilds.get(int(request.get("guild_id") or 0))
        if guild is None:
            return None
        members = list(guild.members.values())
        user_ids = request.get("user_ids")
        if user_ids:
            wanted = {
                int(user_id) for user_id in ([user_ids] if isinstance(user_ids, (int, str)) else user_ids)
            }
            members = [m for m in members if m.user.id in wanted]
        elif request.get("query"):
            members = [
                m for m in members if m.user.username.lower().startswith(str(request["query"]).lower())
            ]
        if request.get("limit"):
            members = members[: int(request["limit"])]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [member.to_payload() for member in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if request.get("nonce"):
            chunk["nonce"] = request["nonce"]
        return chunk

    # ----------------------------------------------------------------- helpers

    def _channel(self, channel: ChannelRef | None) -> FakeChannel:
        if isinstance(channel, FakeChannel):
            return channel
        found = self.world.channel(int(channel)) if channel is not None else None
        if found is None:
            raise ApiError(404, 10003, "Unknown Channel")
        return found

    def _summary(self) -> str:
        recent = [f"{r.method} {r.route or r.path} -> {r.status}" for r in self.requests[-8:]]
        return f"{len(self.requests)} requests (last: {recent})"


def _path_params(template: str, path: str) -> dict[str, str]:
    """Placeholder values of a path that matched `template` (same number of segments)."""
    pairs = zip(template.split("/"), path.split("/"), strict=True)
    return {part[1:-1]: segment for part, segment in pairs if part.startswith("{")}


def _normalize_embeds(embeds: Any) -> list[JSON]:
    return [{"type": "rich", **copy.deepcopy(embed)} for embed in embeds or []]


def _nested_options(
    definitions: list[JSON] | None,
    path: list[str],
    values: Mapping[str, Any],
    resolved: ResolvedData,
    *,
    focused: str | None,
    command_name: str,
) -> list[JSON]:
    """Options of a command, wrapped in subcommand (group) options for `path`."""
    if not path:
        return encode_options(definitions, values, resolved, focused=focused, command_name=command_name)
    head, rest = path[0], path[1:]
    sub_definitions: list[JSON] | None = None
    if definitions is not None:
        definition = find_option(definitions, head)
        if definition is None:
            raise ValueError(f"/{command_name}: no subcommand {head!r} was synced")
        sub_definitions = definition.get("options") or []
    inner = _nested_options(
        sub_definitions, rest, values, resolved, focused=focused, command_name=command_name
    )
    return [{"type": SUB_COMMAND_GROUP if rest else SUB_COMMAND, "name": head, "options": inner}]


def _check_available(definition: JSON, name: str, guild: FakeGuild | None, permissions: int) -> None:
    """Raise CommandNotAvailable where Discord would not offer the command to this user."""
    contexts = definition.get("contexts")
    context = CONTEXT_GUILD if guild is not None else CONTEXT_BOT_DM
    if contexts is not None and context not in contexts:
        raise CommandNotAvailable(f"/{name} is not available in context {context} (contexts={contexts})")
    if guild is None:
        if definition.get("dm_permission") is False:
            raise CommandNotAvailable(f"/{name} is not available in DMs")
        return
    required = definition.get("default_member_permissions")
    if required is None or permissions & ADMINISTRATOR:
        return
    required_bits = int(required)
    if required_bits == 0 or permissions & required_bits != required_bits:
        raise CommandNotAvailable(
            f"/{name} requires permissions {required_bits:#x}; the member has {permissions:#x}"
        )
