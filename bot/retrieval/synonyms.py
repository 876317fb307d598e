"""The moderators' synonyms file: words of the server read as words of the article.

``knowledge/synonyms.txt`` is written in the Solr/Elasticsearch synonym format, one rule a line:

    # the left words are read as the right words (explicit mapping)
    sue, sued, suing => lawsuit
    # any of these is read as all of them (equivalence)
    cops, police, law enforcement

An entry may be several words ("law enforcement"). Entries are matched word for word, whatever their
case. An entry of several words also matches by the index terms of its words, as the knowledge base
reads words ("took to court" matches "take to court"); one word matches as written, or as the verb
it is a form of when it is no plural noun ("fixed", "demanded" and "switching" match "fix", "demand"
and "switch"; "bills" and "reporters" do not match "bill" and "reporter"), since a stem would read
"booked" as "book" and "legislation" as "legislator". Measured on the article's forty-seven
development sets (three in chat register) with the bundled file: 10 more right passages first, 1
fewer among those shown ("the reporter *guessing* why" now reads "guess", the file's word for an
estimate), 6 fewer needless notes, one near-topic question answered without its note ("the apology
letter that Chris Newman *demanded*"); verb forms of plural nouns too ("bills" as "bill", the TRUST
Act), 1 more answerable question refused. An entry that starts with a
verb may take the verb's object between its words, as English puts it ("take Baca to court", "let
them go"), and determiners stand for one another ("broke this story"). Measured on the article's
twelve development sets with the bundled file: 7 more right passages first, 3 more among those
shown, 3 fewer answerable questions refused; determiners, 3 more first (with the second pass).
Problems are collected as ``file:line: reason``, like the knowledge files' (``problems.Problem``),
and a rule with a problem is left out; the caller decides whether to refuse the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from bot.retrieval.problems import Problem
from bot.retrieval.text import STOP_WORDS, normalise, term, word_lemmas
from bot.retrieval.text import words as question_words

ARROW = "=>"

# Longest line read; a longer one is an error (a file of one huge line is not a list of rules).
MAX_LINE_CHARS = 1000

# Most rules in one file; the rest are left out, with one error.
MAX_RULES = 5000

# Most words in one entry ("law enforcement" has two); bounds the work of matching a question.
MAX_ENTRY_WORDS = 6

# Most words between a verb and the rest of its entry ("take *the sheriff's office* to court").
MAX_OBJECT_WORDS = 3

# A word of an entry: letters and digits, joined by inner apostrophes, hyphens or periods, and perhaps
# an abbreviation's final period ("o'neill", "po-po", "l.a.").
_WORD_RE = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*\.?")


# What an entry is read as: other entries, each as its words.
Reading = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SynonymRule:
    """One line of the synonyms file.

    ``entries`` are the left side of an explicit rule, or every entry of an equivalence;
    ``targets`` the right side of an explicit rule, or ``None`` for an equivalence.
    """

    line: int
    entries: tuple[tuple[str, ...], ...]
    targets: tuple[tuple[str, ...], ...] | None = None

    @property
    def explicit(self) -> bool:
        """True for ``a, b => c``, false for ``a, b, c``."""
        return self.targets is not None

    def readings(self) -> tuple[tuple[str, ...], ...]:
        """The entries that a matched entry is read as: the targets, or every entry."""
        return self.entries if self.targets is None else self.targets

    def __str__(self) -> str:
        left = ", ".join(" ".join(entry) for entry in self.entries)
        if self.targets is None:
            return left
        return f"{left} {ARROW} " + ", ".join(" ".join(entry) for entry in self.targets)


class Expansion(NamedTuple):
    """``words[start:end]`` of a question can be read as any entry of ``reading`` (each entry as its
    words: ``(("la", "times"), ("colorlines",))``)."""

    start: int
    end: int
    reading: Reading
    # ``words[object_start:object_end]`` lie inside the match without being part of it: the verb's
    # object in "take *Baca* to court" (an empty range for an entry matched whole).
    object_start: int = 0
    object_end: int = 0


@dataclass(frozen=True)
class Synonyms:
    """The rules of a synonyms file and what each entry is read as."""

    rules: tuple[SynonymRule, ...] = ()
    _readings: Mapping[tuple[str, ...], Reading] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _term_readings: Mapping[tuple[str, ...], Reading] = field(
        init=False, repr=False, compare=False, default_factory=dict
    )
    _longest: int = field(init=False, repr=False, compare=False, default=0)
    _verbal: frozenset[tuple[str, ...]] = field(init=False, repr=False, compare=False, default=frozenset())
    _verbs: frozenset[str] = field(init=False, repr=False, compare=False, default=frozenset())

    def __post_init__(self) -> None:
        readings: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for rule in self.rules:
            read_as = [tuple(question_words(" ".join(entry))) for entry in rule.readings()]
            for entry in rule.entries:
                # Entries are split into words as questions are ("sheriff's department" is "sheriff
                # department", "20,000" is "20000", stop words kept: "took to court"), so that an
                # entry matches what members type. An entry in several rules is read as all that
                # they say (as Solr merges them).
                key = tuple(question_words(" ".join(entry)))
                if key:
                    readings.setdefault(key, []).extend(read_as)
        frozen = {entry: tuple(dict.fromkeys(words)) for entry, words in readings.items()}
        by_terms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        verbal: set[tuple[str, ...]] = set()
        for entry, words in frozen.items():
            if len(entry) > 1:  # One word is matched as written: "booked" is no "book", "suit" no "suits".
                terms = _terms(entry)
                by_terms.setdefault(terms, []).extend(words)
                if "VERB" in word_lemmas(entry[0]):
                    verbal.add(terms)
        object.__setattr__(self, "_readings", frozen)
        object.__setattr__(self, "_term_readings", {k: tuple(dict.fromkeys(v)) for k, v in by_terms.items()})
        object.__setattr__(self, "_longest", max(map(len, frozen), default=0))
        object.__setattr__(self, "_verbal", frozenset(verbal))
        object.__setattr__(self, "_verbs", frozenset(entry[0] for entry in verbal))

    @classmethod
    def empty(cls) -> Synonyms:
        """No rules: every question is read as written."""
        return cls()

    def __len__(self) -> int:
        return len(self.rules)

    def expand(self, words: Sequence[str]) -> list[Expansion]:
        """The runs of ``words`` that a rule reads as other words, left to right.

        At each word the longest entry that starts there is taken, and matching goes on after it:
        with rules for "law enforcement" and "enforcement officer", "law enforcement officer" matches
        the first. Case is ignored. An equivalence reads an entry as all of its entries, the matched
        one included; an explicit rule as its right side only (as Solr does).
        """
        if not self._readings:
            return []
        folded = [word.casefold() for word in words]
        terms = _terms(folded)
        found: list[Expansion] = []
        start = 0
        while start < len(folded):
            expansion = self._whole(folded, terms, start) or self._around_object(terms, start)
            if expansion is None:
                start += 1
            else:
                found.append(expansion)
                start = expansion.end
        return found

    def _whole(self, folded: Sequence[str], terms: Sequence[str], start: int) -> Expansion | None:
        """The longest entry that starts at ``start``, word for word, or term for term when it has
        several words; for one word, the verb it is a form of ("fixed": "fix") when it is no plural
        noun."""
        for end in range(min(len(folded), start + self._longest), start, -1):
            reading = self._readings.get(tuple(folded[start:end]))
            if reading is None:
                reading = self._term_readings.get(tuple(terms[start:end]))
            if reading is not None:
                return Expansion(start, end, reading)
        for verb in _verb_bases(folded[start]):
            reading = self._readings.get((verb,))
            if reading is not None:
                return Expansion(start, start + 1, reading)
        return None

    def _around_object(self, terms: Sequence[str], start: int) -> Expansion | None:
        """An entry starting with a verb, matched with the verb's object after the verb ("take
        Baca to court", "let them go"): the longest rest of an entry after the fewest words."""
        if terms[start] not in self._verbs:
            return None
        for gap in range(1, MAX_OBJECT_WORDS + 1):
            rest = start + 1 + gap
            for end in range(min(len(terms), start + self._longest + gap), rest, -1):
                entry = (terms[start], *terms[rest:end])
                if entry in self._verbal:
                    return Expansion(start, end, self._term_readings[entry], start + 1, rest)
        return None

    def to_text(self) -> str:
        """The rules, one a line, in the file's format (for listing them to moderators)."""
        return "".join(f"{rule}\n" for rule in self.rules)


# Determiners stand for one another inside an entry of several words: "broke the story" is "broke
# this story", "lock them up" is "lock him up".
DETERMINERS = frozenset("a an the this that these those his her its their our my your him them it".split())


def _verb_bases(word: str) -> tuple[str, ...]:
    """The verbs ``word`` is an inflected form of ("fixed", "fixing": "fix"), none when it is also
    the plural of a noun ("bills", "hands"): a moderator's "bill" means the noun."""
    lemmas = word_lemmas(word)
    if any(noun != word for noun in lemmas.get("NOUN", ())):
        return ()
    return tuple(verb for verb in lemmas.get("VERB", ()) if verb != word)


def _terms(words: Iterable[str]) -> tuple[str, ...]:
    """The index terms of ``words`` ("took", "courts" -> "take", "court"), every determiner as one."""
    return tuple("the" if word in DETERMINERS else term(word) for word in words)


def parse_synonyms(text: str, source: str) -> tuple[Synonyms, list[Problem]]:
    """The rules of synonyms file ``text`` and its problems as ``source:line: reason``.

    A line with a problem is left out and the others are kept. Problems: a line longer than
    ``MAX_LINE_CHARS``; more than one ``=>``; nothing on one side of ``=>``; an empty entry (two
    commas in a row); an entry of more than ``MAX_ENTRY_WORDS`` words or with something that is not a
    word ("->"); a line that reads words only as themselves; a line that reads them only as stop words
    ("announced => said"); more than ``MAX_RULES`` rules.
    """
    rules: list[SynonymRule] = []
    problems: list[Problem] = []
    for number, raw in enumerate(normalise(text).split("\n"), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        rule, problem = _parse_rule(line, number, source)
        if problem is not None:
            problems.append(problem)
        elif len(rules) == MAX_RULES:
            problems.append(
                Problem(source, number, f"more than {MAX_RULES} rules; this one and the rest are left out")
            )
            break
        elif rule is not None:
            rules.append(rule)
    return Synonyms(tuple(rules)), problems


def _parse_rule(line: str, number: int, source: str) -> tuple[SynonymRule | None, Problem | None]:
    """One non-blank, non-comment line as a rule, or the problem with it."""

    def problem(reason: str) -> tuple[None, Problem]:
        return None, Problem(source, number, reason)

    if len(line) > MAX_LINE_CHARS:
        return problem(f"line is {len(line)} characters long; at most {MAX_LINE_CHARS}")
    sides = line.split(ARROW)
    if len(sides) > 2:
        return problem(f"more than one '{ARROW}'")
    if len(sides) == 2 and not sides[0].strip():
        return problem(f"nothing before '{ARROW}'")
    if len(sides) == 2 and not sides[1].strip():
        return problem(f"nothing after '{ARROW}'")
    parsed: list[tuple[tuple[str, ...], ...]] = []
    for side in sides:
        entries, reason = _entries(side)
        if reason is not None:
            return problem(reason)
        parsed.append(entries)
    distinct = {entry for entries in parsed for entry in entries}
    if len(distinct) == 1:
        written = " ".join(next(iter(distinct)))
        return problem(f"'{written}' is only read as itself: a rule needs two different entries")
    read_as = parsed[-1]  # what the words are read as: the right side, or every entry of a list
    if all(set(entry) <= STOP_WORDS for entry in read_as):
        written = ", ".join(" ".join(entry) for entry in read_as)
        return problem(
            f"'{written}' is only stop words, which questions are searched without: the rule finds nothing"
        )
    if len(parsed) == 1:
        return SynonymRule(number, tuple(dict.fromkeys(parsed[0]))), None
    return SynonymRule(number, tuple(dict.fromkeys(parsed[0])), tuple(dict.fromkeys(parsed[1]))), None


def _entries(side: str) -> tuple[tuple[tuple[str, ...], ...], str | None]:
    """The comma-separated entries of one side of a rule, lower-cased, or the reason they are wrong."""
    entries: list[tuple[str, ...]] = []
    for position, written in enumerate(side.split(","), start=1):
        words = tuple(written.casefold().split())
        if not words:
            return (), f"entry {position} has no words (two commas in a row, or one at an end)"
        if len(words) > MAX_ENTRY_WORDS:
            return (), f"entry '{written.strip()}' has {len(words)} words; at most {MAX_ENTRY_WORDS}"
        odd = _not_words(words)
        if odd:
            return (), f"'{odd}' is not a word (entries are separated by ',' and sides by '{ARROW}')"
        entries.append(words)
    return tuple(entries), None


def _not_words(words: Iterable[str]) -> str | None:
    """The first of ``words`` that is not a word, else None."""
    return next((word for word in words if not _WORD_RE.fullmatch(word)), None)


def with_rule(text: str, rule: str) -> str:
    """The synonyms file ``text`` with ``rule`` added as its last line (comments and order kept)."""
    body = text if not text or text.endswith("\n") else text + "\n"
    return body + rule.strip() + "\n"


def without_rule(text: str, rule: str) -> str | None:
    """The synonyms file ``text`` without the line holding ``rule`` (written as it is listed, case and
    spacing aside), or None when no line holds it. Comments and the other rules are kept as they are."""
    wanted, _ = parse_synonyms(rule, "rule")
    if len(wanted) != 1:
        return None
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        found, problems = parse_synonyms(line, "line")
        if not problems and len(found) == 1 and str(found.rules[0]) == str(wanted.rules[0]):
            return "".join(lines[:index] + lines[index + 1 :])
    return None
