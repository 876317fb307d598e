"""LiveKnowledge: every refresh validates everything, swaps all at once or not at all, loses nothing.

Each test works on a copy of the bundled knowledge folder in a temporary directory.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from samples import (
    BAD_FRONT_MATTER,
    LIBRARY,
    LIBRARY_QUESTION,
    PARK,
    PARK_QUESTION,
    SHERIFF,
    SHERIFF_FILE,
    SHERIFF_QUESTION,
    copy_bundled,
    forbid_listing,
)

from bot.retrieval import live
from bot.retrieval.documents import KnowledgeError
from bot.retrieval.live import LiveKnowledge, NoDocumentsError, RefreshOutcome, safe_filename


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    """A copy of the bundled knowledge folder."""
    return copy_bundled(tmp_path / "knowledge")


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (trash and hidden files included) with its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }


def answered_from(knowledge: LiveKnowledge, question: str) -> str | None:
    """The title of the document the best passage comes from, or None when not answered."""
    result = knowledge.current.knowledge_base.search(question)
    return result.hits[0].passage.citation.document if result.answered else None


def recorder(into: list[RefreshOutcome]) -> Callable[[RefreshOutcome], Awaitable[None]]:
    async def listener(outcome: RefreshOutcome) -> None:
        into.append(outcome)

    return listener


async def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


# ----------------------------------------------------------------------------- start-up


async def test_open_answers_from_the_directory(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    assert [d.title for d in knowledge.current.documents] == [SHERIFF]
    assert knowledge.current.built_by == "start-up"
    assert knowledge.last_refresh is None
    assert answered_from(knowledge, SHERIFF_QUESTION) == SHERIFF
    assert gc.isenabled()  # the collector is only paused while indexes are built


async def test_open_refuses_an_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(NoDocumentsError, match=r"no \.md or \.txt files"):
        await LiveKnowledge.open(tmp_path)


async def test_open_refuses_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        await LiveKnowledge.open(tmp_path / "nowhere")


async def test_open_refuses_a_folder_it_cannot_list_with_one_clear_line(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    forbid_listing(monkeypatch, knowledge_dir)

    with pytest.raises(NoDocumentsError) as raised:
        await LiveKnowledge.open(knowledge_dir)

    assert str(raised.value) == f"{knowledge_dir}:0: could not read the folder: Permission denied"


async def test_a_reload_reads_subfolders_and_reports_them_by_path(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    (knowledge_dir / "2021").mkdir()
    write(knowledge_dir / "2021", "library.md", LIBRARY)

    outcome = await knowledge.reload("moderator")

    assert outcome.accepted
    assert [d.name for d in knowledge.current.documents] == ["2021/library.md", SHERIFF_FILE]
    assert "2021/library.md" in knowledge.directory_state()
    assert knowledge.current.knowledge_base.search(LIBRARY_QUESTION).hits[0].passage.doc_id == "2021-library"


async def test_open_refuses_a_directory_of_invalid_files_naming_each(tmp_path: Path) -> None:
    write(tmp_path, "broken.md", BAD_FRONT_MATTER)
    write(tmp_path, "latin1.txt", "Caf\xe9 au lait.\n".encode("latin-1"))

    with pytest.raises(KnowledgeError) as raised:
        await LiveKnowledge.open(tmp_path)

    shown = str(raised.value)
    assert f"{tmp_path / 'broken.md'}:2: bad front matter" in shown
    assert f"{tmp_path / 'latin1.txt'}:1: not UTF-8" in shown


async def test_open_starts_with_the_valid_files_and_warns_about_the_others(knowledge_dir: Path) -> None:
    write(knowledge_dir, "broken.md", BAD_FRONT_MATTER)

    knowledge = await LiveKnowledge.open(knowledge_dir)

    assert [d.title for d in knowledge.current.documents] == [SHERIFF]
    assert any("broken.md:2: bad front matter" in str(p) for p in knowledge.current.warnings)
    # From then on a refresh is all or nothing: the broken file must be fixed (or replaced) first.
    outcome = await knowledge.reload("mod")
    assert not outcome.accepted


# ----------------------------------------------------------------------------- reload


async def test_reload_reports_added_changed_and_removed_documents(knowledge_dir: Path) -> None:
    write(knowledge_dir, "park.md", PARK)
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current
    assert answered_from(knowledge, LIBRARY_QUESTION) is None

    write(knowledge_dir, "library.md", LIBRARY)
    sheriff = knowledge_dir / SHERIFF_FILE
    sheriff.write_text(sheriff.read_text(encoding="utf-8") + "\nOne more paragraph.\n", encoding="utf-8")
    (knowledge_dir / "park.md").unlink()
    outcome = await knowledge.reload("mod (1)")

    assert outcome.accepted
    assert (outcome.action, outcome.requested_by) == ("reload", "mod (1)")
    assert outcome.added == ("Riverside Library Opens a Maker Space",)
    assert outcome.changed == (SHERIFF,)
    assert outcome.removed == ("Park Fountain Restored",)
    assert outcome.documents == 2
    assert outcome.passages == len(knowledge.current.knowledge_base.passages)
    assert outcome.quotes == len(knowledge.current.quotes.quotes)
    assert not outcome.waited
    assert knowledge.current is not before
    assert knowledge.last_refresh is outcome
    assert answered_from(knowledge, LIBRARY_QUESTION) == "Riverside Library Opens a Maker Space"
    assert answered_from(knowledge, PARK_QUESTION) is None
    summary = outcome.summary()
    assert summary.startswith("reload by mod (1) at ")
    assert "added Riverside Library Opens a Maker Space" in summary
    assert f"changed {SHERIFF}" in summary
    assert "removed Park Fountain Restored" in summary


async def test_reload_without_changes_says_so(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    outcome = await knowledge.reload("mod")

    assert outcome.accepted
    assert (outcome.added, outcome.changed, outcome.removed) == ((), (), ())
    assert "no document changed" in outcome.summary()


async def test_reload_with_one_broken_file_is_refused_whole(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current
    write(knowledge_dir, "library.md", LIBRARY)
    write(knowledge_dir, "broken.md", BAD_FRONT_MATTER)

    outcome = await knowledge.reload("mod")

    assert not outcome.accepted
    assert outcome.detail == "the knowledge base would have invalid files"
    (problem,) = outcome.problems
    assert str(problem).startswith(f"{knowledge_dir / 'broken.md'}:2: bad front matter")
    assert knowledge.current is before  # the very same indexes keep answering
    assert answered_from(knowledge, SHERIFF_QUESTION) == SHERIFF
    assert answered_from(knowledge, LIBRARY_QUESTION) is None  # the good new file waits too
    assert "refused" in outcome.summary()
    assert (knowledge_dir / "broken.md").exists()  # a reload never moves the moderator's files


async def test_reload_that_would_leave_nothing_is_refused(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current
    (knowledge_dir / SHERIFF_FILE).unlink()

    outcome = await knowledge.reload("mod")

    assert not outcome.accepted
    assert outcome.detail == "the knowledge base would have no documents"
    assert knowledge.current is before


async def test_a_file_that_cannot_be_read_refuses_the_reload(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current

    def vanished(directory: Path) -> None:
        raise FileNotFoundError(2, "No such file or directory", str(directory / "gone.md"))

    monkeypatch.setattr(live, "load_directory", vanished)
    outcome = await knowledge.reload("mod")

    assert not outcome.accepted
    assert [str(p) for p in outcome.problems] == [
        f"{knowledge_dir / 'gone.md'}:0: could not read: No such file or directory"
    ]
    assert knowledge.current is before
    assert gc.isenabled()


async def test_two_reloads_at_once_are_serialised_and_the_second_says_it_waited(
    knowledge_dir: Path,
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    order: list[str] = []
    knowledge.listeners.append(recorder_names(order))

    first, second = await asyncio.gather(knowledge.reload("first"), knowledge.reload("second"))

    assert first.accepted and second.accepted
    assert not first.waited
    assert second.waited and second.waited_seconds > 0
    assert order == ["first", "second"]
    assert knowledge.last_refresh is second


def recorder_names(into: list[str]) -> Callable[[RefreshOutcome], Awaitable[None]]:
    async def listener(outcome: RefreshOutcome) -> None:
        into.append(outcome.requested_by)

    return listener


# ----------------------------------------------------------------------------- add


async def test_add_writes_the_file_and_answers_from_it(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    outcome = await knowledge.add("library.md", LIBRARY.encode(), "mod")

    assert outcome.accepted
    assert outcome.added == ("Riverside Library Opens a Maker Space",)
    assert (knowledge_dir / "library.md").read_text(encoding="utf-8") == LIBRARY
    assert not list(knowledge_dir.glob(".upload-*"))  # the temporary file was renamed, not left behind
    assert answered_from(knowledge, LIBRARY_QUESTION) == "Riverside Library Opens a Maker Space"
    assert answered_from(knowledge, SHERIFF_QUESTION) == SHERIFF


async def test_add_cleans_an_odd_file_name(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    outcome = await knowledge.add(".Maker Space!.MD", LIBRARY.encode(), "mod")

    assert outcome.accepted
    assert (knowledge_dir / "Maker-Space-.MD").exists()


async def test_add_does_not_replace_a_file_without_replace(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current
    files = tree(knowledge_dir)
    new_version = LIBRARY.replace("Riverside Library Opens a Maker Space", SHERIFF)

    outcome = await knowledge.add(SHERIFF_FILE, new_version.encode(), "mod")

    assert not outcome.accepted
    assert "already exists; use replace:true" in outcome.detail
    assert tree(knowledge_dir) == files
    assert knowledge.current is before


async def test_add_with_replace_keeps_the_old_version_in_the_trash(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    old = (knowledge_dir / SHERIFF_FILE).read_bytes()
    new_version = LIBRARY.replace("Riverside Library Opens a Maker Space", SHERIFF)

    outcome = await knowledge.add(SHERIFF_FILE, new_version.encode(), "mod", replace=True)

    assert outcome.accepted
    assert outcome.changed == (SHERIFF,)
    assert (knowledge_dir / SHERIFF_FILE).read_text(encoding="utf-8") == new_version
    (entry,) = knowledge.trash_entries()
    assert entry.original_name == SHERIFF_FILE
    assert (knowledge.trash / entry.name).read_bytes() == old
    assert answered_from(knowledge, LIBRARY_QUESTION) == SHERIFF


async def test_a_document_with_the_same_title_is_replaced_only_with_replace(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    same_title = LIBRARY.replace("Riverside Library Opens a Maker Space", SHERIFF)

    refused = await knowledge.add("sheriff-v2.md", same_title.encode(), "mod")
    assert not refused.accepted
    assert f"{SHERIFF_FILE} already holds '{SHERIFF}'" in refused.detail
    assert not (knowledge_dir / "sheriff-v2.md").exists()

    replaced = await knowledge.add("sheriff-v2.md", same_title.encode(), "mod", replace=True)
    assert replaced.accepted
    assert not (knowledge_dir / SHERIFF_FILE).exists()
    assert [e.original_name for e in knowledge.trash_entries()] == [SHERIFF_FILE]
    assert [d.title for d in knowledge.current.documents] == [SHERIFF]


@pytest.mark.parametrize(
    ("filename", "data", "reason"),
    [
        ("broken.md", BAD_FRONT_MATTER, "broken.md:2: bad front matter"),
        ("latin1.md", "Caf\xe9 au lait.\n".encode("latin-1"), "latin1.md:1: not UTF-8 (byte 0xe9)"),
        ("empty.md", b"---\ntitle: Nothing\n---\n\n", "empty.md:4: empty body"),
        ("notes.pdf", LIBRARY.encode(), "'notes.pdf' is not the name of a .md or .txt file"),
        ("../x.md", LIBRARY.encode(), "'../x.md' is not the name of a .md or .txt file (no folders)"),
        ("..\\x.md", LIBRARY.encode(), "no folders"),
        ("sub/x.md", LIBRARY.encode(), "no folders"),
        ("...", LIBRARY.encode(), "not the name of a .md or .txt file"),
    ],
)
async def test_an_invalid_upload_is_refused_and_nothing_is_written(
    knowledge_dir: Path, filename: str, data: bytes, reason: str
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current
    files = tree(knowledge_dir.parent)

    outcome = await knowledge.add(filename, data, "mod", replace=True)

    assert not outcome.accepted
    assert reason in outcome.detail
    assert tree(knowledge_dir.parent) == files
    assert knowledge.current is before
    assert answered_from(knowledge, SHERIFF_QUESTION) == SHERIFF


async def test_a_valid_upload_is_taken_back_when_another_file_is_broken(knowledge_dir: Path) -> None:
    write(knowledge_dir, "broken.md", BAD_FRONT_MATTER)
    knowledge = await LiveKnowledge.open(knowledge_dir)

    outcome = await knowledge.add("library.md", LIBRARY.encode(), "mod")

    assert not outcome.accepted
    assert any("broken.md:2" in str(p) for p in outcome.problems)
    assert not (knowledge_dir / "library.md").exists()

    # Uploading a fixed version of the broken file is the way out, without shell access.
    fixed = await knowledge.add("broken.md", PARK.encode(), "mod", replace=True)
    assert fixed.accepted
    assert fixed.added == ("Park Fountain Restored",)


async def test_a_failed_write_puts_the_replaced_file_back(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    files = tree(knowledge_dir)

    def disk_full(target: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(live, "_atomic_write", disk_full)
    outcome = await knowledge.add(SHERIFF_FILE, PARK.encode(), "mod", replace=True)

    assert not outcome.accepted
    assert "could not change the files" in outcome.detail
    assert {k: v for k, v in tree(knowledge_dir).items() if not k.startswith(".trash")} == files
    assert knowledge.trash_entries() == []


async def test_an_add_whose_indexing_crashes_is_taken_back(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current

    def crash(directory: Path, built_by: str, strict: bool = True) -> live.KnowledgeSnapshot:
        raise RuntimeError("bug in the indexer")

    monkeypatch.setattr(live, "build_snapshot", crash)
    with pytest.raises(RuntimeError):
        await knowledge.add("library.md", LIBRARY.encode(), "mod")

    assert not (knowledge_dir / "library.md").exists()
    assert knowledge.current is before
    assert (await knowledge.remove("nope", "mod")).detail == "no document with id 'nope'"  # not stuck


def test_safe_filename() -> None:
    assert safe_filename("story.md") == "story.md"
    assert safe_filename("My Story (final).TXT") == "My-Story-final-.TXT"
    assert safe_filename(".hidden.md") == "hidden.md"
    assert safe_filename("../story.md") is None
    assert safe_filename("C:\\story.md") is None
    assert safe_filename("story.docx") is None
    assert safe_filename(".md") is None


# ----------------------------------------------------------------------------- remove and restore


async def test_a_document_in_a_subfolder_is_restored_to_its_subfolder(knowledge_dir: Path) -> None:
    (knowledge_dir / "2021" / "parks").mkdir(parents=True)
    write(knowledge_dir / "2021" / "parks", "park.md", PARK)
    knowledge = await LiveKnowledge.open(knowledge_dir)

    assert (await knowledge.remove("2021-parks-park", "mod")).accepted
    (knowledge_dir / "2021" / "parks").rmdir()
    (entry,) = knowledge.trash_entries()
    assert entry.original_name == "2021/parks/park.md"

    restored = await knowledge.restore(entry.name, "mod")

    assert restored.accepted
    assert (knowledge_dir / "2021" / "parks" / "park.md").read_text(encoding="utf-8") == PARK
    assert answered_from(knowledge, PARK_QUESTION) == "Park Fountain Restored"


async def test_remove_moves_the_file_to_the_trash_and_restore_brings_it_back(knowledge_dir: Path) -> None:
    write(knowledge_dir, "park.md", PARK)
    knowledge = await LiveKnowledge.open(knowledge_dir)
    park = (knowledge_dir / "park.md").read_bytes()

    removed = await knowledge.remove("park", "mod")

    assert removed.accepted
    assert removed.removed == ("Park Fountain Restored",)
    assert not (knowledge_dir / "park.md").exists()
    (entry,) = knowledge.trash_entries()
    assert entry.original_name == "park.md"
    assert (knowledge.trash / entry.name).read_bytes() == park
    assert answered_from(knowledge, PARK_QUESTION) is None
    # The trash is inside the knowledge folder but never loaded.
    assert (await knowledge.reload("mod")).documents == 1

    restored = await knowledge.restore(entry.name, "mod")

    assert restored.accepted
    assert restored.added == ("Park Fountain Restored",)
    assert (knowledge_dir / "park.md").read_bytes() == park
    assert knowledge.trash_entries() == []
    assert answered_from(knowledge, PARK_QUESTION) == "Park Fountain Restored"


async def test_remove_of_an_unknown_document_is_refused(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    outcome = await knowledge.remove("nope", "mod")

    assert not outcome.accepted
    assert outcome.detail == "no document with id 'nope'"


async def test_removing_the_last_document_is_refused_and_the_file_stays(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    files = tree(knowledge_dir)

    outcome = await knowledge.remove("la-sheriff-immigration-holds", "mod")

    assert not outcome.accepted
    assert outcome.detail == "the knowledge base would have no documents"
    assert {k: v for k, v in tree(knowledge_dir).items() if not k.startswith(".trash")} == files
    assert knowledge.trash_entries() == []


async def test_restore_is_refused_for_unknown_items_and_existing_files(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    await knowledge.add(SHERIFF_FILE, (knowledge_dir / SHERIFF_FILE).read_bytes(), "mod", replace=True)
    (entry,) = knowledge.trash_entries()

    (knowledge.trash / "notes by hand.txt").write_text("not from the bot", encoding="utf-8")

    unknown = await knowledge.restore("20200101T000000000000Z--nothing.md", "mod")
    existing = await knowledge.restore(entry.name, "mod")

    assert unknown.detail == "'20200101T000000000000Z--nothing.md' is not in the trash"
    assert existing.detail == f"{SHERIFF_FILE} exists; remove it first"
    assert knowledge.trash_entries() == [entry]


# ----------------------------------------------------------------------------- audit


async def test_every_refresh_is_in_the_audit_log(
    knowledge_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    caplog.set_level(logging.INFO, logger="bot.audit")

    await knowledge.add("library.md", LIBRARY.encode(), "morgan (42)")
    await knowledge.add("broken.md", BAD_FRONT_MATTER, "morgan (42)")
    write(knowledge_dir, "broken.md", BAD_FRONT_MATTER)
    await knowledge.reload("alex (7)")

    lines = [r.getMessage() for r in caplog.records if r.name == "bot.audit"]
    assert lines[0].startswith("add by morgan (42) at ")
    assert "added Riverside Library Opens a Maker Space" in lines[0]
    assert (
        lines[1].startswith("add by morgan (42) at ") and "refused: broken.md:2: bad front matter" in lines[1]
    )
    assert lines[2].startswith("reload by alex (7) at ")
    assert "refused: the knowledge base would have invalid files" in lines[2]
    assert lines[3].strip().startswith(f"{knowledge_dir / 'broken.md'}:2: bad front matter")


async def test_listeners_hear_every_outcome_and_a_failing_one_does_not_matter(
    knowledge_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    heard: list[RefreshOutcome] = []

    async def broken(outcome: RefreshOutcome) -> None:
        raise RuntimeError("audit channel gone")

    knowledge.listeners += [broken, recorder(heard)]
    reloaded = await knowledge.reload("mod")
    refused = await knowledge.remove("nope", "mod")

    assert heard == [reloaded, refused]
    assert any(r.getMessage() == "audit listener failed" for r in caplog.records)


async def test_a_slow_listener_does_not_hold_up_the_next_refresh(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    release = asyncio.Event()

    async def slow(outcome: RefreshOutcome) -> None:
        if outcome.requested_by == "first":
            await release.wait()

    knowledge.listeners.append(slow)
    first = asyncio.create_task(knowledge.reload("first"))
    await wait_until(lambda: knowledge.last_refresh is not None)

    second = await asyncio.wait_for(knowledge.reload("second"), timeout=5)

    assert second.accepted and not first.done()
    release.set()
    assert (await first).accepted


# ----------------------------------------------------------------------------- watching the folder


async def watching(
    knowledge: LiveKnowledge, body: Callable[[list[RefreshOutcome]], Awaitable[None]]
) -> list[RefreshOutcome]:
    heard: list[RefreshOutcome] = []
    knowledge.listeners.append(recorder(heard))
    task = asyncio.create_task(knowledge.watch(interval=0.05, settle=0.4))
    try:
        await asyncio.sleep(0.1)
        await body(heard)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    return heard


async def test_a_burst_of_file_changes_triggers_one_reload(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    async def burst(heard: list[RefreshOutcome]) -> None:
        for number in range(5):
            write(
                knowledge_dir, f"park-{number}.md", PARK.replace("Park Fountain", f"Park {number} Fountain")
            )
            await asyncio.sleep(0.05)
        await wait_until(lambda: bool(heard))
        await asyncio.sleep(0.8)  # long enough for a second reload, were there one

    heard = await watching(knowledge, burst)

    (outcome,) = heard
    assert (outcome.action, outcome.requested_by, outcome.accepted) == (
        "automatic reload",
        "file watcher",
        True,
    )
    assert len(outcome.added) == 5
    assert len(knowledge.current.documents) == 6


async def test_the_watcher_refuses_a_broken_file_once_and_takes_the_fix(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    before = knowledge.current

    async def edits(heard: list[RefreshOutcome]) -> None:
        write(knowledge_dir, "park.md", BAD_FRONT_MATTER)
        await wait_until(lambda: len(heard) == 1)
        await asyncio.sleep(0.8)  # a refused set is not retried until the files change again
        assert len(heard) == 1 and knowledge.current is before
        write(knowledge_dir, "park.md", PARK)
        await wait_until(lambda: len(heard) == 2)

    heard = await watching(knowledge, edits)

    assert [o.accepted for o in heard] == [False, True]
    assert heard[1].added == ("Park Fountain Restored",)


async def test_the_watcher_does_not_reload_what_a_moderator_already_indexed(knowledge_dir: Path) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)

    async def add(heard: list[RefreshOutcome]) -> None:
        await knowledge.add("library.md", LIBRARY.encode(), "mod")
        await asyncio.sleep(0.8)

    heard = await watching(knowledge, add)

    assert [o.action for o in heard] == ["add"]


async def test_a_file_written_while_a_reload_runs_gets_its_own_reload(
    knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = await LiveKnowledge.open(knowledge_dir)
    build = live.build_snapshot
    calls = 0

    def build_then_write(directory: Path, built_by: str, strict: bool = True) -> live.KnowledgeSnapshot:
        nonlocal calls
        calls += 1
        snapshot = build(directory, built_by, strict)
        if calls == 1:  # lands after this build read the folder, before the swap
            write(knowledge_dir, "library.md", LIBRARY)
        return snapshot

    monkeypatch.setattr(live, "build_snapshot", build_then_write)

    async def edit(heard: list[RefreshOutcome]) -> None:
        write(knowledge_dir, "park.md", PARK)
        await wait_until(lambda: len(heard) == 2)

    heard = await watching(knowledge, edit)

    assert [o.added for o in heard] == [
        ("Park Fountain Restored",),
        ("Riverside Library Opens a Maker Space",),
    ]
