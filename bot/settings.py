"""The bot's settings, in one typed class.

Read, first match wins, from: the environment, a ``.env`` file in the working directory, then
``config/bot.toml``. Every setting but the token is named ``BOT_<FIELD>`` in the environment and
``<field>`` in the TOML file; the token is ``DISCORD_TOKEN``. ``config/bot.example.toml`` shows them all.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

ENV_PREFIX = "BOT_"
CONFIG_FILE_ENV = "BOT_CONFIG_FILE"
DEFAULT_CONFIG_FILE = Path("config/bot.toml")

IdList = Annotated[list[int], NoDecode]


class SettingsError(Exception):
    """A setting has a value the bot cannot use; the message names the setting."""


class Settings(BaseSettings):
    """Everything a server admin can configure."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("DISCORD_TOKEN", "discord_token"),
        description="The bot's token from the Discord developer portal. Secret: never logged.",
    )
    knowledge_dir: Path = Field(default=Path("knowledge"), description="Folder of knowledge files.")
    ask_channel_ids: IdList = Field(
        default_factory=list,
        description="Channels where any message that is a question gets an answer (no mention needed).",
    )
    moderator_role_ids: IdList = Field(
        default_factory=list,
        description="Roles whose members may use /kb, besides members with Manage Server.",
    )
    guild_ids: IdList = Field(
        default_factory=list,
        description="Servers to sync slash commands to at start (instant); empty: sync globally.",
    )
    audit_channel_id: int | None = Field(
        default=None, description="Channel where knowledge base changes are posted (optional)."
    )
    cooldown_questions: int = Field(
        default=5, ge=1, description="Questions a member may ask per cooldown window."
    )
    cooldown_seconds: float = Field(default=60.0, gt=0, description="Length of the cooldown window.")
    max_question_length: int = Field(
        default=500, ge=10, le=4000, description="Longest question accepted, in characters."
    )
    max_upload_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest knowledge file /kb add accepts, in bytes."
    )
    watch_knowledge: bool = Field(
        default=False, description="Reload automatically when files in the knowledge folder change."
    )
    # --- What the bot records (bot/store) ---
    database_url: str = Field(
        default="sqlite+aiosqlite:///data/bot.sqlite3",
        description="Where questions, votes and the audit log are kept: SQLite file or postgresql+asyncpg://.",
    )
    record_questions: bool = Field(
        default=True, description="Record questions and show feedback buttons (false: neither)."
    )
    keep_questions_days: int = Field(
        default=90, ge=1, description="Days questions, votes and comments are kept before the daily purge."
    )
    # --- end of what the bot records ---
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = Field(
        default="INFO", description="How much the bot logs."
    )

    @field_validator("ask_channel_ids", "moderator_role_ids", "guild_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        """Accept "1, 2", "[1, 2]" or a list: admins write ids all three ways."""
        if isinstance(value, str):
            text = value.strip().strip("[]")
            return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=toml_file),
        )

    @property
    def token(self) -> str | None:
        """The token's value, or None when it is not set."""
        if self.discord_token is None:
            return None
        value = self.discord_token.get_secret_value().strip()
        return value or None


def setting_name(field: str) -> str:
    """The environment name of a settings field ("ask_channel_ids" -> "BOT_ASK_CHANNEL_IDS")."""
    if field == "discord_token":
        return "DISCORD_TOKEN"
    return f"{ENV_PREFIX}{field.upper()}"


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise ``SettingsError`` with one clear line per bad setting."""
    try:
        return Settings(**overrides)
    except tomllib.TOMLDecodeError as error:
        path = os.environ.get(CONFIG_FILE_ENV, str(DEFAULT_CONFIG_FILE))
        raise SettingsError(f"config file {path}: not valid TOML ({error})") from None
    except ValidationError as error:
        lines = []
        for problem in error.errors():
            field = str(problem["loc"][0]) if problem["loc"] else "settings"
            value = problem.get("input")
            shown = "" if field == "discord_token" else f" (got {value!r})"
            lines.append(f"setting {setting_name(field)}: {problem['msg']}{shown}")
        raise SettingsError("\n".join(lines)) from None
