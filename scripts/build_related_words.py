"""Build ``related_words.tsv.gz``, ``place_and_time_names.txt`` and ``noun_collocations.txt.gz`` (in
``bot/data``) from WordNet 3.0.

Reads the files Debian's ``wordnet-base`` installs (``apt-get install -y wordnet-base``): data.*,
index.* and *.exc under /usr/share/wordnet, in the format of wndb(5), and writes:

- ``related_words.tsv.gz``: gzip (no time stamp, so the same bytes on every run) of UTF-8 text in two
  sections separated by an empty line. The first holds one line per word, sorted:
  ``word<TAB>parts of speech<TAB>related<TAB>related...``; multiword expressions are written with
  spaces ("let go"); the parts of speech are WordNet's letters (n, v, a, r) the word has a kept sense
  in. The second holds WordNet's irregular forms, one per line, sorted: ``form<TAB>pos<TAB>base...``
  ("jailed" needs no line: the loader applies WordNet's suffix rules itself).
- ``place_and_time_names.txt``: the names of places and of times, one per line, sorted, as people
  type them ("arizona", "los angeles", "wednesday", "october"): words WordNet writes with a capital
  in a sense of its noun.location or noun.time files, and in no sense in lower case ("china" is
  porcelain, "march" a verb) nor as a person's name ("washington"). Stop words are left out.
- ``noun_collocations.txt.gz``: gzip (no time stamp) of WordNet's two-word nouns, one per line,
  sorted, as people type them ("press release", "leap year", "public library", "election day"): both
  words people write (``MIN_KEY_ZIPF``), neither a stop word.
- ``WORDNET_LICENSE``: WordNet's license, which must accompany every copy of the data.

Related words, in order of reliability: for each sense of the word (most frequent first, the parts
of speech interleaved), its synonyms and its derivationally related forms (sue -> suit); then, again
sense by sense, two hops: the synonyms of each such form (sue -> suit -> lawsuit) and the forms of each
synonym (jail -> imprison -> imprisonment); then the synonyms of each sense's more general sense, its
hypernym (jail -> confine, detain). At most ``MAX_RELATED`` a word. Senses written with a capital
(names: "Bush" the president) are left out, as are words people rarely write (``wordfreq``).

Usage: ``python scripts/build_related_words.py [--wordnet DIR] [--out DIR]``
"""

from __future__ import annotations

import argparse
import gzip
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from wordfreq import zipf_frequency

from bot.retrieval.text import STOP_WORDS

WORDNET_DIR = Path("/usr/share/wordnet")
LICENSE_FILE = Path("/usr/share/doc/wordnet-base/copyright")
OUT_DIR = Path(__file__).resolve().parent.parent / "bot" / "data"
DATA_NAME = "related_words.tsv.gz"
NAMES_NAME = "place_and_time_names.txt"
COLLOCATIONS_NAME = "noun_collocations.txt.gz"
LICENSE_NAME = "WORDNET_LICENSE"

# Parts of speech in the order their senses are taken when a word has equally ranked senses in several.
POS_ORDER = ("n", "v", "a", "r")
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}

# Most related words kept for one word.
MAX_RELATED = 24

# Senses of a word looked at for two hops and hypernyms: later senses are rare and add mostly noise.
MAX_HOP_SENSES = 3

# wordfreq Zipf frequency (log10 of uses per billion words) a word must reach to be looked up
# (2.0: once in 10 million words) and to be offered as a related word (1.5).
MIN_KEY_ZIPF = 2.0
MIN_RELATED_ZIPF = 1.5

DERIVATION = "+"
# Lexical pointers that lead to another form of the same word: derivation, pertainym ("legally" ->
# "legal", "legal" -> "law") and participle ("released" -> "release").
FORM_POINTERS = frozenset({DERIVATION, "\\", "<"})
HYPERNYMS = frozenset({"@", "@i"})
HYPONYMS = frozenset({"~", "~i"})

# A more general sense with more narrower senses than this is too general to stand for any of them:
# "be", "act", "change", "move", "make" (jail -> "confine, detain" has 9).
MAX_HYPONYMS = 25

# WordNet's lexicographer files (lexnames(5)) of places, of times and of people.
LOCATION_FILE, TIME_FILE, PERSON_FILE = 15, 28, 18

# Adjectives may carry a syntactic marker: "galore(ip)".
_MARKER_RE = re.compile(r"\((?:a|p|ip)\)$")


@dataclass(frozen=True)
class Pointer:
    """A WordNet pointer from a synset (or one of its words) to a synset (or one of its words)."""

    symbol: str
    target: tuple[str, int]  # (pos, offset)
    source_word: int  # 1-based index of the word it leaves from; 0 for the whole synset
    target_word: int  # 1-based index of the word it leads to; 0 for the whole synset


@dataclass(frozen=True)
class Synset:
    """A WordNet synset: its words as written (case kept, "_" for spaces), its pointers, and the
    lexicographer file it comes from (lexnames(5): 15 for places, 28 for times)."""

    words: tuple[str, ...]
    pointers: tuple[Pointer, ...]
    lexicographer_file: int


def _pos(letter: str) -> str:
    """Satellite adjectives ("s") are adjectives."""
    return "a" if letter == "s" else letter


def _content_lines(path: Path) -> Iterator[str]:
    """The lines of a WordNet database file after its license header (lines that start with spaces)."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("  "):
                yield line.rstrip("\n")


def read_synsets(wordnet: Path) -> dict[tuple[str, int], Synset]:
    """Every synset of the four data files, keyed by ``(pos, offset)``."""
    synsets: dict[tuple[str, int], Synset] = {}
    for pos, name in POS_FILES.items():
        for line in _content_lines(wordnet / f"data.{name}"):
            fields = line.split(" | ", 1)[0].split()
            offset, lexicographer_file, count = int(fields[0]), int(fields[1]), int(fields[3], 16)
            words = tuple(_MARKER_RE.sub("", fields[4 + 2 * i]) for i in range(count))
            at = 4 + 2 * count
            pointers = []
            for _ in range(int(fields[at])):
                symbol, target, target_pos, ends = fields[at + 1 : at + 5]
                pointers.append(
                    Pointer(symbol, (_pos(target_pos), int(target)), int(ends[:2], 16), int(ends[2:], 16))
                )
                at += 4
            synsets[pos, offset] = Synset(words, tuple(pointers), lexicographer_file)
    return synsets


def read_senses(wordnet: Path) -> dict[str, list[tuple[str, int]]]:
    """Each word's senses as ``(pos, offset)``, most frequent first, parts of speech interleaved.

    Within a part of speech, index.* lists a word's senses by how often they were tagged in a corpus.
    Across parts of speech, the n-th senses come together, the part of speech with more tagged senses
    first ("sue" is a verb before it is a name).
    """
    by_pos: dict[str, list[tuple[int, str, list[int]]]] = defaultdict(list)
    for pos, name in POS_FILES.items():
        for line in _content_lines(wordnet / f"index.{name}"):
            fields = line.split()
            lemma, synset_count, pointer_count = fields[0], int(fields[2]), int(fields[3])
            tagged = int(fields[5 + pointer_count])
            offsets = [int(o) for o in fields[6 + pointer_count : 6 + pointer_count + synset_count]]
            by_pos[lemma].append((-tagged, pos, offsets))
    senses: dict[str, list[tuple[str, int]]] = {}
    for lemma, lists in by_pos.items():
        lists.sort(key=lambda item: (item[0], POS_ORDER.index(item[1])))
        longest = max(len(offsets) for _, _, offsets in lists)
        senses[lemma] = [
            (pos, offsets[rank])
            for rank in range(longest)
            for _, pos, offsets in lists
            if rank < len(offsets)
        ]
    return senses


def read_exceptions(wordnet: Path) -> dict[tuple[str, str], tuple[str, ...]]:
    """WordNet's irregular forms: ``(form, pos) -> bases`` ("went", "v" -> "go")."""
    exceptions: dict[tuple[str, str], tuple[str, ...]] = {}
    for pos, name in POS_FILES.items():
        for line in _content_lines(wordnet / f"{name}.exc"):
            form, *bases = line.split()
            exceptions[form, pos] = tuple(bases)
    return exceptions


def surface(word: str) -> str:
    """A WordNet word as people type it: lower case, spaces for underscores."""
    return word.replace("_", " ").lower()


def _is_name(word: str) -> bool:
    return word != word.lower()


def _word_index(synset: Synset, lemma: str) -> int:
    """The 1-based index of ``lemma`` among ``synset``'s words, 0 if absent."""
    for index, word in enumerate(synset.words, 1):
        if word.lower() == lemma:
            return index
    return 0


class RelatedWords:
    """Related words of WordNet words, in order of reliability."""

    def __init__(self, synsets: dict[tuple[str, int], Synset], senses: dict[str, list[tuple[str, int]]]):
        self._synsets = synsets
        self._senses = senses

    def kept_senses(self, lemma: str) -> list[tuple[str, int]]:
        """``lemma``'s senses in which it is written in lower case (not a name)."""
        kept = []
        for sense in self._senses.get(lemma, []):
            index = _word_index(self._synsets[sense], lemma)
            if index and not _is_name(self._synsets[sense].words[index - 1]):
                kept.append(sense)
        return kept

    def _forms(self, sense: tuple[str, int], index: int) -> Iterator[tuple[tuple[str, int], str]]:
        """The other forms of word ``index`` of ``sense``: ``(their synset, the form)``."""
        for pointer in self._synsets[sense].pointers:
            if pointer.symbol in FORM_POINTERS and pointer.source_word == index and pointer.target_word:
                target = self._synsets[pointer.target]
                yield pointer.target, target.words[pointer.target_word - 1]

    def _synonyms(self, sense: tuple[str, int]) -> tuple[str, ...]:
        return self._synsets[sense].words

    def related(self, lemma: str) -> Iterator[str]:
        """Related words of ``lemma`` as written in WordNet, best first, repeats included."""
        senses = self.kept_senses(lemma)
        for sense in senses:
            yield from self._synonyms(sense)
            yield from (form for _, form in self._forms(sense, _word_index(self._synsets[sense], lemma)))
        for sense in senses[:MAX_HOP_SENSES]:
            synset = self._synsets[sense]
            for target, _ in self._forms(sense, _word_index(synset, lemma)):
                yield from self._synonyms(target)
            for index in range(1, len(synset.words) + 1):
                yield from (form for _, form in self._forms(sense, index))
        for sense in senses[:MAX_HOP_SENSES]:
            for pointer in self._synsets[sense].pointers:
                if pointer.symbol in HYPERNYMS and self._narrower_count(pointer.target) <= MAX_HYPONYMS:
                    yield from self._synonyms(pointer.target)

    def _narrower_count(self, sense: tuple[str, int]) -> int:
        return sum(pointer.symbol in HYPONYMS for pointer in self._synsets[sense].pointers)


def _typed(word: str, minimum: float, cache: dict[str, float]) -> bool:
    """True when people write ``word`` (surface form) at least ``minimum`` on wordfreq's Zipf scale."""
    if word not in cache:
        cache[word] = zipf_frequency(word, "en")
    return cache[word] >= minimum


def _clean(word: str) -> bool:
    """True for a word worth keeping that the data file can hold.

    Stop words are left out: search drops them from questions and passages alike ("be", "get").
    """
    return bool(word) and "\t" not in word and "\n" not in word and word not in STOP_WORDS


def build_lines(wordnet: Path, synsets: dict[tuple[str, int], Synset]) -> tuple[list[str], list[str]]:
    """The data file's two sections: related-word lines and irregular-form lines, each sorted."""
    senses = read_senses(wordnet)
    graph = RelatedWords(synsets, senses)
    frequency: dict[str, float] = {}
    entries: dict[str, tuple[str, list[str]]] = {}
    for lemma in sorted(senses):
        key = surface(lemma)
        kept = graph.kept_senses(lemma)
        if not kept or not _clean(key) or not _typed(key, MIN_KEY_ZIPF, frequency):
            continue
        related: list[str] = []
        for word in graph.related(lemma):
            if _is_name(word):
                continue
            word = surface(word)
            if (
                word != key
                and word not in related
                and _clean(word)
                and _typed(word, MIN_RELATED_ZIPF, frequency)
            ):
                related.append(word)
                if len(related) == MAX_RELATED:
                    break
        if related:
            parts = "".join(pos for pos in POS_ORDER if any(p == pos for p, _ in kept))
            entries[key] = (parts, related)
    related_lines = sorted("\t".join([key, parts, *words]) for key, (parts, words) in entries.items())
    irregular_lines = []
    for (form, pos), bases in read_exceptions(wordnet).items():
        kept_bases = [surface(b) for b in bases if surface(b) in entries and pos in entries[surface(b)][0]]
        if kept_bases and form != kept_bases[0] and _clean(form):
            irregular_lines.append("\t".join([surface(form), pos, *kept_bases]))
    return related_lines, sorted(irregular_lines)


def place_and_time_names(synsets: dict[tuple[str, int], Synset]) -> list[str]:
    """The names of places and times (see the module's docstring), sorted."""
    named: dict[str, set[int]] = defaultdict(set)  # name -> lexicographer files of its senses
    written_lower: set[str] = set()
    for (pos, _), synset in synsets.items():
        for word in synset.words:
            if not _is_name(word):
                written_lower.add(word)
            elif pos == "n":
                named[surface(word)].add(synset.lexicographer_file)
    return sorted(
        word
        for word, files in named.items()
        if files & {LOCATION_FILE, TIME_FILE}
        and PERSON_FILE not in files
        and word.replace(" ", "_") not in written_lower
        and _clean(word)
    )


def noun_collocations(synsets: dict[tuple[str, int], Synset]) -> list[str]:
    """WordNet's two-word nouns as people type them (see the module's docstring), sorted."""
    typed: dict[str, float] = {}
    found = set()
    for (pos, _), synset in synsets.items():
        if pos != "n":
            continue
        for word in synset.words:
            parts = surface(word).split(" ")
            if len(parts) == 2 and all(
                part.isascii() and part.isalpha() and _clean(part) and _typed(part, MIN_KEY_ZIPF, typed)
                for part in parts
            ):
                found.add(" ".join(parts))
    return sorted(found)


def _gzipped(text: str) -> bytes:
    """``text`` in UTF-8, gzipped without a time stamp (the same bytes on every run)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def gzipped_lines(lines: Iterable[str]) -> bytes:
    """``lines``, one a line, gzipped without a time stamp."""
    return _gzipped("".join(f"{line}\n" for line in lines))


def data_bytes(related_lines: Iterable[str], irregular_lines: Iterable[str]) -> bytes:
    """The data file's bytes: the two sections, gzipped without a time stamp."""
    return _gzipped("\n".join(related_lines) + "\n\n" + "\n".join(irregular_lines) + "\n")


def license_text(copyright_file: Path) -> str:
    """WordNet's license from Debian's copyright file, unindented, without the packaging's own terms."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("License: WordNet"))
    body = []
    for line in lines[start + 1 :]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    header = (
        "The related words in related_words.tsv.gz, the names in place_and_time_names.txt and the\n"
        "two-word nouns in noun_collocations.txt.gz are derived from WordNet 3.0\n"
        "(https://wordnet.princeton.edu/), under the following license.\n\n"
    )
    return header + "\n".join(body).rstrip() + "\n"


def build(wordnet: Path, copyright_file: Path, out: Path) -> None:
    """Write the data files and the license notice into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    synsets = read_synsets(wordnet)  # read once, for every file
    (out / DATA_NAME).write_bytes(data_bytes(*build_lines(wordnet, synsets)))
    names = "".join(f"{name}\n" for name in place_and_time_names(synsets))
    (out / NAMES_NAME).write_text(names, encoding="utf-8", newline="\n")
    (out / COLLOCATIONS_NAME).write_bytes(gzipped_lines(noun_collocations(synsets)))
    (out / LICENSE_NAME).write_text(license_text(copyright_file), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet", type=Path, default=WORDNET_DIR, help="WordNet's dict folder")
    parser.add_argument("--license", type=Path, default=LICENSE_FILE, help="Debian's copyright file")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="where to write the data")
    args = parser.parse_args()
    build(args.wordnet, args.license, args.out)


if __name__ == "__main__":
    main()
