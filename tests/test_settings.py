"""Settings from the environment, ``.env`` and a TOML file, with errors that name the setting."""

from __future__ import annotations

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


def test_bad_value_in_the_config_file_is_named_like_its_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    write_config(tmp_path, monkeypatch, "cooldown_seconds = -3\n")

    with pytest.raises(SettingsError, match=r"^setting BOT_COOLDOWN_SECONDS: "):
        load_settings()


def test_missing_default_config_file_is_not_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("BOT_CONFIG_FILE")
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
    monkeypatch.delenv("BOT_CONFIG_FILE")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "bot.toml").write_text("cooldown_questions = 7\n", encoding="utf-8")

    assert load_settings().cooldown_questions == 7
