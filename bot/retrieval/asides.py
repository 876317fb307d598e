"""Talk around a question: what members say about themselves before or after what they ask.

In a channel a question often comes wrapped in talk about the asker: "what does NDLON stand for, *i
keep reading it like some tech company lol*", "*my group chat is split on this*, did baca change his
policy or not". The words of that talk are not what is asked, yet the knowledge base lacks them, so
they counted against the question as if they named its topic, and a plain question about the article
was declined.

This module splits a question into its clauses (at punctuation, and before the joining words that
start a remark: "but", "bc", "tho", "so") and tells which clauses talk about the asker: in the first
person ("i", "im", "my", "me"), opening with an impression ("feels kinda old tbh", "sounds
familiar"), or calling the question dumb or quick ("ok dumb question", "quick q"). ``KnowledgeBase``
leaves out the words that only such clauses hold when they share no word with the knowledge base and
what is left asks a plain question.
"""

from __future__ import annotations

import re

# Clauses end at punctuation (not at the comma of "20,000"), at a line break, at emoji, which chat
# writes where punctuation would go ("when was this posted 😭 feels old"), and before a word that
# starts a remark. The emoji are the pictographs and dingbats of Unicode's symbol blocks, with their
# joiners and modifiers.
_CLAUSE_END_RE = re.compile(
    r"(?<!\d),|,(?!\d)|[;:.!?()\[\]\n]+"
    r"|[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u200D\uFE0F]+"
    r"|\s(?:but|bc|cuz|coz|because|tho|though|although|so)\s",
    re.IGNORECASE,
)
# The asker speaking of themselves ("im guessing december"), of how the matter strikes them, in a
# clause opening with an impression ("feels kinda old", "sounds familiar"), or of the question itself
# ("ok dumb question", "quick q").
_TALK_RE = re.compile(
    r"\b(?:i|im|i['’]m|ive|i['’]ve|i['’]d|i['’]ll|my|me|mine|myself)\b"
    r"|^(?:(?:it|this|that|lowkey|kinda|ngl|tbh|honestly|lol)\s+)*(?:feels|seems|sounds|looks)\b"
    r"|\b(?:dumb|stupid|quick|random|real|honest|serious)\s+(?:question|q)\b",
    re.IGNORECASE,
)


def clauses(question: str) -> list[str]:
    """The clauses of ``question``, in order, without the punctuation and joining words between them:
    ``["when was this published", "feels kinda old tbh"]``."""
    return [part.strip() for part in _CLAUSE_END_RE.split(f" {question} ") if part.strip()]


def about_the_asker(clause: str) -> bool:
    """True when ``clause`` speaks of the asker ("im guessing december", "my cousin says"), of how
    the matter strikes them ("feels kinda old tbh", "sounds familiar") or of the question itself
    ("ok dumb question", "quick q")."""
    return _TALK_RE.search(clause) is not None
