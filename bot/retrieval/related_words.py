"""Words related to a question word, from WordNet: synonyms, other forms, two hops, narrower senses.

Members ask with other words than the article's: "sued" for a lawsuit, "let go" for a release,
"jail" for being detained. ``related_words("sued")`` gives ``("sue", "action", "litigate", "process",
"suit", "lawsuit", ...)``, best first: for each sense of the word (most frequent first) its
synonyms and derivationally related forms, then two hops (the synonyms of those forms: sue -> suit ->
lawsuit; the forms of the synonyms: jail -> imprison -> imprisonment), then the synonyms of a sense's
more general sense when that is not too general (jail -> confine, detain). An inflected word is
brought to its base forms first with WordNet's own rules and irregular forms ("sued" -> "sue",
"went" -> "go"); the base forms lead the answer.

The data, ``bot/data/related_words.tsv.gz`` (1.4 MB; 65,535 words and phrases, at most 24 related
words each), is derived from WordNet 3.0 (license in ``bot/data/WORDNET_LICENSE``) by
``python scripts/build_related_words.py`` from the files of Debian's ``wordnet-base`` package
(``apt-get install -y wordnet-base``; this file: Debian 12's 1:3.0-37, with wordfreq 3.1.1); that
script's docstring describes the format and the choices (names left out, words people rarely write
left out by ``wordfreq``, stop words left out). Nothing is fetched at run time. The file is read once,
on first use (about 30 ms), and searched by bisection (about 20 µs a word); nothing else is built.
"""

from __future__ import annotations

import gzip
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

DATA_FILE = "related_words.tsv.gz"

# Most related words returned for one word or phrase (a word that is itself a dictionary word and an
# inflected form, "found", has the related words of both).
MAX_RELATED = 30

# WordNet's detachment rules (morph.c), by part of speech: (ending, replacement).
_SUFFIX_RULES: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "n",
        (
            ("s", ""),
            ("ses", "s"),
            ("xes", "x"),
            ("zes", "z"),
            ("ches", "ch"),
            ("shes", "sh"),
            ("men", "man"),
            ("ies", "y"),
        ),
    ),
    (
        "v",
        (
            ("s", ""),
            ("ies", "y"),
            ("es", "e"),
            ("es", ""),
            ("ed", "e"),
            ("ed", ""),
            ("ing", "e"),
            ("ing", ""),
        ),
    ),
    ("a", (("er", ""), ("est", ""), ("er", "e"), ("est", "e"))),
)

# Characters that separate the data file's fields and lines: never part of a word.
_SEPARATORS = frozenset("\t\n")


@dataclass(frozen=True)
class _Table:
    """The data file's two sections, each a sorted list of tab-separated lines.

    ``related``: ``word, parts of speech, related...``; ``irregular``: ``form, part of speech, base...``.
    """

    related: list[str]
    irregular: list[str]


@cache
def _table() -> _Table:
    """The data file, read on first use."""
    packed = resources.files("bot").joinpath("data", DATA_FILE).read_bytes()
    related, irregular = gzip.decompress(packed).decode("utf-8").split("\n\n", 1)
    return _Table(related.split("\n"), irregular.rstrip("\n").split("\n"))


def _lines(lines: list[str], key: str) -> list[list[str]]:
    """The fields of each line of sorted ``lines`` whose first field is ``key``."""
    probe = key + "\t"
    found = []
    position = bisect_left(lines, probe)
    while position < len(lines) and lines[position].startswith(probe):
        found.append(lines[position].split("\t"))
        position += 1
    return found


def _entry(key: str) -> tuple[str, tuple[str, ...]] | None:
    """``(parts of speech, related words)`` of a word or phrase in the data, or None."""
    found = _lines(_table().related, key)
    return (found[0][1], tuple(found[0][2:])) if found else None


def _has_part_of_speech(word: str, pos: str) -> bool:
    entry = _entry(word)
    return entry is not None and pos in entry[0]


def base_forms(word: str) -> tuple[str, ...]:
    """The dictionary forms of inflected ``word`` that the data knows, as WordNet's morphy finds them.

    Irregular forms come from WordNet's exception lists ("went" -> "go"); regular ones by taking off
    an ending, for each part of speech, when the rest is a word of that part of speech ("suing" ->
    "sue", "jailed" -> "jail"). ``word`` itself is never among them.
    """
    irregular: dict[str, tuple[str, ...]] = {
        fields[1]: tuple(fields[2:]) for fields in _lines(_table().irregular, word)
    }
    bases: list[str] = []
    for pos, rules in _SUFFIX_RULES:
        if pos in irregular:
            candidates: tuple[str, ...] = irregular[pos]
        else:
            candidates = tuple(
                word[: -len(ending)] + replacement
                for ending, replacement in rules
                if word.endswith(ending) and len(word) > len(ending)
            )
            candidates = tuple(c for c in candidates if _has_part_of_speech(c, pos))
        bases.extend(c for c in candidates if c != word and c not in bases)
    bases.extend(b for b in irregular.get("r", ()) if b != word and b not in bases)
    return tuple(bases)


def _usable(word: str) -> bool:
    return bool(word) and not any(c in _SEPARATORS for c in word)


@lru_cache(maxsize=4096)
def related_words(word: str) -> tuple[str, ...]:
    """Words related to one lower-case ``word``, most reliable first; () when WordNet has none.

    An inflected word gives its base forms first, then their related words ("sued" -> "sue",
    "litigate", ..., "lawsuit"). A string with a space is not a word: see ``related_phrase``.
    """
    word = word.lower()
    if not _usable(word) or " " in word:
        return ()
    return _gather(word, base_forms(word))


def related_phrase(words: tuple[str, ...]) -> tuple[str, ...]:
    """Words related to the phrase of lower-case ``words`` ("let", "go"), most reliable first.

    WordNet's multiword expressions ("let go", "put away", "police officer") are looked up as
    written, then with the first word's base forms ("letting go"), then with the last word's ("police
    officers"). A single word is looked up as by ``related_words``.
    """
    if len(words) == 1:
        return related_words(words[0])
    if not words or not all(_usable(w) and " " not in w for w in words):
        return ()
    return _related_phrase(tuple(w.lower() for w in words))


@lru_cache(maxsize=4096)
def _related_phrase(words: tuple[str, ...]) -> tuple[str, ...]:
    phrase = " ".join(words)
    if _entry(phrase) is not None:
        return _gather(phrase, ())
    first, middle, last = words[0], words[1:-1], words[-1]
    variants = [" ".join((base, *middle, last)) for base in base_forms(first)]
    variants += [" ".join((first, *middle, base)) for base in base_forms(last)]
    for variant in variants:
        if _entry(variant) is not None:
            return _gather(phrase, (variant,))
    return ()


def _gather(key: str, bases: tuple[str, ...]) -> tuple[str, ...]:
    """``key``'s related words, then each base form with its related words, without repeats."""
    found: dict[str, None] = {}
    entry = _entry(key)
    if entry is not None:
        found.update(dict.fromkeys(entry[1]))
    for base in bases:
        found[base] = None
        base_entry = _entry(base)
        if base_entry is not None:
            found.update(dict.fromkeys(base_entry[1]))
    found.pop(key, None)
    return tuple(found)[:MAX_RELATED]
