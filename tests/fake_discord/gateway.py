"""The fake gateway: one websocket at a time, sessions that can be resumed, sequence tracking.

Frames are sent as text JSON, so the client needs no zlib. Dispatches made while the bot is
disconnected are buffered in the session and replayed on RESUME, as Discord does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .models import JSON

_log = logging.getLogger(__name__)

# Opcodes (https://discord.com/developers/docs/topics/opcodes-and-status-codes#gateway).
DISPATCH = 0
HEARTBEAT = 1
IDENTIFY = 2
PRESENCE_UPDATE = 3
RESUME = 6
RECONNECT = 7
REQUEST_GUILD_MEMBERS = 8
INVALID_SESSION = 9
HELLO = 10
HEARTBEAT_ACK = 11

CLOSE_AUTHENTICATION_FAILED = 4004
CLOSE_UNKNOWN_ERROR = 4000


@dataclass
class GatewaySession:
    """A gateway session: its id, the sequence so far and every dispatch, for replay on resume."""

    id: str
    intents: int
    sequence: int = 0
    dispatched: list[JSON] = field(default_factory=list)


@dataclass
class GatewayFrame:
    """A payload the bot sent over the gateway, in order of arrival."""

    op: int
    d: Any
    connection: int


class FakeGateway:
    """Serves the gateway websocket and dispatches events to the connected bot."""

    heartbeat_interval_ms = 41_250

    def __init__(
        self,
        *,
        token: str,
        ready_payload: Callable[[GatewaySession], JSON],
        guild_payloads: Callable[[GatewaySession], list[JSON]],
        member_chunk: Callable[[JSON], JSON | None],
        notify: Callable[[], Awaitable[None]],
    ) -> None:
        self._token = token
        self._ready_payload = ready_payload
        self._guild_payloads = guild_payloads
        self._member_chunk = member_chunk
        self._notify = notify
        self._ws: web.WebSocketResponse | None = None
        self._live = False
        self._lock = asyncio.Lock()
        self.sessions: dict[str, GatewaySession] = {}
        self.session: GatewaySession | None = None
        self.received: list[GatewayFrame] = []
        self.connections = 0
        self.identifies = 0
        self.resumes = 0

    @property
    def connected(self) -> bool:
        """Whether a bot is connected and identified or resumed."""
        return self._live and self._ws is not None and not self._ws.closed

    @property
    def intents(self) -> int | None:
        """Intents of the current session (None before the first IDENTIFY)."""
        return self.session.intents if self.session else None

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        """aiohttp handler for the gateway URL."""
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        previous, self._ws = self._ws, ws
        if previous is not None and not previous.closed:
            await previous.close(code=CLOSE_UNKNOWN_ERROR)
        self._live = False
        self.connections += 1
        connection = self.connections
        try:
            await self._send(ws, {"op": HELLO, "d": {"heartbeat_interval": self.heartbeat_interval_ms}})
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                payload = json.loads(message.data)
                self.received.append(GatewayFrame(payload.get("op"), payload.get("d"), connection))
                await self._on_payload(ws, payload)
                await self._notify()
        finally:
            if self._ws is ws:
                self._ws = None
                self._live = False
            await self._notify()
        return ws

    async def _send(self, ws: web.WebSocketResponse, payload: JSON) -> None:
        if not ws.closed:
            await ws.send_str(json.dumps(payload))

    async def _on_payload(self, ws: web.WebSocketResponse, payload: JSON) -> None:
        op = payload.get("op")
        data: Any = payload.get("d")
        if op == HEARTBEAT:
            await self._send(ws, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            await self._identify(ws, data)
        elif op == RESUME:
            await self._resume(ws, data)
        elif op == REQUEST_GUILD_MEMBERS:
            chunk = self._member_chunk(data)
            if chunk is not None:
                await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
        elif op != PRESENCE_UPDATE:
            _log.debug("fake gateway ignoring op %s", op)

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        if data.get("token") != self._token:
            await ws.close(code=CLOSE_AUTHENTICATION_FAILED, message=b"Authentication failed.")
            return
        session = GatewaySession(id=secrets.token_hex(16), intents=int(data.get("intents", 0)))
        self.sessions[session.id] = session
        async with self._lock:
            self.session = session
            await self._dispatch_locked(ws, "READY", self._ready_payload(session))
            for guild in self._guild_payloads(session):
                await self._dispatch_locked(ws, "GUILD_CREATE", guild)
            self._live = True
            self.identifies += 1

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self._token:
            await self._send(ws, {"op": INVALID_SESSION, "d": False})
            return
        acknowledged = int(data.get("seq") or 0)
        async with self._lock:
            self.session = session
            for frame in session.dispatched:
                if frame["s"] > acknowledged:
                    await self._send(ws, frame)
            await self._dispatch_locked(ws, "RESUMED", {})
            self._live = True
            self.resumes += 1

    async def _dispatch_locked(self, ws: web.WebSocketResponse | None, event: str, data: JSON) -> int:
        session = self.session
        if session is None:
            raise RuntimeError("no gateway session: the bot has not identified yet")
        session.sequence += 1
        frame = {"op": DISPATCH, "t": event, "s": session.sequence, "d": data}
        session.dispatched.append(frame)
        if ws is not None:
            await self._send(ws, frame)
        return session.sequence

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send a DISPATCH to the bot (or buffer it for replay while disconnected); returns its sequence."""
        async with self._lock:
            return await self._dispatch_locked(self._ws if self._live else None, event, data)

    async def send_op(self, op: int, data: Any = None) -> None:
        """Send a non-dispatch opcode (RECONNECT, INVALID_SESSION, ...) to the connected bot."""
        if self._ws is not None:
            await self._send(self._ws, {"op": op, "d": data})

    async def drop(self, code: int = CLOSE_UNKNOWN_ERROR) -> None:
        """Close the websocket from the server side; the session stays resumable."""
        ws = self._ws
        self._live = False
        if ws is not None and not ws.closed:
            await ws.close(code=code, message=b"fake-discord dropped the connection")

    async def close(self) -> None:
        """Close any open websocket (server shutdown)."""
        await self.drop(code=1001)
