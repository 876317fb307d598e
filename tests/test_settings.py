"""Settings from the environment, ``.env`` and a TOML file, with errors that name the setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.settings import Settings, SettingsError, load_settings

SECRET = "mfa.very-secret-token-value"


pytestmark = pytest.mark.usefixtures("isolated_settings")


def write_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("BOT_CONFIG_FILE", str(path))
    return path


def test_defaults_need_no_configuration() -> None:
    settings = load_settings()

    assert settings.knowledge_dir == Path("knowledge")
    assert settings.ask_channel_ids == []
    assert settings.cooldown_seconds == 60.0
    assert settings.token is None


@pytest.mark.parametrize("value", ["1,2", "[1,2]", "1, 2", "[1, 2]", " 1 ; 2 "])
def test_channel_ids_are_read_however_the_admin_writes_them(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("BOT_ASK_CHANNEL_IDS", value)

    assert load_settings().ask_channel_ids == [1, 2]


def test_a_single_channel_id_is_a_list_of_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_GUILD_IDS", "123456789012345678")

    assert load_settings().guild_ids == [123456789012345678]


def test_knowledge_dir_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(tmp_path / "articles"))

    assert load_settings().knowledge_dir == tmp_path / "articles"


def test_log_level_is_accepted_in_lower_case(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_LOG_LEVEL", "debug")

    assert load_settings().log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_COOLDOWN_SECONDS", "-1"),
        ("BOT_ASK_CHANNEL_IDS", "abc"),
        ("BOT_COOLDOWN_QUESTIONS", "0"),
        ("BOT_MAX_QUESTION_LENGTH", "5"),
        ("BOT_LOG_LEVEL", "loud"),
        ("BOT_WATCH_KNOWLEDGE", "maybe"),
    ],
)
def test_bad_value_raises_settings_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    message = str(raised.value)
    assert message.startswith(f"setting {name}: ")
    assert repr(value.upper() if name == "BOT_LOG_LEVEL" else value) in message
    assert "pydantic" not in message.lower()
    assert "Traceback" not in message
    assert raised.value.__suppress_context__


def test_every_bad_setting_is_listed_on_its_own_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_COOLDOWN_SECONDS", "-1")
    monkeypatch.setenv("BOT_ASK_CHANNEL_IDS", "abc")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    lines = str(raised.value).splitlines()
    assert len(lines) == 2
    assert {line.split(":")[0] for line in lines} == {
        "setting BOT_COOLDOWN_SECONDS",
        "setting BOT_ASK_CHANNEL_IDS",
    }


def test_discord_token_is_read_but_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)

    settings = load_settings()

    assert settings.token == SECRET
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings)
    assert SECRET not in str(settings.model_dump())


def test_discord_token_does_not_leak_into_an_error_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    monkeypatch.setenv("BOT_COOLDOWN_SECONDS", "-1")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert SECRET not in str(raised.value)


def test_blank_token_counts_as_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "   ")

    assert load_settings().token is None


def test_config_file_named_by_bot_config_file_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_config(
        tmp_path,
        monkeypatch,
        'knowledge_dir = "from-toml"\ncooldown_seconds = 5\n'
        'ask_channel_ids = [7, 8]\nlog_level = "warning"\n',
    )

    settings = load_settings()

    assert settings.knowledge_dir == Path("from-toml")
    assert settings.cooldown_seconds == 5.0
    assert settings.ask_channel_ids == [7, 8]
    assert settings.log_level == "WARNING"


def test_environment_overrides_the_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    write_config(tmp_path, monkeypatch, 'knowledge_dir = "from-toml"\ncooldown_seconds = 5\n')
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", "from-env")

    settings = load_settings()

    assert settings.knowledge_dir == Path("from-env")
    assert settings.cooldown_seconds == 5.0


def test_dot_env_in_the_working_directory_is_read_and_the_environment_wins(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"BOT_COOLDOWN_SECONDS=9\nBOT_KNOWLEDGE_DIR=from-dotenv\nDISCORD_TOKEN={SECRET}\n", encoding="utf-8"
    )
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", "from-env")

    settings = load_settings()

    assert settings.cooldown_seconds == 9.0
    assert settings.knowledge_dir == Path("from-env")
    assert settings.token == SECRET


def test_bad_value_in_the_config_file_names_the_file_and_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_config(tmp_path, monkeypatch, 'knowledge_dir = "k"\n\ncooldown_seconds = -3\n')

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value) == (f"{path}:3: cooldown_seconds: Input should be greater than 0 (got -3)")


def test_bad_value_in_dot_env_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("# settings\nBOT_COOLDOWN_SECONDS=-1\n", encoding="utf-8")

    with pytest.raises(SettingsError, match=r"^\.env:2: BOT_COOLDOWN_SECONDS: Input should be greater"):
        load_settings()


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("cooldown_second = 5\n", 1, 'unknown setting "cooldown_second" (did you mean "cooldown_seconds"?)'),
        (
            "guild_ids = [1]\nmax_question_lenght = 300\n",
            2,
            'unknown setting "max_question_lenght" (did you mean "max_question_length"?)',
        ),
        ("[bot]\ncooldown_seconds = 5\n", 1, 'unknown setting "bot" (settings are not in sections'),
        ("colour = 1\n", 1, 'unknown setting "colour"'),
    ],
)
def test_an_unknown_key_in_the_config_file_stops_with_its_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write_config(tmp_path, monkeypatch, text)

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value).startswith(f"{path}:{line}: {message}")


def test_every_settings_field_is_a_known_key_of_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Derived from the model: a field added later is accepted without touching a list.
    fields = [name for name in Settings.model_fields if name != "discord_token"]
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    lines = []
    for name in fields:
        value = getattr(defaults, name)
        lines.append(f"{name} = {json.dumps(str(value) if isinstance(value, Path) else value)}")
    write_config(tmp_path, monkeypatch, "\n".join(line for line in lines if "null" not in line) + "\n")

    assert isinstance(load_settings(), Settings)


def test_a_token_in_the_config_file_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    path = write_config(tmp_path, monkeypatch, f'cooldown_seconds = 5\ndiscord_token = "{SECRET}"\n')

    with pytest.raises(SettingsError) as raised:
        load_settings()

    message = str(raised.value)
    assert message.startswith(f"{path}:2: discord_token: the token must not be in this file")
    assert "DISCORD_TOKEN in the environment or in .env" in message
    assert SECRET not in message


def test_unknown_bot_variables_are_warned_about(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("BOT_COOLDOWN_SECOND", "5")
    monkeypatch.setenv("BOT_SOMETHING_ELSE", "1")
    monkeypatch.setenv("BOTANY", "ferns")  # not a BOT_ variable

    with caplog.at_level("WARNING", logger="bot.settings"):
        load_settings()

    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == [
        'unknown setting "BOT_COOLDOWN_SECOND" in the environment '
        '(did you mean "BOT_COOLDOWN_SECONDS"?); it is ignored',
        'unknown setting "BOT_SOMETHING_ELSE" in the environment; it is ignored',
    ]


def test_unknown_dot_env_keys_are_warned_about_with_their_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / ".env").write_text(
        f"DISCORD_TOKEN={SECRET}\nBOT_MAX_QUESTION_LENGHT=100\nBOT_GUILD_IDS=1\n", encoding="utf-8"
    )

    with caplog.at_level("WARNING", logger="bot.settings"):
        settings = load_settings()

    assert settings.guild_ids == [1]
    assert [record.getMessage() for record in caplog.records] == [
        '.env:2: unknown setting "BOT_MAX_QUESTION_LENGHT" (did you mean "BOT_MAX_QUESTION_LENGTH"?); '
        "it is ignored"
    ]


def test_bot_config_file_in_dot_env_is_warned_about(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / ".env").write_text("BOT_CONFIG_FILE=elsewhere.toml\n", encoding="utf-8")

    with caplog.at_level("WARNING", logger="bot.settings"):
        load_settings()

    assert [record.getMessage() for record in caplog.records] == [
        ".env:1: BOT_CONFIG_FILE is read from the environment only; it is ignored"
    ]


def test_known_names_give_no_warning(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_config(tmp_path, monkeypatch, "cooldown_seconds = 5\n")
    monkeypatch.setenv("BOT_GUILD_IDS", "1")
    (tmp_path / ".env").write_text("BOT_LOG_LEVEL=debug\n", encoding="utf-8")

    with caplog.at_level("WARNING", logger="bot.settings"):
        load_settings()

    assert caplog.records == []


def test_a_dot_env_that_is_not_utf8_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"BOT_GUILD_IDS=1\nBOT_KNOWLEDGE_DIR=caf\xff\n")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value) == ".env: not UTF-8 (byte 0xff at line 2)"


def test_a_config_file_that_is_not_utf8_is_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "bot.toml"
    path.write_bytes(b'knowledge_dir = "caf\xe9"\n')
    monkeypatch.setenv("BOT_CONFIG_FILE", str(path))

    with pytest.raises(SettingsError, match=r"bot\.toml: not UTF-8 \(byte 0xe9 at line 1\)$"):
        load_settings()


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_bot_config_file_naming_no_file_is_an_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kind: str
) -> None:
    path = tmp_path / "settings.toml"
    if kind == "folder":
        path.mkdir()
    monkeypatch.setenv("BOT_CONFIG_FILE", str(path))

    with pytest.raises(SettingsError) as raised:
        load_settings()

    reason = "is a folder, not a settings file" if kind == "folder" else "does not exist"
    assert str(raised.value) == f"BOT_CONFIG_FILE: {path} {reason}"


@pytest.mark.parametrize(
    ("name", "value"),
    [("BOT_ASK_CHANNEL_IDS", "-5"), ("BOT_GUILD_IDS", "1,0"), ("BOT_AUDIT_CHANNEL_ID", "-1")],
)
def test_discord_ids_must_be_positive(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError, match=rf"^setting {name}: Input should be greater than 0"):
        load_settings()


def test_a_bad_setting_the_caller_does_not_need_falls_back_to_its_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BOT_COOLDOWN_SECONDS", "-1")
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", "articles")

    settings = load_settings(needed={"knowledge_dir"})

    assert settings.knowledge_dir == Path("articles")
    assert settings.cooldown_seconds == 60.0
    with pytest.raises(SettingsError):
        load_settings()


def test_a_bad_setting_the_caller_needs_still_stops_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_MAX_QUESTION_LENGTH", "5")
    monkeypatch.setenv("BOT_COOLDOWN_SECONDS", "-1")

    with pytest.raises(SettingsError) as raised:
        load_settings(needed={"cooldown_seconds"})

    assert str(raised.value).startswith("setting BOT_COOLDOWN_SECONDS: ")
    assert "MAX_QUESTION_LENGTH" not in str(raised.value)


def test_missing_default_config_file_is_not_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert not (tmp_path / "config" / "bot.toml").exists()

    assert isinstance(load_settings(), Settings)


def test_malformed_config_file_raises_settings_error_naming_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = write_config(tmp_path, monkeypatch, "cooldown_seconds = [\n")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(path) in str(raised.value)


def test_config_bot_toml_in_the_working_directory_is_read_by_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "bot.toml").write_text("cooldown_questions = 7\n", encoding="utf-8")

    assert load_settings().cooldown_questions == 7
