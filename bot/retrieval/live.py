"""The knowledge currently answering questions, and the safe way to replace it.

``LiveKnowledge`` holds one ``KnowledgeSnapshot`` (passage index and quote index built from the same
load). Every refresh (reload, add, remove, restore, a file watcher) goes through the same steps:
validate every file, build the new indexes in a worker thread so the event loop keeps answering,
and only then swap the snapshot in one assignment. A refresh that finds any invalid file is refused
whole and the old snapshot keeps answering. Refreshes are serialised by a lock; one that had to wait
says so. Nothing is ever deleted: removed and replaced files go to the ``.trash`` folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import gc
import logging
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.retrieval.documents import (
    SUFFIXES,
    SYNONYMS_FILE,
    TRASH_DIR,
    Document,
    KnowledgeError,
    LoadReport,
    knowledge_files,
    load_directory,
    parse_document,
    relative_name,
    synonym_problems,
)
from bot.retrieval.knowledge_base import KnowledgeBase
from bot.retrieval.problems import Problem
from bot.retrieval.question import warm_up
from bot.retrieval.quotes import QuoteIndex, quote_problems

audit_log = logging.getLogger("bot.audit")

_SAFE_NAME_RE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class KnowledgeSnapshot:
    """Indexes built from one load of the knowledge directory, never modified after."""

    knowledge_base: KnowledgeBase
    warnings: tuple[Problem, ...]
    fingerprints: Mapping[str, str]
    # The directory as it was when the build started (name -> size, mtime): what the watcher compares.
    state: Mapping[str, tuple[int, int]]
    built_at: dt.datetime
    built_by: str
    build_seconds: float

    @property
    def documents(self) -> tuple[Document, ...]:
        """The documents this snapshot answers from."""
        return self.knowledge_base.documents

    @property
    def quotes(self) -> QuoteIndex:
        """The quotations of those documents (built with the snapshot)."""
        return self.knowledge_base.quotes


@dataclass(frozen=True)
class RefreshOutcome:
    """What one refresh did, for the person who asked and for the audit log."""

    action: str
    requested_by: str
    at: dt.datetime
    accepted: bool
    problems: tuple[Problem, ...] = ()
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    documents: int = 0
    passages: int = 0
    quotes: int = 0
    seconds: float = 0.0
    # True when another refresh was under way (or queued) and this one had to wait for it.
    waited: bool = False
    waited_seconds: float = 0.0
    detail: str = ""

    def summary(self) -> str:
        """One line for logs, the audit channel and /kb status: what, by whom, when, the outcome."""
        who = f"{self.action} by {self.requested_by} at {self.at:%Y-%m-%d %H:%M:%S} UTC"
        if not self.accepted:
            reason = self.detail or f"{len(self.problems)} problem(s)"
            return f"{who} refused: {reason}"
        changes = ", ".join(
            f"{label} {', '.join(names)}"
            for label, names in (("added", self.added), ("changed", self.changed), ("removed", self.removed))
            if names
        )
        return (
            f"{who}: {changes or 'no document changed'}; "
            f"{self.documents} documents, {self.passages} passages, {self.quotes} quotes "
            f"in {self.seconds:.2f} s"
        )


@dataclass(frozen=True)
class TrashEntry:
    """A file in the trash folder: what was removed or replaced, and when."""

    name: str
    original_name: str
    trashed_at: dt.datetime


class NoDocumentsError(KnowledgeError):
    """Not one valid document: the knowledge base would have nothing to answer from."""


class _CollectorPause:
    """Keeps the event loop's thread responsive while indexes are built in a worker thread.

    Building an index creates millions of objects, and every full collection of Python's cyclic
    garbage collector walks all of them while holding the GIL: the event loop stalled for up to
    280 ms at a time on 20,000 passages (``benchmarks/reload_stall.py``). Building creates no
    reference cycles, so the collector is paused meanwhile (a dropped snapshot is freed by reference
    counting; the cycles others make are collected once it resumes). The GIL is also handed over
    every millisecond instead of every five, so the loop's thread gets its turn sooner; this costs
    the build some speed. Counted, because two knowledge bases may be built at once.
    """

    SWITCH_INTERVAL = 0.001

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._depth = 0
        self._resume = False
        self._interval = sys.getswitchinterval()

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._depth == 0:
                self._resume = gc.isenabled()
                self._interval = sys.getswitchinterval()
                gc.disable()
                sys.setswitchinterval(min(self._interval, self.SWITCH_INTERVAL))
            self._depth += 1
        try:
            yield
        finally:
            with self._lock:
                self._depth -= 1
                if self._depth == 0:
                    sys.setswitchinterval(self._interval)
                    if self._resume:
                        gc.enable()


_collector_paused = _CollectorPause()


def _directory_state(directory: Path) -> dict[str, tuple[int, int]]:
    """Path in the folder -> (size, modification time) of the knowledge files: cheap change detection."""
    if not directory.is_dir():
        return {}
    state = {}
    for path in knowledge_files(directory):
        with contextlib.suppress(OSError):
            info = path.stat()
            state[relative_name(path, directory)] = (info.st_size, info.st_mtime_ns)
    return state


def build_snapshot(directory: Path, built_by: str, strict: bool = True) -> KnowledgeSnapshot:
    """Load and index ``directory`` (blocking: run it in a thread).

    Raises ``NoDocumentsError`` when there is no valid document, and ``KnowledgeError`` when
    ``strict`` and any file is invalid. Not strict is for start-up: the valid files answer and the
    invalid ones are reported in the snapshot's warnings.
    """
    started = time.perf_counter()
    with _collector_paused():
        state = _directory_state(directory)
        try:
            report: LoadReport = load_directory(directory)
        except OSError as error:
            # A file deleted or locked between listing and reading (an editor saving, a sync tool):
            # a problem with that file, not a crash of the refresh or of the file watcher.
            where = str(error.filename or directory)
            raise KnowledgeError([Problem(where, 0, f"could not read: {error.strerror or error}")]) from error
        if not report.documents:
            raise NoDocumentsError(report.errors or [Problem(str(directory), 0, "no documents")])
        if strict and report.errors:
            raise KnowledgeError(report.errors)
        knowledge_base = KnowledgeBase(report.documents, synonyms=report.synonyms)
        knowledge_base.quotes  # noqa: B018 - built here, in the worker thread, not on the first question
        warm_up()
        warnings = (*report.problems, *quote_problems(report.documents))
    return KnowledgeSnapshot(
        knowledge_base=knowledge_base,
        warnings=tuple(warnings),
        fingerprints=report.fingerprints,
        state=state,
        built_at=dt.datetime.now(dt.UTC),
        built_by=built_by,
        build_seconds=time.perf_counter() - started,
    )


def _titles_by_file(snapshot: KnowledgeSnapshot) -> dict[str, str]:
    return {d.name: d.title for d in snapshot.documents}


class LiveKnowledge:
    """The knowledge base in use, swapped atomically on refresh."""

    def __init__(self, directory: Path, snapshot: KnowledgeSnapshot) -> None:
        self.directory = directory
        self._snapshot = snapshot
        self._lock = asyncio.Lock()
        # Refreshes asked for and not finished: a refresh that finds one under way has to wait.
        self._refreshing = 0
        self.last_refresh: RefreshOutcome | None = None
        self.listeners: list[Callable[[RefreshOutcome], Awaitable[None]]] = []

    @classmethod
    async def open(cls, directory: str | Path, built_by: str = "start-up") -> LiveKnowledge:
        """Build the first snapshot off the event loop.

        Invalid files are left out and reported in the snapshot's warnings; ``KnowledgeError`` is
        raised only when no valid document remains (an empty or entirely invalid directory).
        """
        path = Path(directory)
        snapshot = await asyncio.to_thread(build_snapshot, path, built_by, False)
        return cls(path, snapshot)

    @property
    def current(self) -> KnowledgeSnapshot:
        """The snapshot answering questions now."""
        return self._snapshot

    @property
    def trash(self) -> Path:
        """Where removed and replaced files are kept."""
        return self.directory / TRASH_DIR

    async def reload(self, requested_by: str) -> RefreshOutcome:
        """Re-read the directory; swap the new indexes in only if every file is valid."""
        return await self._refresh("reload", requested_by, None)

    async def add(
        self, filename: str, data: bytes, requested_by: str, replace: bool = False
    ) -> RefreshOutcome:
        """Validate an uploaded file, write it atomically and index it with the rest.

        An existing file of the same name, or a document with the same title, is replaced only when
        ``replace`` is true; the old version goes to the trash.
        """

        def change(directory: Path) -> Callable[[], None] | str:
            name = safe_filename(filename)
            if name is None:
                return f"'{filename}' is not the name of a .md or .txt file (no folders)"
            target = directory / name
            if name == SYNONYMS_FILE:
                # The moderators' synonyms: checked as such, not as an article.
                wrong = synonym_problems(data, name)
                if wrong:
                    return "; ".join(str(p) for p in wrong)
                same_title: list[Path] = []
                title = ""
            else:
                document, problems = parse_document(data, name)
                errors = [p for p in problems if p.severity == "error"]
                if document is None or errors:
                    return "; ".join(str(p) for p in errors) or f"{name}: not a usable knowledge file"
                title = document.title
                same_title = [
                    Path(d.path)
                    for d in self._snapshot.documents
                    if d.title.casefold() == title.casefold() and d.name != name
                ]
            if not replace and target.exists():
                return (
                    f"{name} already exists; use replace:true to replace it (the old one goes to the trash)"
                )
            if not replace and same_title:
                return (
                    f"{same_title[0].name} already holds '{title}'; use replace:true to replace it "
                    "(the old one goes to the trash)"
                )
            displaced = [p for p in [target, *same_title] if p.exists()]
            moved: list[Path] = []

            def undo() -> None:
                target.unlink(missing_ok=True)
                for original, trashed in zip(displaced, moved, strict=False):
                    os.replace(trashed, original)

            try:
                moved.extend(self._to_trash(p) for p in displaced)
                _atomic_write(target, data)
            except OSError:
                # Disk full, permissions: put back what was already moved to the trash.
                undo()
                raise
            return undo

        return await self._refresh("add", requested_by, change)

    async def refuse(self, action: str, requested_by: str, detail: str) -> RefreshOutcome:
        """Record a change refused before it reached the files (a web page that could not be
        imported): audited like any refused refresh; the knowledge base is left as it is."""
        outcome = RefreshOutcome(action, requested_by, dt.datetime.now(dt.UTC), False, detail=detail)
        self._record(outcome)
        await self._notify(outcome)
        return outcome

    async def remove(self, doc_id: str, requested_by: str) -> RefreshOutcome:
        """Move a document's file to the trash and drop it from the index."""

        def change(directory: Path) -> Callable[[], None] | str:
            document = next((d for d in self._snapshot.documents if d.doc_id == doc_id), None)
            if document is None:
                return f"no document with id '{doc_id}'"
            source = Path(document.path)
            trashed = self._to_trash(source)
            return lambda: os.replace(trashed, source)

        return await self._refresh("remove", requested_by, change)

    async def restore(self, trash_name: str, requested_by: str) -> RefreshOutcome:
        """Bring a file back from the trash (refused if a file of that name exists)."""

        def change(directory: Path) -> Callable[[], None] | str:
            entry = next((e for e in self.trash_entries() if e.name == trash_name), None)
            if entry is None:
                return f"'{trash_name}' is not in the trash"
            target = directory / entry.original_name
            if target.exists():
                return f"{entry.original_name} exists; remove it first"
            # Back into its subfolder, which may have been removed meanwhile.
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.trash / entry.name, target)
            return lambda: os.replace(target, self.trash / entry.name)

        return await self._refresh("restore", requested_by, change)

    def trash_entries(self) -> list[TrashEntry]:
        """Files in the trash, newest first."""
        if not self.trash.is_dir():
            return []
        entries = []
        for path in self.trash.iterdir():
            stamp, _, encoded = path.name.partition("--")
            try:
                when = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=dt.UTC)
            except ValueError:
                continue
            original = _trash_decode(encoded)
            if ".." in Path(original).parts or Path(original).is_absolute():
                continue
            entries.append(TrashEntry(path.name, original, when))
        return sorted(entries, key=lambda e: e.trashed_at, reverse=True)

    def _to_trash(self, path: Path) -> Path:
        self.trash.mkdir(exist_ok=True)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        # The path in the knowledge folder is kept in the name, so a restore puts it back in its subfolder.
        destination = self.trash / f"{stamp}--{_trash_encode(relative_name(path, self.directory))}"
        os.replace(path, destination)
        return destination

    async def _refresh(
        self,
        action: str,
        requested_by: str,
        change: Callable[[Path], Callable[[], None] | str] | None,
    ) -> RefreshOutcome:
        asked = time.perf_counter()
        waited = self._refreshing > 0
        self._refreshing += 1
        try:
            async with self._lock:
                waited_seconds = time.perf_counter() - asked
                outcome = await self._apply(action, requested_by, change)
                outcome = dataclasses.replace(outcome, waited=waited, waited_seconds=waited_seconds)
                self._record(outcome)
        finally:
            self._refreshing -= 1
        # Outside the lock: a slow audit channel must not hold up the next refresh.
        await self._notify(outcome)
        return outcome

    async def _apply(
        self,
        action: str,
        requested_by: str,
        change: Callable[[Path], Callable[[], None] | str] | None,
    ) -> RefreshOutcome:
        """Apply ``change`` to the files, build, and swap; undo the change if the build is refused."""
        at = dt.datetime.now(dt.UTC)
        undo: Callable[[], None] | None = None
        if change is not None:
            try:
                applied = await asyncio.to_thread(change, self.directory)
            except OSError as error:
                return RefreshOutcome(
                    action, requested_by, at, False, detail=f"could not change the files: {error}"
                )
            if isinstance(applied, str):
                return RefreshOutcome(action, requested_by, at, False, detail=applied)
            undo = applied
        try:
            snapshot = await asyncio.to_thread(build_snapshot, self.directory, requested_by)
        except KnowledgeError as error:
            if undo is not None:
                await asyncio.to_thread(undo)
            would_have = "no documents" if isinstance(error, NoDocumentsError) else "invalid files"
            return RefreshOutcome(
                action,
                requested_by,
                at,
                False,
                problems=error.problems,
                detail=f"the knowledge base would have {would_have}",
            )
        except BaseException:
            if undo is not None:
                await asyncio.to_thread(undo)
            raise
        outcome = self._compare(action, requested_by, at, self._snapshot, snapshot)
        replaced = [self._snapshot]
        self._snapshot = snapshot
        # Freeing an index is as much work as building it; done here it would stall the event loop.
        await asyncio.to_thread(replaced.clear)
        return outcome

    @staticmethod
    def _compare(
        action: str,
        requested_by: str,
        at: dt.datetime,
        old: KnowledgeSnapshot,
        new: KnowledgeSnapshot,
    ) -> RefreshOutcome:
        old_titles, new_titles = _titles_by_file(old), _titles_by_file(new)
        added = tuple(new_titles[n] for n in new_titles if n not in old_titles)
        removed = tuple(old_titles[n] for n in old_titles if n not in new_titles)
        changed = tuple(
            new_titles[n]
            for n in new_titles
            if n in old_titles and old.fingerprints.get(n) != new.fingerprints.get(n)
        )
        return RefreshOutcome(
            action,
            requested_by,
            at,
            True,
            problems=new.warnings,
            added=added,
            changed=changed,
            removed=removed,
            documents=len(new.documents),
            passages=len(new.knowledge_base.passages),
            quotes=len(new.quotes.quotes),
            seconds=new.build_seconds,
        )

    def _record(self, outcome: RefreshOutcome) -> None:
        self.last_refresh = outcome
        audit_log.info("%s", outcome.summary())
        for problem in outcome.problems:
            audit_log.info("  %s", problem)

    async def _notify(self, outcome: RefreshOutcome) -> None:
        for listener in list(self.listeners):
            try:
                await listener(outcome)
            except Exception:
                audit_log.exception("audit listener failed")

    def directory_state(self) -> dict[str, tuple[int, int]]:
        """Path in the folder -> (size, modification time) of the knowledge files: cheap change detection."""
        return _directory_state(self.directory)

    async def watch(self, interval: float = 2.0, settle: float = 1.0) -> None:
        """Reload whenever the directory changes; a burst of changes gives one reload.

        Polls (no extra dependency, works on mounted volumes). Runs until cancelled. Changes are
        measured against the state the answering snapshot was built from, so a file written while a
        reload runs triggers another one, and a moderator's /kb add (already indexed) triggers none.
        A refused reload is not retried until the files change again.
        """
        known = self.current.state
        while True:
            await asyncio.sleep(interval)
            state = await asyncio.to_thread(self.directory_state)
            if state == known:
                continue
            # Wait for the burst to end: the state must hold still for ``settle`` seconds.
            while True:
                await asyncio.sleep(settle)
                settled = await asyncio.to_thread(self.directory_state)
                if settled == state:
                    break
                state = settled
            known = state
            if state == self.current.state:
                continue
            try:
                await self._refresh("automatic reload", "file watcher", None)
            except Exception:
                # The watcher must outlive any one failure; the next change is tried again.
                audit_log.exception("automatic reload failed")


def _trash_encode(name: str) -> str:
    """A file's path in the knowledge folder as one file name ("2012/story.md" -> "2012%2Fstory.md")."""
    return name.replace("%", "%25").replace("/", "%2F")


def _trash_decode(name: str) -> str:
    return name.replace("%2F", "/").replace("%25", "%")


def safe_filename(name: str) -> str | None:
    """A safe file name for an upload, or None if it is not a plain .md/.txt name.

    A name with folder parts ("../x.md") is refused rather than cut to its last part: it is not a name
    Discord gives an attachment, so it is someone probing, and the reply should say so.
    """
    if "/" in name or "\\" in name:
        return None
    cleaned = _SAFE_NAME_RE.sub("-", name).lstrip(".-")
    if not cleaned or Path(cleaned).suffix.lower() not in SUFFIXES:
        return None
    return cleaned


def _atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename: never a half file."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
