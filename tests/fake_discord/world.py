"""The fake's population: the bot, a guild with roles, channels and members, DM channels."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import (
    BOT_PERMISSIONS,
    DM,
    EVERYONE_PERMISSIONS,
    MODERATOR_PERMISSIONS,
    PUBLIC_THREAD,
    FakeChannel,
    FakeGuild,
    FakeMember,
    FakeRole,
    FakeUser,
    SnowflakeGenerator,
)


@dataclass
class World:
    """Users, guilds and channels known to the fake, with a default cast for tests.

    The default guild has #general and #help, the @everyone role, a Moderator role (Manage
    Server) and the bot's role; its members are the owner, a plain `user`, a `moderator` and
    the bot. The application id equals the bot user's id, as for every modern application.
    """

    snowflakes: SnowflakeGenerator = field(default_factory=SnowflakeGenerator)
    users: dict[int, FakeUser] = field(default_factory=dict)
    guilds: dict[int, FakeGuild] = field(default_factory=dict)
    dm_channels: dict[int, FakeChannel] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.bot_user = self.add_user("QABot", bot=True)
        self.application_id = self.bot_user.id
        self.owner = self.add_user("owner")
        self.user = self.add_user("alice", global_name="Alice")
        self.moderator = self.add_user("morgan", global_name="Morgan (mod)")
        self.guild = self.add_guild("Test Guild", owner=self.owner)
        self.moderator_role = self.add_role(self.guild, "Moderator", MODERATOR_PERMISSIONS, position=2)
        self.bot_role = self.add_role(self.guild, "QABot", BOT_PERMISSIONS, position=1, managed=True)
        self.general = self.add_text_channel(self.guild, "general")
        self.help = self.add_text_channel(self.guild, "help")
        self.add_member(self.guild, self.owner)
        self.add_member(self.guild, self.user)
        self.add_member(self.guild, self.moderator, roles=[self.moderator_role])
        self.add_member(self.guild, self.bot_user, roles=[self.bot_role])

    def add_user(self, username: str, *, bot: bool = False, global_name: str | None = None) -> FakeUser:
        """Create a user (not yet a member of any guild)."""
        user = FakeUser(id=self.snowflakes.next(), username=username, bot=bot, global_name=global_name)
        self.users[user.id] = user
        return user

    def add_guild(self, name: str, *, owner: FakeUser) -> FakeGuild:
        """Create a guild with its @everyone role."""
        guild = FakeGuild(id=self.snowflakes.next(), name=name, owner_id=owner.id)
        guild.roles[guild.id] = FakeRole(id=guild.id, name="@everyone", permissions=EVERYONE_PERMISSIONS)
        self.guilds[guild.id] = guild
        return guild

    def add_role(
        self, guild: FakeGuild, name: str, permissions: int, *, position: int = 1, managed: bool = False
    ) -> FakeRole:
        """Create a role in `guild`."""
        role = FakeRole(
            id=self.snowflakes.next(), name=name, permissions=permissions, position=position, managed=managed
        )
        guild.roles[role.id] = role
        return role

    def add_text_channel(self, guild: FakeGuild, name: str) -> FakeChannel:
        """Create a text channel in `guild`."""
        channel = FakeChannel(
            id=self.snowflakes.next(), name=name, guild_id=guild.id, position=len(guild.channels)
        )
        guild.channels[channel.id] = channel
        return channel

    def add_thread(self, parent: FakeChannel, name: str, *, owner: FakeUser) -> FakeChannel:
        """Create a public thread in the text channel `parent`, started by `owner`."""
        assert parent.guild_id is not None and not parent.is_thread, "threads live in guild text channels"
        thread = FakeChannel(
            id=self.snowflakes.next(),
            name=name,
            type=PUBLIC_THREAD,
            guild_id=parent.guild_id,
            parent_id=parent.id,
            owner_id=owner.id,
        )
        self.guilds[parent.guild_id].channels[thread.id] = thread
        return thread

    def add_member(
        self, guild: FakeGuild, user: FakeUser, *, roles: list[FakeRole] | None = None
    ) -> FakeMember:
        """Make `user` a member of `guild` with `roles` (besides @everyone)."""
        member = FakeMember(user=user, roles=[role.id for role in roles or []])
        guild.members[user.id] = member
        return member

    def dm_channel(self, user: FakeUser) -> FakeChannel:
        """The bot's DM channel with `user`, created on first use."""
        for channel in self.dm_channels.values():
            if channel.recipient == user:
                return channel
        channel = FakeChannel(id=self.snowflakes.next(), name="", type=DM, recipient=user)
        self.dm_channels[channel.id] = channel
        return channel

    def channel(self, channel_id: int) -> FakeChannel | None:
        """A guild or DM channel by id."""
        if channel_id in self.dm_channels:
            return self.dm_channels[channel_id]
        for guild in self.guilds.values():
            if channel_id in guild.channels:
                return guild.channels[channel_id]
        return None

    def guild_of(self, channel: FakeChannel) -> FakeGuild | None:
        """The guild a channel belongs to (None for DMs)."""
        return self.guilds.get(channel.guild_id) if channel.guild_id is not None else None
