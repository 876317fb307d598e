"""What git and the Docker image may carry: never the settings file, where a secret could be written."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def ignored(name: str) -> list[str]:
    return [line.strip() for line in (REPO / name).read_text(encoding="utf-8").splitlines()]


def test_git_and_docker_ignore_the_settings_file_and_dot_env() -> None:
    for name in (".gitignore", ".dockerignore"):
        assert "config/bot.toml" in ignored(name), name
        assert ".env" in ignored(name), name


def test_the_image_copies_only_the_example_settings() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    copies = [line for line in dockerfile.splitlines() if line.startswith("COPY") and "config" in line]

    assert copies == ["COPY --chown=10001:10001 config/bot.example.toml ./config/"]


def test_the_image_sets_no_bot_setting_so_the_settings_file_is_obeyed() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")

    assert not re.search(r"\bBOT_[A-Z_]+=", dockerfile)
