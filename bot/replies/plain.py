"""Search results as plain text, for the terminal."""

from __future__ import annotations

import textwrap

from bot.replies.notes import answer_notes, unheard_note
from bot.retrieval.knowledge_base import Hit, SearchResult

NOT_COVERED = (
    "The article doesn't seem to cover that. Try rephrasing with words the article might use, "
    "or look up what someone said with `quote`."
)


def count_of(number: int, noun: str) -> str:
    """ "1 document", "2 documents": the plural only when plural (nouns the bot counts take an "s")."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def mark_sentence(text: str, sentence: str, marker: str = "**") -> str:
    """``text`` with ``sentence`` wrapped in ``marker`` (left as is when it is not found)."""
    start = text.find(sentence)
    if not sentence or start < 0:
        return text
    end = start + len(sentence)
    return f"{text[:start]}{marker}{sentence}{marker}{text[end:]}"


def format_hit(number: int, hit: Hit, width: int = 88) -> str:
    """One cited passage, its best sentence marked with ** **."""
    body = mark_sentence(hit.passage.text, hit.best_sentence)
    wrapped = "\n".join(
        textwrap.fill(line, width=width, initial_indent="    ", subsequent_indent="    ")
        for line in body.splitlines()
    )
    return f"[{number}] {hit.passage.citation}\n{wrapped}"


def format_result(result: SearchResult) -> str:
    """The whole answer to one question, as printed by ``python -m bot ask``."""
    if not result.answered:
        return unheard_note(result) or NOT_COVERED
    notes = "".join(f"{note}\n\n" for note in answer_notes(result))
    return notes + "\n\n".join(format_hit(i, hit) for i, hit in enumerate(result.hits, start=1))
