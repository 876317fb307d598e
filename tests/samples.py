"""Small knowledge files shared by the refresh tests (LiveKnowledge and /kb end to end)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
BUNDLED = REPO_ROOT / "knowledge"
SHERIFF = "Los Angeles Sheriff Will No Longer Turn Over Low-Level Offenders to Immigration"
SHERIFF_ID = "la-sheriff-immigration-holds"
SHERIFF_FILE = f"{SHERIFF_ID}.md"
SHERIFF_QUESTION = "Who filed a lawsuit against Sheriff Baca?"

LIBRARY_TITLE = "Riverside Library Opens a Maker Space"
LIBRARY = f"""---
title: {LIBRARY_TITLE}
source: Riverside Gazette
published: 2021-03-02
---

The Riverside library will open a maker space with three laser cutters in March, librarian Ona Petrov said.

Volunteers will teach soldering classes on Saturday mornings.
"""
LIBRARY_QUESTION = "How many laser cutters will the maker space have?"

PARK_TITLE = "Park Fountain Restored"
PARK = f"""---
title: {PARK_TITLE}
---

The fountain in Linden Park was restored by stonemasons from Verona after two winters of work.
"""
PARK_QUESTION = "Who restored the fountain in Linden Park?"

# An article for the web import tests, served as a page; long enough to count as an article.
BUSES_TITLE = "Council Votes to Keep the Night Buses Running"
BUSES_PARAGRAPHS = [
    "The city council voted seven to two on Tuesday to keep the night bus lines running through the "
    "winter, reversing a plan announced in June to cut them from November to March.",
    "Riders who work late shifts at the hospital and the bakeries on Canal Street had filled the "
    "council chamber for three meetings in a row, and forty of them spoke on Tuesday evening.",
    "The transit office had said the lines cost four hundred thousand dollars a winter and carried "
    "fewer than two hundred people a night; the council will pay for them from the parking fund.",
]
BUSES_QUESTION = "How much do the night bus lines cost each winter?"

BAD_FRONT_MATTER = b"---\ntitle: [never closed\n---\n\nA body paragraph.\n"


def copy_bundled(directory: Path) -> Path:
    """``directory`` created, holding a copy of the bundled knowledge files."""
    directory.mkdir()
    for path in BUNDLED.glob("*.md"):
        shutil.copy(path, directory / path.name)
    return directory


def forbid_listing(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make listing ``folder`` fail as it does for a user without permission. Tests run as root,
    where chmod 000 does not stop a listing, so ``os.scandir`` is told to refuse it."""
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == folder:
            raise PermissionError(13, "Permission denied", str(folder))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
