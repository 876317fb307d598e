"""A loopback fake of Discord (REST API + gateway) for driving the real discord.py client offline.

Typical use (see tests/conftest.py for the fixtures)::

    async with run_bot(make_bot(), fake) as bot:
        await fake.send_message(fake.general, fake.user, "hello?")
        reply = await fake.wait_for_message(fake.general)
"""

from .gateway import FakeGateway, GatewayFrame, GatewaySession
from .interactions import CommandNotAvailable, InteractionHandle
from .models import FakeChannel, FakeGuild, FakeMember, FakeRole, FakeUser
from .records import CommandSync, RecordedRequest, UploadedFile
from .runner import BotRunner, ErrorRecords, patched_discord, run_bot
from .server import FakeDiscord
from .spec import SpecValidator, find_spec_file, message_limit_problems
from .waiting import FakeDiscordTimeout

__all__ = [
    "BotRunner",
    "CommandNotAvailable",
    "CommandSync",
    "ErrorRecords",
    "FakeChannel",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "FakeGateway",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "GatewayFrame",
    "GatewaySession",
    "InteractionHandle",
    "RecordedRequest",
    "SpecValidator",
    "UploadedFile",
    "find_spec_file",
    "message_limit_problems",
    "patched_discord",
    "run_bot",
]
