"""Chat English in questions: contractions, chat spellings, abbreviations, slang and filler.

Members of a Discord server ask in chat register ("wat kinda offenders r we talking abt", "are CA cops
gonna honor ICE holds w/o a warrant"), and the retriever would read "abt", "cops" or "w/o" as unknown
content words. Two steps undo that, both driven by one data file, ``bot/data/chat_lexicon.txt``:

- ``rewrite`` works on the question's text before it is tokenised: contractions and chat spellings
  with or without their apostrophe, abbreviations written with symbols, numbers written "20k" or "$5m",
  and runs of punctuation. A regex pass, compiled once; never raises.
- ``standard_words`` gives the standard words for one word the knowledge base does not know ("ppl" ->
  "people", "da" -> "district attorney"); ``CHAT_FILLER`` are words to read as stop words ("tbh", "rn").

The lexicon is parsed when this module is imported; a malformed line is a ``LexiconError`` naming its
``file:line``, which the tests catch before anyone else does.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from bot.retrieval.text import is_dictionary_word, normalise

LEXICON_FILE = "chat_lexicon.txt"

# Groups rewritten in the text, groups that give standard words for one word, and the filler group.
REWRITE_SECTIONS = ("contractions", "chat spellings", "symbols")
WORD_SECTIONS = ("abbreviations", "slang", "phonetic spellings", "news")
FILLER_SECTION = "filler"
SECTIONS = (*REWRITE_SECTIONS, *WORD_SECTIONS, FILLER_SECTION)

# A number of more digits than this is left as written: it is not a count anyone abbreviates.
MAX_NUMBER_DIGITS = 15

_SECTION_RE = re.compile(r"\[([a-z ]+)\]")
_STANDARD_RE = re.compile(r"[a-z]+(?: [a-z]+)*")
_WORD_SPELLING_RE = re.compile(r"[a-z0-9]+")
_TEXT_SPELLING_RE = re.compile(r"'?[a-z0-9]+(?:'[a-z0-9]+)*(?:[ -][a-z0-9]+)*")
_SYMBOL_SPELLING_RE = re.compile(r"[^\sA-Z]+")

# One written word as people type it, with its inner (and a leading) apostrophe: "don't", "'cause".
_TOKEN_RE = re.compile(r"(?<![\w'])'?[^\W_]+(?:'[^\W_]+)*")
_NUMBER_RE = re.compile(
    r"(?:(?P<currency>[$£€])|(?<![\w.,]))"
    r"(?P<number>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?P<fraction>\.[0-9]+)?"
    r"(?P<suffix>[kK]|[bB][nN]|[mM][nN]|[mM]il|MIL|[mM]|[bB])(?!\w|[.,][0-9])"
)
# "k", "bn", "mn" and "mil" are always a multiplier after a number; "m" and "b" only after a currency
# sign, as "a 5m wall" is five metres and "2b" may be "to be".
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mil": 1_000_000, "b": 10**9, "bn": 10**9}
_CURRENCY_ONLY = frozenset({"m", "b"})
_MARKS_RE = re.compile(r"[?!]{2,}|\.{4,}|,{2,}")
_SPACE_RE = re.compile(r"\s+")
# What a chat app writes in a message's text for a mention, a channel, a custom emoji or a time (an id
# in angle brackets: "<@1234567890>", "<:pepe:1234567890>", "<t:1354665600:R>"), and web links: they
# point at something, they are no words of a question (the Discord layer reads a message's ending past
# them too). A question's text also drops addresses written without a scheme ("www.").
MARKUP_OR_LINK = r"<[^<>\s]*[0-9]{5,}[^<>\s]*>|\bhttps?://\S+"
_MARKUP_RE = re.compile(MARKUP_OR_LINK + r"|\bwww\.\S+", re.IGNORECASE)
# A word in lower case with a letter typed three times or more: "whyyy", "sooo", "bacaaa". Words with
# a capital are left: "AAA", "PPP", "Charles III" and names are written so (SQuAD asks about them).
_ELONGATED_RE = re.compile(r"(?<![\w'])[^\W\d_A-Z]*([^\W\d_A-Z])\1\1[^\W\d_A-Z]*(?![\w'])")
_RUN_RE = re.compile(r"([^\W\d_A-Z])\1{2,}")
# "I *keep* forgetting", "the one ppl *keep* talking about", "my wifi *keeps* dropping": "keep" before
# an -ing word says the thing goes on, not what it is, and is read as nothing.
_KEEP_DOING_RE = re.compile(r"\b(?:(?:keep|keeps|kept|keeping)\s+)+(?=[^\W\d_]+ing\b)", re.IGNORECASE)
# "*Quick q* whats the sheriffs actual name", "ok *dumb question* but who is newman": words about the
# question itself, not its topic, read as nothing. Measured on the article's forty-seven development
# sets: 1 fewer answerable question refused, 1 more right passage among those shown, nothing else
# changed; SQuAD unchanged.
META_QUESTION_RE = re.compile(
    r"\b(?:(?:a|one)\s+)?(?:dumb|stupid|quick|random|silly|real|honest|serious|genuine|noob)\s+"
    r"(?:question|questions|q|qs|qn)\b",
    re.IGNORECASE,
)
# "What did baca decide, *in plain english*", "*eli5* what did harris say", "*in a nutshell* what is the
# trust act": words about the form the answer should take, not its topic, read as nothing. Measured on
# the article's forty-seven development sets: 1 fewer answerable question refused, nothing else
# changed; SQuAD unchanged. "Explain quantum physics like im 5" is still declined: only the request's
# own words go.
ANSWER_FORM_RE = re.compile(
    r"\b(?:in|using|with)\s+(?:(?:very|really|super|more)\s+)?"
    r"(?:plain|simple|simpler|easy|easier|basic|normal|everyday|regular|layman'?s|laymen'?s|lay|human)\s+"
    r"(?:english|terms|words|language|speak)\b"
    r"|\bin\s+a\s+nutshell\b"
    r"|\bin\s+(?:one|1|two|2|three|3|a\s+few|a\s+couple(?:\s+of)?|few)\s+(?:words?|sentences?|lines?)\b"
    r"|\beli\s?5\b"
    r"|\b(?:explain\s+(?:it\s+|this\s+|that\s+)?(?:to\s+me\s+)?)?like\s+(?:i'?m|i\s+am|im)\s+(?:a\s+)?"
    r"(?:5|five|(?:5|five)\s+years?\s+old|kid|child|baby|toddler)\b",
    re.IGNORECASE,
)
# What markup and web addresses start with: most questions have neither, and are not scanned for them.
_MARKUP_HINT_RE = re.compile(r"<|://|www\.", re.IGNORECASE)
# Most runs of one letter in a word read (each is read as one letter or two).
MAX_RUNS = 3


class LexiconError(ValueError):
    """A line of the chat lexicon that cannot be read, as ``file:line: reason``."""


@dataclass(frozen=True)
class LexiconEntry:
    """One line of the lexicon: spellings and the standard words they stand for (none for filler)."""

    section: str
    line: int
    spellings: tuple[str, ...]
    standard: str


@dataclass(frozen=True)
class Lexicon:
    """The parsed chat lexicon, in file order."""

    entries: tuple[LexiconEntry, ...]

    def table(self, sections: Iterable[str]) -> dict[str, str]:
        """Spelling -> standard words, for the entries of ``sections``."""
        wanted = frozenset(sections)
        return {
            spelling: entry.standard
            for entry in self.entries
            if entry.section in wanted
            for spelling in entry.spellings
        }

    def filler(self) -> frozenset[str]:
        """The words of the filler group."""
        return frozenset(s for e in self.entries if e.section == FILLER_SECTION for s in e.spellings)


def parse_lexicon(text: str, source: str = LEXICON_FILE) -> Lexicon:
    """Read the chat lexicon, raising ``LexiconError`` at the first line that breaks its rules.

    The rules: every entry is under a known ``[section]``; ``spelling, spelling => standard words``
    with exactly one ``=>`` (filler: one word a line); spellings are lower case and appear once in
    the whole file; standard words are plain lower-case words and differ from the spelling.
    """
    entries: list[LexiconEntry] = []
    seen: dict[str, int] = {}
    section: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue

        def fail(reason: str, number: int = number) -> LexiconError:
            return LexiconError(f"{source}:{number}: {reason}")

        header = _SECTION_RE.fullmatch(line)
        if header:
            section = header.group(1)
            if section not in SECTIONS:
                raise fail(f"unknown section [{section}]; known: {', '.join(SECTIONS)}")
            continue
        if section is None:
            raise fail("entry before any [section]")
        if section == FILLER_SECTION:
            spellings, standard = [line], ""
        else:
            sides = line.split("=>")
            if len(sides) != 2:
                raise fail("expected 'spelling, spelling => standard words'")
            spellings = [s.strip() for s in sides[0].split(",")]
            standard = sides[1].strip()
            if not _STANDARD_RE.fullmatch(standard):
                raise fail(f"standard words {standard!r} are not plain lower-case words")
        for spelling in spellings:
            if not _spelling_pattern(section).fullmatch(spelling):
                raise fail(f"spelling {spelling!r} is not a lower-case {_spelling_kind(section)}")
            if spelling == standard:
                raise fail(f"{spelling!r} maps to itself")
            if spelling in seen:
                raise fail(f"{spelling!r} is already listed on line {seen[spelling]}")
            seen[spelling] = number
        entries.append(LexiconEntry(section, number, tuple(spellings), standard))
    return Lexicon(tuple(entries))


def _spelling_pattern(section: str) -> re.Pattern[str]:
    if section == "symbols":
        return _SYMBOL_SPELLING_RE
    return _TEXT_SPELLING_RE if section in REWRITE_SECTIONS else _WORD_SPELLING_RE


def _spelling_kind(section: str) -> str:
    if section == "symbols":
        return "symbol abbreviation"
    return "word or phrase" if section in REWRITE_SECTIONS else "single word of letters and digits"


def load_lexicon() -> Lexicon:
    """The lexicon shipped with the package."""
    resource = resources.files("bot") / "data" / LEXICON_FILE
    return parse_lexicon(resource.read_text(encoding="utf-8"), f"bot/data/{LEXICON_FILE}")


def _symbol_patterns(spellings: Iterable[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two regexes for the symbol abbreviations: those with a letter ("w/o", "w/"), longest first,
    and bare symbols ("&"), replaced in that order.

    A spelling that starts with a letter must not continue a word ("saw/" is no "w/"), one that ends
    with a letter must not run on into one ("w/obama" is "w/" and "obama"). A bare symbol is replaced
    unless it joins two words: "cops & ice", not "AT&T" or "Q&A". Bare symbols go second because
    rewriting a neighbour can part them from a word ("x&w/y"); nothing they become parts anything.
    """
    lettered, bare = [], []
    for spelling in sorted(spellings, key=len, reverse=True):
        escaped = re.escape(spelling)
        starts, ends = spelling[0].isalnum(), spelling[-1].isalnum()
        if not starts and not ends:
            bare.append(rf"(?<!\w){escaped}|{escaped}(?!\w)")
        else:
            lettered.append((r"(?<!\w)" if starts else "") + escaped + (r"(?![\w/])" if ends else ""))
    return (
        re.compile("|".join(lettered) or "(?!)", re.IGNORECASE),
        re.compile("|".join(bare) or "(?!)", re.IGNORECASE),
    )


def _phrase_pattern(spellings: Iterable[str]) -> re.Pattern[str]:
    """One regex for the spellings of more than one word ("po po"), whole words only."""
    alternatives = [re.escape(s).replace(r"\ ", r"\s+") for s in sorted(spellings, key=len, reverse=True)]
    if not alternatives:
        return re.compile("(?!)")
    return re.compile(rf"(?<![\w'])(?:{'|'.join(alternatives)})(?![\w'])", re.IGNORECASE)


LEXICON = load_lexicon()
"""The chat lexicon shipped with the package, parsed."""
_SYMBOLS = LEXICON.table(["symbols"])
_TEXT_TABLE = LEXICON.table(["contractions", "chat spellings"])
_PHRASES = {s: standard for s, standard in _TEXT_TABLE.items() if " " in s or "-" in s}
_TOKENS = {s: standard for s, standard in _TEXT_TABLE.items() if s not in _PHRASES}
_STANDARD = {s: tuple(standard.split()) for s, standard in LEXICON.table(WORD_SECTIONS).items()}
_LETTERED_SYMBOL_RE, _BARE_SYMBOL_RE = _symbol_patterns(_SYMBOLS)
_PHRASE_RE = _phrase_pattern(_PHRASES)

CHAT_FILLER: frozenset[str] = LEXICON.filler()
"""Chat filler ("tbh", "lol", "rn", "u"): words to read as stop words."""


def _in_case_of(written: str, standard: str) -> str:
    """``standard`` in the case ``written`` was typed in: "GONNA" -> "GOING TO", "Im" -> "I am"."""
    letters = [c for c in written if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return standard.upper()
    if letters and letters[0].isupper():
        return standard[:1].upper() + standard[1:]
    return standard


def _followed_by_mark(match: re.Match[str]) -> bool:
    """True when a combining mark follows the match: replacing the letter it sits on would change it."""
    end = match.end()
    text = match.string
    return end < len(text) and unicodedata.category(text[end]).startswith("M")


def _replace_symbol(match: re.Match[str]) -> str:
    written = match.group()
    standard = _SYMBOLS.get(written.lower())
    return written if standard is None else f" {_in_case_of(written, standard)} "


def _replace_phrase(match: re.Match[str]) -> str:
    written = match.group()
    standard = _PHRASES.get(" ".join(written.lower().split()))
    if standard is None or _followed_by_mark(match):
        return written
    return _in_case_of(written, standard)


def _replace_token(match: re.Match[str]) -> str:
    written = match.group()
    if _followed_by_mark(match):
        return written
    standard = _TOKENS.get(written.lower())
    if standard is not None:
        return _in_case_of(written, standard)
    if written.startswith("'"):  # An opening quotation mark, not an elision: "'gonna'".
        standard = _TOKENS.get(written[1:].lower())
        if standard is not None:
            return "'" + _in_case_of(written[1:], standard)
    return written


def _replace_number(match: re.Match[str]) -> str:
    suffix = match.group("suffix").lower()
    currency = match.group("currency") or ""
    digits = match.group("number").replace(",", "") + (match.group("fraction") or "")
    if (suffix in _CURRENCY_ONLY and not currency) or len(digits) > MAX_NUMBER_DIGITS:
        return match.group()
    value = Decimal(digits) * _MULTIPLIERS[suffix]
    if value == value.to_integral_value():
        return f"{currency}{int(value):,}"
    return f"{currency}{value.normalize():,}"


def _replace_marks(match: re.Match[str]) -> str:
    marks = match.group()
    if marks[0] in "?!":
        return "?" if "?" in marks else "!"
    return "..." if marks[0] == "." else ","


def _replace_elongated(match: re.Match[str]) -> str:
    """An elongated word as English writes it: each run of a letter as one or two of it, whichever
    English uses most ("whyyy" -> "why", "sooo" -> "so", "coool" -> "cool"); one of it when English
    knows neither ("bacaaa" -> "baca")."""
    from wordfreq import zipf_frequency  # Imported on the first elongated word: 75 ms.

    written = match.group()
    parts = _RUN_RE.split(written)  # text, run letter, text, run letter, ..., text
    if len(parts) // 2 > MAX_RUNS:
        return written
    best, best_frequency = _RUN_RE.sub(r"\1", written), 0.0
    for doubled in itertools.product((1, 2), repeat=len(parts) // 2):
        runs = iter(doubled)
        candidate = "".join(part if i % 2 == 0 else part * next(runs) for i, part in enumerate(parts))
        frequency = zipf_frequency(candidate.lower(), "en", wordlist="small")
        if frequency > best_frequency:
            best, best_frequency = candidate, frequency
    return best


def rewrite(text: str) -> str:
    """``text`` with chat English written out, ready to be tokenised.

    "im gonna", "w/o", "b/c", "20k", "$5m" and "??!!" become "i am going to", "without", "because",
    "20,000", "$5,000,000" and "?"; whitespace runs become one space. The text is normalised as the
    tokeniser normalises it (NFKC, straight apostrophes), and what is not rewritten keeps its case:
    "well", "were", "its", "ill", "shed", "US" and "IT" stay as they are.
    """
    text = normalise(text)
    if _MARKUP_HINT_RE.search(text):
        text = _MARKUP_RE.sub(" ", text)
    if _RUN_RE.search(text):
        text = _ELONGATED_RE.sub(_replace_elongated, text)
    text = _KEEP_DOING_RE.sub("", text)
    text = META_QUESTION_RE.sub(" ", text)
    text = ANSWER_FORM_RE.sub(" ", text)
    text = _LETTERED_SYMBOL_RE.sub(_replace_symbol, text)
    text = _BARE_SYMBOL_RE.sub(_replace_symbol, text)
    text = _PHRASE_RE.sub(_replace_phrase, text)
    text = _TOKEN_RE.sub(_replace_token, text)
    text = _NUMBER_RE.sub(_replace_number, text)
    text = _MARKS_RE.sub(_replace_marks, text)
    return _SPACE_RE.sub(" ", text).strip()


def standard_words(word: str) -> tuple[str, ...]:
    """The standard words of one chat word the knowledge base does not know, else ``()``.

    "ppl" -> ("people",), "cops" -> ("police",), "da" -> ("district", "attorney"). The chat lexicon's
    abbreviations, slang, phonetic spellings and news words are looked up; a word that drops the g
    of -ing ("talkin") is read with it.
    """
    word = word.lower()
    standard = _STANDARD.get(word)
    if standard is not None:
        return standard
    # A dropped g ("talkin", "goin", "sayin"): the -ing word, when the written one is no word.
    if (
        word.endswith("in")
        and len(word) > 4
        and not is_dictionary_word(word)
        and is_dictionary_word(word + "g")
    ):
        return (word + "g",)
    return ()
