"""Questions that ask what the article is about: "what is this about?", "whats going on here".

The first thing a member who has not read the article asks names nothing in it: every word of "what
is this article about" is a stop word, so there is nothing to search for, and before this module the
bot said the article does not cover it. Such a question is answered with the article's headline and
summary (with several articles, with each one's, in the knowledge base's order), the way a person
who had read it would start. Only questions that name nothing the knowledge base knows take this
route: "what happened to the lawsuit" is searched as usual.
"""

from __future__ import annotations

import re

# "what is this (article) about", "whats it all about", "what's the story here", "what happened",
# "what's going on", "what's the deal", "what's this", "explain this". Chat spellings
# of "what" ("wat", "wut") are read before this is asked (``chat.rewrite`` does not write them out,
# so they are listed).
_OVERVIEW_RE = re.compile(
    r"^\W*(?:so\s+|ok\s+|okay\s+|yo\s+|wait\s+|um+\s+|hey\s+)*"
    r"(?:"
    r"(?:what|wat|wut|wht)(?:'s|s|\s+is|\s+was|\s+are)?\s+"
    r"(?:(?:this|it|that|the\s+(?:article|story|piece|news|post|link))\s+)?"
    r"(?:(?:article|story|piece|post|thing|link|all|even|really|actually|exactly)\s+)*"
    r"about|"
    r"(?:what|wat|wut)\s+(?:happened|happens)|"
    r"(?:what|wat|wut)(?:'s|s|\s+is)\s+(?:going\s+on|happening|up|the\s+(?:story|deal|news|gist))|"
    r"(?:explain|summari[sz]e)\s+(?:this|it|the\s+(?:article|story))|"
    r"(?:what|wat|wut)(?:'s|s|\s+is)\s+this"
    r")\b[\s\w']*\W*$",
    re.IGNORECASE,
)


# "tl;dr?", "can someone give me the tldr of this, too lazy to read it", "summary pls", "recap?": a
# member asking for the gist in so many words. Whatever else such a question says, when it names
# nothing the knowledge base knows besides these words, it is answered as the questions above.
_SUMMARY_RE = re.compile(
    r"\b(?:tl\W{0,2}dr|tldr|summary|summari[sz]e|sum\s+(?:it|this|that)\s+up|gist|recap|overview)\b",
    re.IGNORECASE,
)
SUMMARY_WORDS = frozenset("tl dr tldr summary summarize summarise sum gist recap overview".split())


def asks_for_summary(question: str) -> bool:
    """True when ``question`` asks for the gist in so many words ("tl;dr", "summary", "recap")."""
    return _SUMMARY_RE.search(question) is not None


def asks_for_overview(question: str) -> bool:
    """True when ``question`` asks what the article is about, naming nothing in particular."""
    return _OVERVIEW_RE.search(question.replace("\u2019", "'")) is not None
