"""``python -m bot report`` and ``python -m bot db upgrade`` on a SQLite file: text, JSON, chart, errors."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.store.database import Store
from bot.store.records import AuditRecord, CommentRecord, QuestionRecord, VoteRecord

pytestmark = pytest.mark.usefixtures("isolated_settings")

NOW = dt.datetime.now(dt.UTC)


def question(qid: str, text: str, answered: bool, terms: str, shown: tuple[str, ...] = ()) -> QuestionRecord:
    return QuestionRecord(qid, NOW, 1, 2, 7, "channel", text, answered, terms, ("series",), shown)


def seed(url: str) -> None:
    async def write() -> None:
        store = await Store.open(url)
        await store.write(
            [
                question("q1", "who won the series", False, "seri won"),
                question("q2", "who won the series?", False, "seri won"),
                question("q3", "who sued", True, "su", ("doc:p8",)),
                VoteRecord("q3", 1, False, NOW),
                CommentRecord("q3", 1, "the date"),
                AuditRecord(NOW, "reload", "mod (1)", False, "reload by mod (1) refused: invalid files"),
            ]
        )
        await store.close()

    asyncio.run(write())


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture
def database(isolated_settings: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/bot.sqlite3"
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    seed(url)
    return url


def test_db_upgrade_creates_the_database_where_the_setting_says(tmp_path: Path) -> None:
    code, out = run("db", "upgrade", "--database", f"sqlite:///{tmp_path}/new/bot.sqlite3")
    assert (code, out) == (0, "database is up to date (sqlite)\n")
    assert (tmp_path / "new" / "bot.sqlite3").exists()


def test_the_default_database_is_a_file_under_data(tmp_path: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    assert (tmp_path / "data" / "bot.sqlite3").exists()


@pytest.mark.usefixtures("database")
def test_report_gaps_json_follows_the_contract() -> None:
    code, out = run("report", "gaps", "--json")
    assert code == 0
    assert json.loads(out) == [
        {
            "kind": "declined",
            "count": 2,
            "example": "who won the series?",
            "questions": ["who won the series?", "who won the series"],
            "unmatched": ["series"],
            "passage_id": None,
            "comments": [],
        },
        {
            "kind": "unhelpful",
            "count": 1,
            "example": "who sued",
            "questions": ["who sued"],
            "unmatched": ["series"],
            "passage_id": "doc:p8",
            "comments": ["the date"],
        },
    ]


@pytest.mark.usefixtures("database")
def test_report_gaps_text_lists_the_groups() -> None:
    code, out = run("report", "gaps", "--days", "3")
    assert code == 0
    assert "1. declined (not covered), asked 2x: who won the series?" in out
    assert "also asked as: who won the series" in out
    assert "words the knowledge base lacks: series" in out
    assert "passage shown: doc:p8" in out and "comment: the date" in out


@pytest.mark.usefixtures("database")
def test_report_stats_json_text_and_chart(tmp_path: Path) -> None:
    code, out = run("report", "stats", "--json", "--days", "2", "--chart", str(tmp_path / "chart.png"))
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("questions", "answered", "declined", "helpful", "unhelpful")} == {
        "questions": 3,
        "answered": 1,
        "declined": 2,
        "helpful": 0,
        "unhelpful": 1,
    }
    assert data["top_passages"] == [{"passage_id": "doc:p8", "count": 1}]
    assert data["days"][-1] == {"date": NOW.date().isoformat(), "questions": 3, "answered": 1, "declined": 2}
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, out = run("report", "stats")
    assert "3 questions from 1 member, 1 answered, 2 declined" in out
    assert "Most cited passages: doc:p8 (1)" in out


@pytest.mark.usefixtures("database")
def test_report_history_text_and_json() -> None:
    assert run("report", "history")[1] == "reload by mod (1) refused: invalid files\n"
    (entry,) = json.loads(run("report", "history", "--json", "--limit", "1")[1])
    assert entry["accepted"] is False and entry["action"] == "reload"


def test_usage_errors_and_an_unreachable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("report", "gaps", "--days", "0")[0] == 2
    assert run("report", "history", "--limit", "0")[0] == 2
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    code, _ = run("report", "stats", "--database", f"sqlite:///{blocked}/bot.sqlite3")
    assert code == 1
    assert "database" in capsys.readouterr().err


def test_empty_reports_say_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/empty.sqlite3"
    assert "No gaps in the last 7 days" in run("report", "gaps", "--database", url)[1]
    assert run("report", "history", "--database", url)[1] == "No knowledge base changes recorded yet.\n"


def test_a_database_password_is_never_printed(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("report", "history", "--database", "postgresql://bot:s3cret@127.0.0.1:1/bot")
    assert code == 1
    err = capsys.readouterr().err
    assert "s3cret" not in err and "***" in err
