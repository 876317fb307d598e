"""What an answer says before its passages: whose words these are, and what the article lacks.

Pure functions of a ``SearchResult``, shared by the Discord embeds and the terminal. Words are given
with ``*emphasis*``, which both show as such.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.retrieval.knowledge_base import SearchResult

# At most this many words are named in a note: a long list reads as noise.
MAX_NAMED = 4


def _listed(words: Sequence[str], escape: Callable[[str], str], conjunction: str = "or") -> str:
    """ "*a*", "*a* or *b*", "*a*, *b* or *c*" (``MAX_NAMED`` at most; "and" for ``conjunction``
    "and")."""
    shown = [f"*{escape(word)}*" for word in words[:MAX_NAMED]]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + f" {conjunction} " + shown[-1]


def as_written(word: str, question: str) -> str:
    """``word`` as the question spells it ("California" for "california"), else as given."""
    found = re.search(rf"(?<!\w){re.escape(word)}(?!\w)", question, re.IGNORECASE)
    return found.group() if found else word


def as_phrases(words: Sequence[str], question: str) -> list[str]:
    """``words`` as the question writes them, those it writes side by side (in this order) joined:
    "TRUST Act" rather than "TRUST" and "Act", "farmers market" rather than "farmers" or "market"."""
    phrases: list[str] = []
    for word in words:
        written = as_written(word, question)
        if phrases:
            together = r"\s+".join(map(re.escape, [*phrases[-1].split(), written]))
            found = re.search(rf"(?<!\w){together}(?!\w)", question, re.IGNORECASE)
            if found:
                phrases[-1] = " ".join(found.group().split())
                continue
        phrases.append(written)
    return phrases


def answer_notes(result: SearchResult, escape: Callable[[str], str] = lambda text: text) -> list[str]:
    """The lines that introduce an answer; none for a plain answer or a refusal.

    "Here is what *Chris Newman* said in the article." when the question asked for someone's words;
    "The article doesn't mention *governor*; here is what it says about *California*." when a word of
    the question names something the answer does not mention.
    """
    if not result.answered:
        return []
    notes = []
    speakers = list(dict.fromkeys(q.speaker for q in result.quotes if q.speaker))
    if speakers:
        notes.append(f"Here is what {_listed(speakers, escape, 'and')} said in the article.")
    if result.unmatched:
        lacking = as_phrases(result.unmatched, result.question)
        lacking_text = f"The article doesn't mention {_listed(lacking, escape)}"
        about = as_phrases([w for w in result.matched if w not in result.unmatched], result.question)
        if about and not speakers:
            notes.append(f"{lacking_text}; here is what it says about {_listed(about, escape, 'and')}.")
        else:
            notes.append(f"{lacking_text}.")
    return notes


def unheard_note(result: SearchResult, escape: Callable[[str], str] = lambda text: text) -> str | None:
    """Why a question asking for someone's words was declined, when that was the reason: "The
    article mentions *ICE*, but doesn't report any statement or response from *ICE*."; else None."""
    if result.answered or not result.unheard:
        return None
    names = _listed([as_written(word, result.question) for word in result.unheard], escape, "or")
    return f"The article mentions {names}, but doesn't report any statement or response from {names}."
