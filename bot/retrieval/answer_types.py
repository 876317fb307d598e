"""Questions that ask for a quantity, and whether passages hold one.

"How old is Lee Baca?" and "how many deputies work for the sheriff's department?" share their topic
words with the article, so BM25 finds passages about Baca and the sheriff, but the answer to either is
a number and no such passage has one. A question that asks for a count, an age, a share or a price is
therefore answered only when a passage to be shown holds a number, in digits or in words.

Only these questions are checked. Questions asking "when" or "what time" were measured too and left
out: their answers are as often "at the beginning of each parliamentary session" or "the Pliocene" as a
date, and on SQuAD the check refused answerable questions without refusing more unanswerable ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# "how many", "how old", "what percentage", "how much does it cost": the answer is a number. ("How
# much" alone is not: "how much of it has been left undeveloped" is answered by "large areas".)
_QUANTITY_QUESTION_RE = re.compile(
    r"\bhow\s+(?:many|old)\b"
    r"|\bwhat\s+(?:percentage|percent|proportion|share)\b"
    r"|\bhow\s+much\b[^.?!]*\b(?:cost|costs|costing|money|pay|pays|paid|spend|spends|spent|dollars|worth)\b",
    re.IGNORECASE,
)

# "How many days before …": a count of days (weeks, months) is also answered by the days (months) it
# lies between ("introduced on Monday", a directive "on Tuesday"). A count of years is not: "each
# year" or "earlier this year" says nothing of how many.
_DAYS_QUESTION_RE = re.compile(r"\bhow\s+many\s+(?:days|weeks|months)\b", re.IGNORECASE)

_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds "
    "thousand thousands million millions billion billions trillion dozen dozens half twice percent"
).split()
_NUMBER_RE = re.compile(r"\d|%|\b(?:" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)

_DAY_WORDS = (
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june "
    "july august september october november december today yesterday tomorrow"
).split()
_DAY_RE = re.compile(r"\b(?:" + "|".join(_DAY_WORDS) + r")\b", re.IGNORECASE)


def asks_for_quantity(question: str) -> bool:
    """True when ``question`` can only be answered with a number ("how many", "how old", …)."""
    return _QUANTITY_QUESTION_RE.search(question) is not None


def holds_answer(question: str, texts: Iterable[str]) -> bool:
    """False when ``question`` asks for a quantity and none of ``texts`` holds one; True otherwise."""
    if not asks_for_quantity(question):
        return True
    patterns = [_NUMBER_RE]
    if _DAYS_QUESTION_RE.search(question):
        patterns.append(_DAY_RE)
    return any(pattern.search(text) for text in texts for pattern in patterns)
