"""The command line as a user sees it: ``python -m bot ask | check | eval``, output and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot import cli
from bot.replies.plain import NOT_COVERED

REPO_ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
DEV_SET = REPO_ROOT / "tests" / "data" / "article_dev.jsonl"
TITLE = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"
LAWSUIT_SENTENCE = "In October, NDLON and other organizations filed a lawsuit against Sheriff Baca."

PASSAGE_TYPES = {
    "text": str,
    "citation": str,
    "document": str,
    "paragraph": int,
    "score": float,
    "best_sentence": str,
}


pytestmark = pytest.mark.usefixtures("isolated_settings")


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    """Run the CLI in-process; return its exit code and standard output."""
    out = io.StringIO()
    code = cli.main(list(argv), out=out, stdin=io.StringIO(stdin))
    return code, out.getvalue()


def ask(*argv: str, stdin: str = "") -> tuple[int, str]:
    return run("ask", "--knowledge", str(KNOWLEDGE_DIR), *argv, stdin=stdin)


def assert_json_contract(payload: dict[str, Any]) -> None:
    assert set(payload) == {"question", "answered", "passages", "unmatched", "elapsed_ms"}
    assert isinstance(payload["unmatched"], list)
    assert isinstance(payload["question"], str)
    assert isinstance(payload["answered"], bool)
    assert isinstance(payload["elapsed_ms"], float)
    assert isinstance(payload["passages"], list)
    assert payload["answered"] == bool(payload["passages"])
    for passage in payload["passages"]:
        for key, kind in PASSAGE_TYPES.items():
            assert isinstance(passage[key], kind), key
        assert passage["best_sentence"] in passage["text"]
        assert passage["citation"].startswith(passage["document"])


def write_broken_knowledge(directory: Path) -> Path:
    directory.mkdir()
    (directory / "good.md").write_text("---\ntitle: Good\n---\n\nFine.\n", encoding="utf-8")
    bad = directory / "bad.md"
    bad.write_text("---\ntitle: [unclosed\n---\n\nBody.\n", encoding="utf-8")
    return bad


def test_ask_prints_the_citation_and_marks_the_best_sentence() -> None:
    code, out = ask("when", "was", "the", "lawsuit", "filed")

    assert code == cli.EXIT_OK
    assert out.startswith(f"[1] {TITLE}, paragraph 8 (Colorlines)\n")
    assert f"**{LAWSUIT_SENTENCE}**" in " ".join(out.split())


def test_ask_says_politely_when_the_article_does_not_cover_the_question() -> None:
    code, out = ask("What's the weather in Paris?")

    assert code == cli.EXIT_OK
    assert out == NOT_COVERED + "\n"


def test_ask_json_prints_one_object_in_the_documented_contract() -> None:
    code, out = ask("--json", "when was the lawsuit filed")

    assert code == cli.EXIT_OK
    payload = json.loads(out)
    assert_json_contract(payload)
    assert payload["question"] == "when was the lawsuit filed"
    assert payload["answered"] is True
    assert payload["passages"][0]["paragraph"] == 8
    assert payload["passages"][0]["best_sentence"] == LAWSUIT_SENTENCE


def test_ask_json_for_an_uncovered_question_has_no_passages() -> None:
    code, out = ask("--json", "how do I bake sourdough")

    payload = json.loads(out)
    assert code == cli.EXIT_OK
    assert_json_contract(payload)
    assert (payload["answered"], payload["passages"]) == (False, [])


def test_ask_json_dash_answers_one_question_per_stdin_line_skipping_blank_lines() -> None:
    questions = ["who wrote this?", "", "what's the weather in paris?", "  ", "when was the lawsuit filed"]

    code, out = ask("--json", "-", stdin="\n".join(questions) + "\n")

    assert code == cli.EXIT_OK
    payloads = [json.loads(line) for line in out.splitlines()]
    for payload in payloads:
        assert_json_contract(payload)
    assert [p["question"] for p in payloads] == [q for q in questions if q.strip()]
    assert [p["answered"] for p in payloads] == [True, False, True]
    assert "Jorge Rivas" in payloads[0]["passages"][0]["text"]


def test_ask_dash_in_human_mode_labels_each_answer_with_its_question() -> None:
    code, out = ask("-", stdin="who wrote this?\r\n\r\nhow do I bake sourdough\n\n")

    assert code == cli.EXIT_OK
    assert out.startswith("Q: who wrote this?\n[1] ")
    assert out.endswith("\n\nQ: how do I bake sourdough\n" + NOT_COVERED + "\n")
    assert out.count("Q: ") == 2


def test_ask_with_k_1_returns_a_single_passage() -> None:
    _, default = ask("--json", "when was this published?")
    code, limited = ask("--json", "-k", "1", "when was this published?")

    assert code == cli.EXIT_OK
    assert len(json.loads(default)["passages"]) > 1
    assert len(json.loads(limited)["passages"]) == 1


def test_ask_reads_another_knowledge_directory(tmp_path: Path) -> None:
    folder = tmp_path / "festival"
    folder.mkdir()
    (folder / "harbour.md").write_text(
        "---\ntitle: Harbour Festival Returns\n---\n\nThe festival opens on Friday.\n\n"
        "Fireworks over the marina start at nine.\n",
        encoding="utf-8",
    )

    code, out = run("ask", "--knowledge", str(folder), "--json", "when do the fireworks start")

    payload = json.loads(out)
    assert code == cli.EXIT_OK
    assert payload["passages"][0]["citation"] == "Harbour Festival Returns, paragraph 2"


def test_ask_uses_bot_knowledge_dir_when_no_directory_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))

    code, out = run("ask", "--json", "who wrote this?")

    assert code == cli.EXIT_OK
    assert json.loads(out)["passages"][0]["document"] == TITLE


@pytest.mark.parametrize("json_option", [(), ("--json",)])
@pytest.mark.parametrize("question", ["", "   "])
def test_empty_question_exits_2_with_a_polite_example(
    capsys: pytest.CaptureFixture[str], question: str, json_option: tuple[str, ...]
) -> None:
    code, out = ask(*json_option, question)

    assert code == cli.EXIT_USAGE
    assert out == ""
    assert capsys.readouterr().err == f"Please ask a question, for example: {cli.EXAMPLE}\n"


def test_k_below_one_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = ask("-k", "0", "who wrote this?")

    assert code == cli.EXIT_USAGE
    assert "-k must be at least 1" in capsys.readouterr().err


def test_ask_without_a_question_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        run("ask")

    assert exited.value.code == cli.EXIT_USAGE
    assert "question" in capsys.readouterr().err


def test_ask_on_a_folder_with_a_broken_file_answers_from_the_valid_ones_and_warns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_broken_knowledge(tmp_path / "broken")

    code, out = run("ask", "--knowledge", str(tmp_path / "broken"), "--json", "is it fine?")

    err = capsys.readouterr().err
    assert code == cli.EXIT_OK
    assert json.loads(out)["passages"][0]["text"] == "Fine."
    assert err == (
        f"{bad}:2: bad front matter: {err.split('bad front matter: ')[1].splitlines()[0]}\n"
        "Answering from the 1 valid document; the problems above leave the rest out.\n"
    )


def test_ask_on_a_folder_with_only_broken_files_exits_1_listing_file_line_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_broken_knowledge(tmp_path / "broken")
    (tmp_path / "broken" / "good.md").unlink()

    code, out = run("ask", "--knowledge", str(tmp_path / "broken"), "who wrote this?")

    err = capsys.readouterr().err
    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert out == ""
    assert f"{bad}:2: bad front matter" in err
    assert "The knowledge base is not usable." in err


def test_ask_on_a_missing_knowledge_directory_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("ask", "--knowledge", str(tmp_path / "nowhere"), "who wrote this?")

    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert f"{tmp_path / 'nowhere'}:0: knowledge directory not found" in capsys.readouterr().err


def test_check_counts_documents_and_passages_of_the_bundled_article() -> None:
    code, out = run("check", "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_OK
    assert out.splitlines()[-1] == (
        f"{KNOWLEDGE_DIR}: 1 document, 12 passages, 142 synonym rules, 0 errors, 0 warnings"
    )


def test_check_on_a_broken_directory_exits_1_with_file_line_messages(tmp_path: Path) -> None:
    bad = write_broken_knowledge(tmp_path / "broken")

    code, out = run("check", "--knowledge", str(tmp_path / "broken"))

    lines = out.splitlines()
    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert lines[0].startswith(f"{bad}:2: bad front matter")
    assert lines[-1] == f"{tmp_path / 'broken'}: 1 document, 2 passages, 1 error, 0 warnings"


def test_eval_prints_hit_at_1_hit_at_3_and_mrr() -> None:
    code, out = run("eval", str(DEV_SET), "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_OK
    labels = [line.split(":")[0].strip() for line in out.splitlines()]
    for label in ("hit@1", "hit@3", "answered", "abstained"):
        assert label in labels
    assert "ranking only, refusals off: hit@1 " in out and "MRR@10: " in out


def test_eval_lists_a_wrongly_refused_question_as_refused(tmp_path: Path) -> None:
    questions = tmp_path / "questions.jsonl"
    lines = [
        {"question": "who wrote this?", "evidence": ["Jorge Rivas"]},
        {"question": "what is the recipe for sourdough bread", "evidence": ["Jorge Rivas"]},
    ]
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    code, out = run("eval", str(questions), "--show-misses", "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_OK
    assert "refused: what is the recipe for sourdough bread" in out.splitlines()
    assert "  hit@1:                 0.500" in out


def test_eval_warns_about_evidence_no_passage_contains(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    questions = tmp_path / "questions.jsonl"
    lines = [
        {"question": "who wrote this?", "evidence": ["Jorge Rivas"]},
        {"question": "who wrote this?", "evidence": ["Jorje Rivas", "Jorge Rivas"]},
    ]
    questions.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")

    code, _ = run("eval", str(questions), "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_OK
    assert capsys.readouterr().err == f"warning: {questions}:2: evidence 'Jorje Rivas' occurs in no passage\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param("", "{path}: no questions", id="empty"),
        pytest.param("\n  \n", "{path}: no questions", id="blank"),
        pytest.param(
            '{"data": [{"title": "x"}]}', '{path}: not a SQuAD file: data[0] has no "paragraphs"', id="squad"
        ),
        pytest.param('{"data": 5}', '{path}: not a SQuAD file: the file has no "data"', id="squad-data"),
        pytest.param(
            '{"question": "who?"}', '{path}:1: missing field "evidence" (or "answerable": false)', id="ev"
        ),
        pytest.param('["who?"]', "{path}:1: expected a JSON object, not list", id="list"),
        pytest.param(
            '{"question": 5, "evidence": ["x"]}', '{path}:1: "question" must be a non-empty', id="q"
        ),
        pytest.param(
            '{"question": "who?", "evidence": {"a": 1}}', '{path}:1: "evidence" must be a list', id="e"
        ),
        pytest.param('{"question": "who?", "evidence": [1]}', '{path}:1: "evidence" must be a list', id="e2"),
        pytest.param(
            '{"question": "who?", "answerable": "no"}', '{path}:1: "answerable" must be true', id="a"
        ),
    ],
)
def test_eval_on_a_malformed_question_file_says_what_is_wrong_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    path = tmp_path / "questions.jsonl"
    path.write_text(content, encoding="utf-8")

    code, out = run("eval", str(path), "--knowledge", str(KNOWLEDGE_DIR))

    assert (code, out) == (cli.EXIT_USAGE, "")
    err = capsys.readouterr().err
    assert f"cannot read questions: {message.format(path=path)}" in err
    assert "Traceback" not in err


def test_eval_show_misses_lists_the_questions_missed() -> None:
    code, out = run("eval", str(DEV_SET), "--show-misses", "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_OK
    assert "miss@1: " in out


def test_eval_on_an_unreadable_question_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "questions.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")

    code, _ = run("eval", str(bad), "--knowledge", str(KNOWLEDGE_DIR))

    assert code == cli.EXIT_USAGE
    assert f"cannot read questions: {bad}:1:" in capsys.readouterr().err


def python_m_bot(
    *argv: str, stdin: str = "", hash_seed: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot`` in a real process from the repository root (with ``PYTHONHASHSEED``
    set to ``hash_seed`` when given)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BOT_") and k != "DISCORD_TOKEN"}
    if hash_seed is not None:
        env["PYTHONHASHSEED"] = hash_seed
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv],
        cwd=REPO_ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_m_bot_ask_json_in_a_real_process() -> None:
    done = python_m_bot("ask", "--json", "when was the lawsuit filed", "--knowledge", str(KNOWLEDGE_DIR))

    assert done.returncode == cli.EXIT_OK, done.stderr
    payload = json.loads(done.stdout)
    assert_json_contract(payload)
    assert payload["passages"][0]["paragraph"] == 8


def test_python_m_bot_ask_json_dash_streams_json_lines_in_a_real_process() -> None:
    done = python_m_bot("ask", "--json", "-", "--knowledge", str(KNOWLEDGE_DIR), stdin="who wrote this?\n\n")

    assert done.returncode == cli.EXIT_OK, done.stderr
    payloads = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(p["question"], p["answered"]) for p in payloads] == [("who wrote this?", True)]


def test_python_m_bot_empty_question_exits_2_without_a_traceback() -> None:
    done = python_m_bot("ask", "", "--knowledge", str(KNOWLEDGE_DIR))

    assert done.returncode == cli.EXIT_USAGE
    assert done.stdout == ""
    assert done.stderr.startswith("Please ask a question")
    assert "Traceback" not in done.stderr


def test_a_bad_setting_that_ask_does_not_use_does_not_stop_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_COOLDOWN_SECONDS", "-1")
    monkeypatch.setenv("BOT_KNOWLEDGE_DIR", str(KNOWLEDGE_DIR))

    code, out = run("ask", "--json", "who wrote this?")

    assert code == cli.EXIT_OK
    assert json.loads(out)["answered"]


def test_a_dot_env_that_is_not_utf8_is_a_usage_error_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".env").write_bytes(b"BOT_KNOWLEDGE_DIR=\xff\n")

    code, out = run("check")

    assert (code, out) == (cli.EXIT_USAGE, "")
    assert capsys.readouterr().err == ".env: not UTF-8 (byte 0xff at line 1)\n"


@pytest.mark.parametrize("command", [("check",), ("ask", "who wrote this?"), ("quote",)])
def test_knowledge_naming_a_file_says_it_is_a_file(
    command: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    article = next(KNOWLEDGE_DIR.glob("*.md"))

    code, out = run(*command, "--knowledge", str(article))

    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert f"{article}:0: is a file, not a knowledge folder" in out + capsys.readouterr().err


@pytest.mark.parametrize("command", [("check",), ("ask", "who wrote this?"), ("quote",)])
def test_an_unreadable_knowledge_folder_is_one_clear_line(
    command: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        # Tests run as root, where chmod 000 does not stop a listing: simulate what users get.
        if Path(path) == folder:
            raise PermissionError(13, "Permission denied", str(folder))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)

    code, out = run(*command, "--knowledge", str(folder))

    err = capsys.readouterr().err
    assert code == cli.EXIT_INVALID_KNOWLEDGE
    assert f"{folder}:0: could not read the folder: Permission denied" in out + err
    assert "Traceback" not in err


def test_check_counts_files_in_subfolders(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    (folder / "2012" / "dec").mkdir(parents=True)
    (folder / ".drafts").mkdir()
    (folder / "top.md").write_text("# Top\n\nOne.\n", encoding="utf-8")
    (folder / "2012" / "dec" / "story.md").write_text("# Story\n\nTwo.\n", encoding="utf-8")
    (folder / ".drafts" / "draft.md").write_text("# Draft\n\nNot yet.\n", encoding="utf-8")

    code, out = run("check", "--knowledge", str(folder))

    assert code == cli.EXIT_OK
    assert out == f"{folder}: 2 documents, 4 passages, 0 errors, 0 warnings\n"


def test_eval_refuses_a_knowledge_folder_with_a_broken_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_broken_knowledge(tmp_path / "broken")

    code, out = run("eval", str(DEV_SET), "--knowledge", str(tmp_path / "broken"))

    assert (code, out) == (cli.EXIT_INVALID_KNOWLEDGE, "")
    assert f"{bad}:2: bad front matter" in capsys.readouterr().err
