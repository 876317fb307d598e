"""The bot's settings, in one typed class.

Read, first match wins, from: the environment, a ``.env`` file in the working directory, then
``config/bot.toml``. Every setting but the token is named ``BOT_<FIELD>`` in the environment and
``<field>`` in the TOML file; the token is ``DISCORD_TOKEN``, and only in the environment or ``.env``
(both kept out of git and Docker images). ``config/bot.example.toml`` shows them all.

Nothing is silently ignored: an unknown key in the TOML file or a token written there stops the bot
with the file and line; unknown ``BOT_*`` variables and ``.env`` keys are logged as warnings. The
known names are the fields of ``Settings``, so a new field is known everywhere at once.
"""

from __future__ import annotations

import difflib
import io
import logging
import os
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from dotenv import dotenv_values
from pydantic import AliasChoices, Field, PositiveInt, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

log = logging.getLogger(__name__)

ENV_PREFIX = "BOT_"
CONFIG_FILE_ENV = "BOT_CONFIG_FILE"
DEFAULT_CONFIG_FILE = Path("config/bot.toml")

TOKEN_ENV = "DISCORD_TOKEN"
TOKEN_FIELD = "discord_token"
DEFAULT_ENV_FILE = ".env"

# Discord ids are positive snowflakes.
IdList = Annotated[list[PositiveInt], NoDecode]

# `key = ...`, `"key" = ...` or `[section]` at the start of a line: where a TOML key is written.
_TOML_KEY_RE = re.compile(r"""^\s*\[*\s*["']?([A-Za-z0-9_-]+)["']?\s*[=\]]""")
_DOTENV_KEY_RE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")


class SettingsError(Exception):
    """A setting has a value the bot cannot use; the message names the setting and where it was set."""


def _suggestion(name: str, known: Collection[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _key_lines(text: str, pattern: re.Pattern[str]) -> dict[str, int]:
    """Key -> the line it is first written on (1-based)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SettingsError(f"{shown}: not UTF-8 (byte 0x{raw[error.start]:02x} at line {line})") from None


@dataclass(frozen=True)
class ConfigFile:
    """The TOML settings file: its values and the line each key is on."""

    path: Path
    values: Mapping[str, Any] = field(default_factory=dict)
    lines: Mapping[str, int] = field(default_factory=dict)

    def where(self, key: str) -> str:
        """``config/bot.toml:3``: where ``key`` is set, for messages."""
        return f"{self.path}:{self.lines.get(key, 1)}"

    @classmethod
    def read(cls, path: Path, fields: Collection[str]) -> ConfigFile:
        """Read and check the file (a missing file has no values); raise ``SettingsError`` on any problem.

        ``fields`` are the settings' names: any other key is a mistake (a typo, a ``[section]``) that
        would otherwise be ignored without a word.
        """
        if not path.exists():
            return cls(path)
        try:
            text = _decode(path.read_bytes(), str(path))
            values = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(f"config file {path}: not valid TOML ({error})") from None
        except OSError as error:
            raise SettingsError(f"config file {path}: cannot read it ({error.strerror or error})") from None
        config = cls(path, values, _key_lines(text, _TOML_KEY_RE))
        known = set(fields) - {TOKEN_FIELD}
        problems = []
        for key, value in values.items():
            if key == TOKEN_FIELD:
                problems.append(
                    f"{config.where(key)}: {key}: the token must not be in this file, which can end up in "
                    f"git and in Docker images; set {TOKEN_ENV} in the environment or in .env"
                )
            elif isinstance(value, dict):
                problems.append(
                    f'{config.where(key)}: unknown setting "{key}" (settings are not in sections: '
                    f"write them at the top level, without [{key}])"
                )
            elif key not in known:
                problems.append(f'{config.where(key)}: unknown setting "{key}"{_suggestion(key, known)}')
        if problems:
            raise SettingsError("\n".join(problems))
        return config


def config_file_path() -> Path:
    """The TOML settings file: ``BOT_CONFIG_FILE`` or ``config/bot.toml``."""
    return Path(os.environ.get(CONFIG_FILE_ENV, DEFAULT_CONFIG_FILE))


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
    audit_channel_id: PositiveInt | None = Field(
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
    import_allow_private: bool = Field(
        default=False,
        description=(
            "Let /kb add url: and python -m bot import fetch from loopback, private and link-local "
            "addresses (intranet sites, tests). Off: only public addresses."
        ),
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
        config = ConfigFile.read(config_file_path(), settings_cls.model_fields)
        return (
            init_settings,
            env_settings,
            dotenv_settings,
            InitSettingsSource(settings_cls, dict(config.values)),
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
    if field == TOKEN_FIELD:
        return TOKEN_ENV
    return f"{ENV_PREFIX}{field.upper()}"


def _known_variables() -> set[str]:
    return {setting_name(name) for name in Settings.model_fields} | {CONFIG_FILE_ENV}


def _field_of(location: object) -> str | None:
    name = str(location)
    if name in Settings.model_fields:
        return name
    return TOKEN_FIELD if name.upper() == TOKEN_ENV else None


@dataclass(frozen=True)
class _Sources:
    """What each place holds, to say where a bad value came from and which names are unknown."""

    overrides: Mapping[str, Any]
    environment: Mapping[str, str]
    env_file: str | None
    dotenv: Mapping[str, str | None]
    dotenv_lines: Mapping[str, int]
    config: ConfigFile

    @classmethod
    def read(cls, overrides: Mapping[str, Any]) -> _Sources:
        env_file = overrides.get("_env_file", Settings.model_config.get("env_file"))
        dotenv: dict[str, str | None] = {}
        lines: dict[str, int] = {}
        shown = str(env_file) if isinstance(env_file, (str, os.PathLike)) else None
        if shown is not None and Path(shown).is_file():
            try:
                raw = Path(shown).read_bytes()
            except OSError as error:
                raise SettingsError(f"{shown}: cannot read it ({error.strerror or error})") from None
            text = _decode(raw, shown)
            dotenv = dotenv_values(stream=io.StringIO(text))
            lines = _key_lines(text, _DOTENV_KEY_RE)
        path = config_file_path()
        if CONFIG_FILE_ENV in os.environ:
            # The admin named this file: a typo in its name must not silently fall back to defaults.
            if path.is_dir():
                raise SettingsError(f"{CONFIG_FILE_ENV}: {path} is a folder, not a settings file")
            if not path.exists():
                raise SettingsError(f"{CONFIG_FILE_ENV}: {path} does not exist")
        config = ConfigFile.read(path, Settings.model_fields)
        return cls(overrides, dict(os.environ), shown, dotenv, lines, config)

    def origin(self, field: str) -> str:
        """Where ``field``'s value came from, as a message prefix; the first source that has it wins."""
        name = setting_name(field)
        if field in self.overrides or any(key.upper() == name for key in self.environment):
            return f"setting {name}"
        found = next((key for key in self.dotenv if key.upper() == name), None)
        if found is not None:
            return f"{self.env_file}:{self.dotenv_lines.get(found, 1)}: {name}"
        if field in self.config.values:
            return f"{self.config.where(field)}: {field}"
        return f"setting {name}"

    def unknown_names(self) -> list[str]:
        """Warnings for ``BOT_*`` variables and ``.env`` keys that are no setting."""
        known = _known_variables()
        warnings = []
        for key in sorted(self.environment):
            if key.upper().startswith(ENV_PREFIX) and key.upper() not in known:
                hint = _suggestion(key.upper(), known)
                warnings.append(f'unknown setting "{key}" in the environment{hint}; it is ignored')
        for key in self.dotenv:
            where = f"{self.env_file}:{self.dotenv_lines.get(key, 1)}"
            if key.upper() == CONFIG_FILE_ENV:
                # The TOML file's name cannot come from .env: .env is read after the name is needed.
                warnings.append(
                    f"{where}: {CONFIG_FILE_ENV} is read from the environment only; it is ignored"
                )
            elif key.upper() not in known:
                warnings.append(
                    f'{where}: unknown setting "{key}"{_suggestion(key.upper(), known)}; it is ignored'
                )
        return warnings


def load_settings(needed: Collection[str] | None = None, **overrides: Any) -> Settings:
    """Read the settings; raise ``SettingsError`` with one clear line per bad setting.

    ``needed`` names the settings the caller uses: a bad value of any other one is replaced by its
    default instead of stopping a command that does not use it (``ask`` only needs the knowledge
    folder). Unknown ``BOT_*`` variables and ``.env`` keys are logged as warnings.
    """
    sources = _Sources.read(overrides)
    for warning in sources.unknown_names():
        log.warning("%s", warning)
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = [(_field_of(p["loc"][0]) if p["loc"] else None, p) for p in error.errors()]
        fatal = [(name, p) for name, p in problems if needed is None or name is None or name in needed]
        if not fatal:
            unused = {name for name, _ in problems if name is not None}
            defaults = {
                name: Settings.model_fields[name].get_default(call_default_factory=True) for name in unused
            }
            return Settings(**{**overrides, **defaults})
        lines = []
        for name, problem in fatal:
            where = sources.origin(name) if name is not None else "settings"
            shown = "" if name == TOKEN_FIELD else f" (got {problem.get('input')!r})"
            lines.append(f"{where}: {problem['msg']}{shown}")
        raise SettingsError("\n".join(lines)) from None
