"""Loading and validating the knowledge directory.

A knowledge directory holds ``*.md`` and ``*.txt`` files, also in subfolders (moderators sort articles
into ``2012/dec/``); dot-files and dot-folders, the ``.trash`` among them, are left out. Each file has
optional YAML front matter (``title``, ``author``, ``published``, ``source``, ``url``, ``summary``)
and a body of paragraphs separated by blank lines. Every file is checked; problems are collected as
``file:line: what is wrong`` and the caller decides what to do with them (list them, or refuse the
whole set).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.retrieval.problems import Problem
from bot.retrieval.synonyms import Synonyms, parse_synonyms
from bot.retrieval.text import collapse_whitespace

SUFFIXES = (".md", ".txt")
TRASH_DIR = ".trash"
# The moderators' synonyms, in the knowledge folder itself (not an article; see ``synonyms.py``).
SYNONYMS_FILE = "synonyms.txt"

FRONT_MATTER_KEYS = frozenset({"title", "author", "published", "source", "url", "summary"})

# Longest value of each text field, in characters. Headlines run to about 100 characters and a
# summary to a few sentences; the title and summary are searched and shown with every citation, so a
# file whose "title" is a whole article (a missing blank line after a first line) is refused.
# Largest knowledge file, in bytes: a long news article is about 50 kB. The cap bounds the work one
# question costs (``benchmarks/adversarial.py``: under 50 ms on any file at this size, built to be slow).
MAX_FILE_BYTES = 5_000_000

FIELD_LIMITS = {"title": 300, "author": 300, "source": 300, "url": 2000, "summary": 2000}

_FENCE = "---"
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a document body, numbered from 1 in reading order."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """A validated knowledge file."""

    doc_id: str
    path: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    author: str | None = None
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    summary: str | None = None
    name: str = ""
    """The file's path inside the knowledge folder ("2012/dec/story.md"); what moderators see."""

    @property
    def byline(self) -> str:
        """The byline as newspapers print it, "By Jorge Rivas Dec 05, 2012 · Colorlines", or what is known."""
        line = " ".join(
            part
            for part in (
                f"By {self.author}" if self.author else "",
                self.published.strftime("%b %d, %Y") if self.published else "",
            )
            if part
        )
        return " · ".join(part for part in (line, self.source or "") if part)


@dataclass(frozen=True)
class LoadReport:
    """What was found in a knowledge directory: the documents that loaded and every problem."""

    directory: str
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...] = field(default=())
    fingerprints: Mapping[str, str] = field(default_factory=dict)
    """File path inside the folder -> SHA-256 of the bytes parsed: what tells a changed file from the old."""
    synonyms: Synonyms = field(default_factory=Synonyms.empty)
    """The moderators' synonyms (``SYNONYMS_FILE``), or none when the folder has no such file."""

    @property
    def errors(self) -> tuple[Problem, ...]:
        """Problems that make the set unusable as a whole."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """Problems worth telling a moderator about that do not stop loading."""
        return tuple(p for p in self.problems if p.severity == "warning")

    @property
    def ok(self) -> bool:
        """True when there is at least one document and no error."""
        return bool(self.documents) and not self.errors


class KnowledgeError(Exception):
    """The knowledge base could not be built; ``problems`` says why, file by file."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "no documents")


def format_date(day: dt.date) -> str:
    """A date as readers write it: "December 5, 2012"."""
    return f"{day.strftime('%B')} {day.day}, {day.year}"


def slugify(text: str) -> str:
    """A file-name-safe id: lower case letters, digits and single hyphens."""
    return _SLUG_RE.sub("-", text.lower()).strip("-") or "document"


def list_knowledge_files(directory: Path) -> tuple[list[Path], list[Problem]]:
    """The knowledge files under ``directory``, subfolders included, in a stable order.

    Hidden files and folders (the trash among them) are left out. A folder that cannot be listed is
    a problem located to that folder, never an exception.
    """
    files: list[Path] = []
    problems: list[Problem] = []

    def unreadable(error: OSError) -> None:
        where = str(error.filename or directory)
        problems.append(Problem(where, 0, f"could not read the folder: {error.strerror or error}"))

    for folder, subfolders, names in os.walk(directory, onerror=unreadable):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            path = Path(folder) / name
            if path == directory / SYNONYMS_FILE:
                continue  # Not an article: read by ``load_synonyms``.
            if not name.startswith(".") and path.suffix.lower() in SUFFIXES and path.is_file():
                files.append(path)
    return sorted(files, key=lambda path: path.relative_to(directory).parts), problems


def knowledge_files(directory: Path) -> list[Path]:
    """The knowledge files under ``directory`` (see ``list_knowledge_files``), problems left out,
    with the synonyms file when there is one (what a change to the knowledge base is made of)."""
    synonyms = directory / SYNONYMS_FILE
    return list_knowledge_files(directory)[0] + ([synonyms] if synonyms.is_file() else [])


def load_synonyms(directory: Path) -> tuple[Synonyms, list[Problem], str | None]:
    """The moderators' synonyms in ``directory``, their problems, and the file's SHA-256 (None when
    there is no such file: every question is then read as written)."""
    path = directory / SYNONYMS_FILE
    if not path.is_file():
        return Synonyms.empty(), [], None
    try:
        raw = path.read_bytes()
    except OSError as error:
        return Synonyms.empty(), [Problem(str(path), 0, f"could not read: {error.strerror or error}")], None
    synonyms, problems = read_synonyms(raw, str(path))
    return synonyms, problems, hashlib.sha256(raw).hexdigest()


def read_synonyms(raw: bytes, path: str) -> tuple[Synonyms, list[Problem]]:
    """The rules of a synonyms file's bytes and its problems (a file that is not UTF-8 has no rules)."""
    text = decode(raw, path)
    if isinstance(text, Problem):
        return Synonyms.empty(), [text]
    return parse_synonyms(text, path)


def synonym_problems(raw: bytes, path: str) -> list[Problem]:
    """What is wrong with a synonyms file's bytes, line by line (nothing when it is usable)."""
    return read_synonyms(raw, path)[1]


def relative_name(path: Path, directory: Path) -> str:
    """``path`` as moderators name it: relative to the knowledge folder, with forward slashes."""
    return path.relative_to(directory).as_posix()


def load_directory(directory: str | Path) -> LoadReport:
    """Read and validate every knowledge file under ``directory``; never raises for a bad file."""
    root = Path(directory)
    shown = str(root)
    if not root.is_dir():
        reason = "is a file, not a knowledge folder" if root.exists() else "knowledge directory not found"
        return LoadReport(shown, (), (Problem(shown, 0, reason),))
    documents: list[Document] = []
    files, problems = list_knowledge_files(root)
    contents: list[tuple[Path, bytes]] = []
    # All files are read before any is parsed: reading releases the GIL, parsing holds it, and a
    # refresh runs beside the bot's event loop.
    for path in files:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as error:
            # Deleted or locked between listing and reading (an editor saving, a sync tool).
            problems.append(Problem(str(path), 0, f"could not read: {error.strerror or error}"))
    fingerprints = {relative_name(path, root): hashlib.sha256(raw).hexdigest() for path, raw in contents}
    used_ids: set[str] = set()
    for path, raw in contents:
        name = relative_name(path, root)
        # Top-level files keep the id of their stem; "story.md" and "story.txt", or "2012/story.md"
        # and "2013/story.md", may live side by side, and their ids must not collide.
        doc_id = slugify(str(Path(name).with_suffix("")))
        if doc_id in used_ids:
            doc_id = slugify(name)
        used_ids.add(doc_id)
        document, found = parse_document(raw, str(path), doc_id=doc_id, name=name)
        problems.extend(found)
        if document is not None:
            documents.append(document)
    problems.extend(_duplicate_titles(documents))
    synonyms, found, fingerprint = load_synonyms(root)
    problems.extend(found)
    if fingerprint is not None:
        fingerprints[SYNONYMS_FILE] = fingerprint
    if not documents and not problems:
        problems.append(Problem(shown, 0, "no .md or .txt files"))
    return LoadReport(shown, tuple(documents), tuple(problems), fingerprints, synonyms)


def _duplicate_titles(documents: list[Document]) -> list[Problem]:
    seen: dict[str, Document] = {}
    problems = []
    for document in documents:
        key = document.title.casefold()
        if key in seen:
            first = seen[key]
            problems.append(
                Problem(document.path, 1, f"duplicate title {document.title!r} (also in {first.path})")
            )
        else:
            seen[key] = document
    return problems


def decode(raw: bytes, path: str) -> str | Problem:
    """A file's UTF-8 text with newlines made plain, or the problem naming the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return Problem(path, line, f"not UTF-8 (byte 0x{raw[error.start]:02x})")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(
    raw: bytes, path: str, doc_id: str | None = None, name: str | None = None
) -> tuple[Document | None, list[Problem]]:
    """Parse one knowledge file's bytes; return the document (None when unusable) and its problems.

    ``name`` is the file's path inside the knowledge folder (default: the file name).
    """
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(path, 0, f"file is too large ({len(raw):,} bytes; at most {MAX_FILE_BYTES:,})")]
    text = decode(raw, path)
    if isinstance(text, Problem):
        return None, [text]
    meta, body_start, problems = _front_matter(text, path)
    if any(p.severity == "error" for p in problems):
        return None, problems
    lines = text.split("\n")[body_start:]
    title = meta.get("title")
    if title is None:
        # No title in front matter: the first heading or, failing that, the first line.
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is not None:
            heading = _HEADING_RE.match(lines[first])
            title = heading.group(1) if heading else lines[first].strip()
            lines = ["", *lines[first + 1 :]]
            body_start += first
    paragraphs = [
        Paragraph(n, p.text, p.line)
        for n, p in enumerate(
            (p for p in _paragraphs(lines, first_line=body_start + 1) if not _HEADING_RE.match(p.text)),
            start=1,
        )
    ]
    if not paragraphs:
        return None, [*problems, Problem(path, body_start + 1, "empty body: no paragraphs")]
    too_long = _too_long("title", collapse_whitespace(str(title)))
    if too_long:  # A title from the first line: one from the front matter was checked with it.
        return None, [*problems, Problem(path, body_start + 1, too_long)]
    published = meta.get("published")
    document = Document(
        doc_id=doc_id or slugify(Path(path).stem),
        path=path,
        title=collapse_whitespace(str(title)),
        paragraphs=tuple(paragraphs),
        author=_text(meta, "author"),
        published=published if isinstance(published, dt.date) else None,
        source=_text(meta, "source"),
        url=_text(meta, "url"),
        summary=_text(meta, "summary"),
        name=name or Path(path).name,
    )
    return document, problems


def _text(meta: dict[str, object], key: str) -> str | None:
    value = meta.get(key)
    return value if isinstance(value, str) else None


def _front_matter(text: str, path: str) -> tuple[dict[str, object], int, list[Problem]]:
    """Parse the YAML front matter; return its values, the body's first line index and problems."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        return {}, 0, []
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in (_FENCE, "..."))
    except StopIteration:
        return {}, 0, [Problem(path, 1, "front matter opened with '---' but never closed")]
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block) if block.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = 2 + (mark.line if mark is not None else 0)
        reason = getattr(error, "problem", None) or str(error)
        return {}, end + 1, [Problem(path, line, f"bad front matter: {reason}")]
    except ValueError as error:
        # PyYAML turns anything shaped like a date into one and raises on 2012-13-45.
        return {}, end + 1, [Problem(path, 2, f"bad front matter: {error}")]
    if not isinstance(data, dict):
        return {}, end + 1, [Problem(path, 2, "bad front matter: expected 'key: value' lines")]
    return _check_meta(data, lines, path, end)


def _key_line(lines: list[str], key: str, end: int) -> int:
    for i in range(1, end):
        if lines[i].lstrip().startswith(f"{key}:"):
            return i + 1
    return 2


def _check_meta(
    data: dict[object, object], lines: list[str], path: str, end: int
) -> tuple[dict[str, object], int, list[Problem]]:
    meta: dict[str, object] = {}
    problems: list[Problem] = []
    for key, value in data.items():
        name = str(key)
        line = _key_line(lines, name, end)
        if name not in FRONT_MATTER_KEYS:
            known = ", ".join(sorted(FRONT_MATTER_KEYS))
            message = f"unknown front matter key {name!r} (known: {known})"
            problems.append(Problem(path, line, message, "warning"))
            continue
        if value is None and name != "title":
            continue
        if name == "published":
            day = _as_date(value)
            if day is None:
                message = f"published must be a date like 2012-12-05, not {value!r}"
                problems.append(Problem(path, line, message))
            meta[name] = day
            continue
        if isinstance(value, (dict, list)):
            problems.append(Problem(path, line, f"{name} must be text, not a {type(value).__name__}"))
            continue
        text = collapse_whitespace("" if value is None else str(value))
        if name == "url" and not re.match(r"https?://\S+$", text):
            problems.append(Problem(path, line, f"url must start with http:// or https://, not {text!r}"))
            continue
        if name == "title" and not text:
            problems.append(Problem(path, line, "title is empty"))
            continue
        too_long = _too_long(name, text)
        if too_long:
            problems.append(Problem(path, line, too_long))
            continue
        meta[name] = text
    return meta, end + 1, problems


def _too_long(name: str, text: str) -> str | None:
    """The problem with a field longer than ``FIELD_LIMITS`` allows, or None."""
    limit = FIELD_LIMITS.get(name)
    if limit is None or len(text) <= limit:
        return None
    return f"{name} is too long ({len(text):,} characters; at most {limit:,})"


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _paragraphs(lines: list[str], first_line: int) -> list[Paragraph]:
    """Paragraphs separated by blank lines; the lines of one paragraph are joined with spaces."""
    paragraphs: list[Paragraph] = []
    current: list[str] = []
    start = first_line
    for offset, line in enumerate([*lines, ""]):
        if line.strip():
            if not current:
                start = first_line + offset
            current.append(line.strip())
        elif current:
            paragraphs.append(Paragraph(len(paragraphs) + 1, collapse_whitespace(" ".join(current)), start))
            current = []
    return paragraphs
