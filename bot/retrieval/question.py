"""Reading a question: from what a member typed to the index terms it asks about.

Members write as they chat ("r cops allowed to ignore ice now??", "did any1 sue baca"), with other
words than the article's. Each step below maps what it can onto words the knowledge base has, and
weighs a word by how sure the mapping is:

1. chat language (``chat.rewrite``): contractions, chat spellings, "w/", "20k"; chat filler
   ("tbh", "imo", "rn") is left out like a stop word;
2. the moderators' synonyms (``knowledge/synonyms.txt``): read as written, at full weight;
3. per word: the word itself; its standard form from the chat lexicon ("cops" -> police); a
   run-together compound ("trustact"); a typo ("sherrif"); a word of the same family ("comply" ->
   compliance), at ``FAMILY_WEIGHT``; a related word from WordNet ("sued" -> lawsuit), at
   ``RELATED_WEIGHT``;
4. a word that none of these maps stays unknown. It still counts in how much of the question a
   passage covers, at the weight of a rare word scaled by how rare it is in English
   (``background_share``): "basically" or "supposed" says little about what is asked, "inception"
   or "tokyo" a lot. A word the question points at with "this" or "that" ("what does *that group*
   think") refers to what the members are discussing, and counts by its English frequency alone
   (``POINTING_WORDS``).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.retrieval import chat
from bot.retrieval.ranking import BM25Index
from bot.retrieval.related_words import related_phrase, related_words
from bot.retrieval.spelling import FunctionWords, Speller
from bot.retrieval.synonyms import Reading, Synonyms
from bot.retrieval.text import (
    PRONOUNS,
    STOP_WORDS,
    is_dictionary_word,
    joined_compounds,
    term,
    word_lemmas,
)
from bot.retrieval.text import words as all_words
from bot.retrieval.word_family import WordFamilies

# Questions are cut to this many characters before analysis: longer text is not a question, and
# the cut keeps the work per query bounded.
MAX_QUERY_CHARS = 2000

# A question word found only through a known word of its family ("comply" for "compliance") is
# ranked as that word, but weighs this share of it where question words are weighed against each
# other (how much of the question a passage covers, the proximity bonus, the best sentence): the
# family is a guess. Measured on SQuAD and the article's question sets, any share from 0.3 to 0.8
# gives the same figures.
FAMILY_WEIGHT = 0.5

# The same for a word found through WordNet ("sued" -> lawsuit, "jail" -> detain): a related word is
# a weaker guess than a word of the same family.
RELATED_WEIGHT = 0.4

# A moderator's rule may read one word as a name of several words ("newspaper => la times", "outlet =>
# la times, colorlines"): each term of an entry of n words counts 1/n of the word, in ranking and
# where question words are weighed, so that the name counts as one word and not as n. Counting each
# term in full let "by the *time* this story was published" answer "which outlet did Newman talk
# to". Measured on the article's twenty-four development sets (1,438 answerable questions): 9 more
# right passages first, 5 more among those shown; 3 near-topic questions answered that were refused
# ("how many ppl r in LA county jail rn": "LA county" no longer weighs as three words). A share of
# 1/sqrt(n) gained 3 first. SQuAD has no synonyms file.

# At most this many known words are taken from WordNet for one question word, best first, from
# the first ``RELATED_LOOKED`` it gives (later ones are rarer senses and two-hop relations), and only
# for nouns and words rarer than ``RELATED_MIN_SHARE`` says: "won", "right" or "good" have too many
# senses to guess from.
RELATED_TERMS = 2
RELATED_LOOKED = 12
RELATED_MIN_SHARE = 0.5

# For those common words only forms of the word itself are taken: related words that begin with the
# same ``SAME_WORD_PREFIX`` letters ("decide" -> decision, not "settle"). Measured on the article's
# development sets: one more right passage first, 9 fewer answerable questions told a word is missing.
SAME_WORD_PREFIX = 4

# So are words at least this common, nouns included: "name" (WordNet: "make", "gen"), "take" (issue,
# direct), "start" (first) or "total" (number) name too many things to guess one. Measured on the
# article's development sets: 6 more near-topic questions noted ("what's the name of the sheriff's
# spokesman" found "Gen." in "Atty. Gen." before), no right passage lost; one answerable question
# answered wrongly before is refused. 5.5: 2 more noted; 4.8: one right passage fewer first. SQuAD
# unchanged.
RELATED_MAX_ZIPF = 5.0

# Particles that make a phrasal verb with the word before them ("let go", "lock up", "kick out").
PARTICLES = frozenset("up out go off down over away back in on".split())

# English frequency (wordfreq's Zipf scale: 3 is once per million words, 6 once per thousand) at and
# below which an unknown word counts in full, and at and above which it counts ``COMMON_SHARE``.
RARE_ZIPF = 3.0
COMMON_ZIPF = 6.0
COMMON_SHARE = 0.1

# Words at least this common count by frequency alone even when they can name something: "think",
# "need", "one", "back" are nouns too, but in a question they phrase it. Measured on the article's six
# development sets: one more right passage first and one more among those shown, one answerable
# question fewer refused, two more off-topic ones refused; at 5.5, two more off-topic questions
# answered. SQuAD unchanged.
TOPIC_MAX_ZIPF = 6.0

# A noun the question points at with one of these ("what kinda policy does *that group* think is
# needed", "in what year did *these events* take place") refers to something the members are
# discussing, the article's, not to a new topic: when the knowledge base lacks it, it counts against
# the question by its English frequency alone, as a word that names nothing does. Times are left
# out: "this week", "that year" say when a question is set ("is monday a federal holiday *this
# week*"). Measured on the article's forty-four development sets, the three chat development sets,
# the five off-topic sets and the blind sets from ``holdout48`` on (read as totals): 2 fewer
# answerable questions refused, both now with the right passage first; nothing else changed. SQuAD
# unchanged. Twenty invented questions of that form were checked too: ten off-topic ones ("is this
# game worth buying", "what is that song called") stay declined.
POINTING_WORDS = frozenset("this that these those".split())
POINTED_TIMES = frozenset(
    """
    day days week weeks month months year years time morning afternoon evening night weekend
    weekends summer winter fall spring season semester
    """.split()
)

# Words at least this common are not reported as missing from the knowledge base ("one", "back",
# "think"); verbs from ``FLAG_VERB_MAX_ZIPF`` ("allowed", "decided"). Measured on the article's six
# development sets (376 answerable questions, 87 near-topic), with the bundled synonyms file:
# reporting nouns below 5.0 (as before), 24 near-topic questions are refused or answered with a note,
# and 31 answerable ones carry a note; nouns below 5.5, 40 and 72; and verbs below 4.8, 46 and 94;
# verbs below 5.5, 51 and 104; nouns below 6.0, 51 and 114; adjectives too, 10 more notes on
# answerable questions for no near-topic one. A note on an answered question costs the member a line;
# a near-topic question answered without one misleads.
FLAG_MAX_ZIPF = 5.5
FLAG_VERB_MAX_ZIPF = 4.8

# Function words typed wrong in a hurry ("waht did the sherif decide", "hwo many ppl", "whcih paper",
# "becuase", "thta") are read as the function word meant, before anything else reads the question:
# left as they were, each was an unknown word that English does not know, so it counted against the
# question as a rare word would, was named as missing ("The article doesn't mention *waht*"), and
# hid "what is" from the rules that route a question by its form. Only words of at least
# ``FUNCTION_WORD_MIN_LENGTH`` letters, rarer in English than ``RARE_ZIPF`` and not in its dictionary,
# unknown to the knowledge base and its speller, one edit from a function word (the first letter
# kept) and not a name (capitalised after the question's first word) are read so. Measured on the
# article's forty-two development sets rewritten with one function word of each question misspelt
# (3,591 questions, 2,487 answerable; ``benchmarks/typos.py``): hit@1 2,030 -> 2,206, hit@3 2,272
# -> 2,407, answerable refused 147 -> 15 (as written: 2,212, 2,412 and 13), answerable questions
# noted 2,292 -> 476; off-topic refused 540 -> 520 of 553, as many as when written right. On the
# sets as written only 5 fewer notes; SQuAD unchanged (4 of its questions are read otherwise:
# "betwen", "aer", "throguh", "Whwn").
FUNCTION_WORD_MIN_LENGTH = 3


@dataclass(frozen=True)
class QueryTerm:
    """One word of a question as the index sees it: ``term`` None when nothing in the index matches.

    ``weight`` is what the word weighs against the question's other words; ``share`` how much an
    unknown word counts against the question (1.0 for a rare word, less for common English).
    """

    word: str
    term: str | None
    weight: float
    share: float = 1.0
    guessed: bool = False  # found only through WordNet: ranked, but not taken as the topic
    # The share of its word this term stands for: a moderator's synonym may read one word as a name of
    # several ("newspaper" as "L.A. Times"), each of whose terms counts for that share of it.
    portion: float = 1.0

    @property
    def known(self) -> bool:
        """True when the word itself, or a sure form of it, is in the knowledge base."""
        return self.term is not None and not self.guessed


@lru_cache(maxsize=16384)
def background_share(word: str) -> float:
    """How much an unknown ``word`` counts against a question: 1.0 for a word that names something
    (``is_topic_word``) or is rare in English, down to ``COMMON_SHARE`` for the commonest others
    ("basically", "supposed", "saying") and for the commonest words of all (``TOPIC_MAX_ZIPF``)."""
    if zipf(word) >= TOPIC_MAX_ZIPF:
        return frequency_share(word)
    return 1.0 if is_topic_word(word) else frequency_share(word)


@lru_cache(maxsize=16384)
def zipf(word: str) -> float:
    """How common ``word`` is in English, on wordfreq's Zipf scale (0 for a word it does not know)."""
    from wordfreq import zipf_frequency  # Imported on the first word that needs it: 75 ms.

    # The "small" list (words down to Zipf 3, read in 9 ms rather than 80) gives the same figures
    # here: every word at or below ``RARE_ZIPF`` counts in full either way.
    return float(zipf_frequency(word, "en", wordlist="small"))


def frequency_share(word: str) -> float:
    """How much a word counts by its English frequency alone, whatever its part of speech: 1.0 at
    and below ``RARE_ZIPF``, down to ``COMMON_SHARE`` at and above ``COMMON_ZIPF``."""
    position = min(1.0, max(0.0, (zipf(word) - RARE_ZIPF) / (COMMON_ZIPF - RARE_ZIPF)))
    return 1.0 - position * (1.0 - COMMON_SHARE)


def is_topic_word(word: str) -> bool:
    """True for a word that names something: a noun that is not a form of a verb with another base
    ("saying", "building"), a name, a number; not a pronoun ("everyone", ``PRONOUNS``). What a member
    should be told the article does not mention: "governor", "weather", "tokyo", "2013" are;
    "basically", "confused", "saying", "everyone" are not."""
    if any(c.isdigit() for c in word):
        return True
    if word in PRONOUNS:
        return False
    if not is_dictionary_word(word):
        return len(word) > 2
    lemmas = word_lemmas(word)
    nouns = set(lemmas.get("NOUN", ())) | set(lemmas.get("PROPN", ()))
    verbs = set(lemmas.get("VERB", ())) | set(lemmas.get("AUX", ()))
    return bool(nouns) and (not verbs or bool(nouns & verbs))


@cache
def _function_words() -> FunctionWords:
    """The function words a typo may stand for, ranked by English frequency: built on first use."""
    return FunctionWords((w for w in STOP_WORDS if len(w) >= FUNCTION_WORD_MIN_LENGTH and w.isalpha()), zipf)


@lru_cache(maxsize=16384)
def function_word_typo(word: str) -> str | None:
    """The function word the lower-case ``word`` is a typo of ("waht" -> "what"), or None for a word
    English knows, a stop word, a chat spelling the lexicon reads, or one more than an edit away."""
    if len(word) < FUNCTION_WORD_MIN_LENGTH or not word.isalpha() or word in STOP_WORDS:
        return None
    if is_dictionary_word(word) or zipf(word) >= RARE_ZIPF or chat.standard_words(word):
        return None
    return _function_words().meant(word)


_TYPED_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def warm_up() -> None:
    """Load what reading questions loads on first use (the English word list, WordNet's table), so
    that the first member's question does not wait for it: the bot calls this while it loads."""
    zipf("the")
    related_words("sue")


def _pointed_at(written: Sequence[str]) -> frozenset[str]:
    """The words ``written`` (a question's words in order) points at with "this" or "that", times
    aside: ``{"group"}`` for "what does that group think"."""
    return frozenset(
        word
        for pointer, word in itertools.pairwise(written)
        if pointer in POINTING_WORDS and word not in POINTED_TIMES and word not in STOP_WORDS
    )


class QuestionReader:
    """Maps a question's words onto the terms of one index."""

    def __init__(
        self,
        index: BM25Index,
        speller: Speller,
        families: WordFamilies,
        synonyms: Synonyms,
        adjacent: Callable[[str, str], bool],
    ) -> None:
        self.index = index
        self.speller = speller
        self.families = families
        self.synonyms = synonyms
        self._adjacent = adjacent

    def respelled(self, question: str) -> str:
        """``question`` with its function words typed wrong written as meant (``function_word_typo``),
        where the knowledge base does not have the word as typed and its speller reads it as none of
        the knowledge base's words; names (capitalised after the first word, or in capitals) are
        left as written."""

        read: dict[str, str | None] = {}  # each word looked up once, however often it is repeated

        def meant(match: re.Match[str]) -> str:
            word = match.group(0)
            if word[0].isupper() and (match.start() > 0 or word.isupper()):
                return word
            lower = word.lower()
            if lower not in read:
                # Most words are function words or the knowledge base's own: a look-up each.
                if lower in STOP_WORDS or term(lower) in self.index.vocabulary:
                    read[lower] = None
                else:
                    typo_of = function_word_typo(lower)
                    known = typo_of is not None and self.speller.correct(lower) is not None
                    read[lower] = None if known else typo_of
            return read[lower] or word

        return _TYPED_WORD_RE.sub(meant, question)

    def read(self, question: str) -> list[QueryTerm]:
        """The question's words mapped to index terms: known, mapped or unknown, in question order."""
        text = chat.rewrite(question[:MAX_QUERY_CHARS])
        # "jail-or-not" is searched as its words and as "jailornot"; the joined form counts only
        # where the knowledge base has it. Stop words are kept until the synonyms are read ("took
        # to court"), and left out after.
        joined = sorted(w for w in joined_compounds(text) if w in self.index.vocabulary)
        written = all_words(text)
        words = [word for word in [*written, *joined] if word not in chat.CHAT_FILLER]
        phrases = self._phrases(written)
        for verb in {t.word.split()[0] for t in phrases} & set(words):
            words.remove(verb)  # "let go" is read as the phrase, not "let" alone
        analysed: list[QueryTerm] = []
        for span in self._spans(words):
            analysed.extend(span)
        pointed = _pointed_at(written)
        if pointed:
            analysed = [self._pointed(t) if t.word in pointed else t for t in analysed]
        return analysed + phrases

    def _pointed(self, unknown: QueryTerm) -> QueryTerm:
        """An unknown word the question points at ("that *group*"), counting by its frequency alone."""
        if unknown.term is not None:
            return unknown
        return self._unknown(unknown.word, frequency_share(unknown.word))

    def _unknown(self, word: str, share: float) -> QueryTerm:
        """``word`` as a word the index lacks, counting ``share`` of a rare word's weight."""
        return QueryTerm(word, None, share * self.index.unknown_term_idf(), share)

    def _phrases(self, written: Sequence[str]) -> list[QueryTerm]:
        """A verb and its particle ("let go", "locked up") that WordNet relates to known words,
        for verbs the knowledge base lacks: "let go" finds "release". ``written`` is the question's
        words, stop words included, in order."""
        found: list[QueryTerm] = []
        ruled: set[int] | None = None  # positions of the words a moderator's rule reads
        for pair in itertools.pairwise(enumerate(written)):
            (at, verb), (_, particle) = pair
            if particle not in PARTICLES or verb in STOP_WORDS or term(verb) in self.index.vocabulary:
                continue
            if ruled is None:
                ruled = {n for e in self.synonyms.expand(written) for n in range(e.start, e.end)}
            if at in ruled:
                continue  # A moderators' rule reads it ("let go => release", "kept in jail => detain").
            phrase = f"{verb} {particle}"
            for related in related_phrase((verb, particle))[:RELATED_LOOKED]:
                known = None if " " in related else self._known(phrase, term(related), RELATED_WEIGHT, True)
                if known is not None:
                    found.append(dataclasses.replace(known, share=background_share(verb)))
                    break
        return found

    def _spans(self, words: Sequence[str]) -> list[list[QueryTerm]]:
        """Each word's terms, with the moderators' synonyms read first (they may span words, stop
        words included); stop words outside them are left out."""
        found: list[list[QueryTerm]] = []
        position = 0

        def each(span: Sequence[str]) -> list[list[QueryTerm]]:
            return [self._word(w) for w in span if w not in STOP_WORDS]

        for start, end, targets, object_start, object_end in self.synonyms.expand(words):
            found.extend(each(words[position:start]))
            inside = range(object_start, object_end)  # "take *Baca* to court": read as it is
            matched = [w for n, w in enumerate(words[start:end], start) if n not in inside]
            written = " ".join(w for w in matched if w not in STOP_WORDS) or " ".join(matched)
            known = self._read_as(written, targets)
            # A rule whose words the knowledge base lacks leaves the words as they were written.
            found.append(known or [t for ts in each(matched) for t in ts[:1]])
            found.extend(each(words[object_start:object_end]))
            position = end
        found.extend(each(words[position:]))
        return found

    def _read_as(self, word: str, reading: Reading) -> list[QueryTerm]:
        """The known terms of the entries a moderator's rule reads ``word`` as, each term of an entry
        of n words standing for 1/n of the word, each term once."""
        found: dict[str, QueryTerm] = {}
        for entry in reading:
            words = [w for w in entry if w not in STOP_WORDS]
            portion = 1 / max(1, len(words))
            for token in map(term, words):
                known = self._known(word, token, portion)
                if known is not None and (token not in found or found[token].portion < portion):
                    found[token] = dataclasses.replace(known, portion=portion)
        return list(found.values())

    def _known(self, word: str, token: str, share: float = 1.0, guessed: bool = False) -> QueryTerm | None:
        """``token`` as a term of ``word`` at ``share`` of its weight, when the index has it."""
        term_id = self.index.vocabulary.get(token)
        if term_id is None:
            return None
        return QueryTerm(word, token, share * float(self.index.idf[term_id]), guessed=guessed)

    def _word(self, word: str) -> list[QueryTerm]:
        """The terms one word of the question is read as (one unknown term when nothing matches)."""
        token = term(word)
        exact = self._known(word, token)
        if exact is not None:
            return [exact]
        standard_words = chat.standard_words(word)
        if standard_words and all(w in STOP_WORDS or w in chat.CHAT_FILLER for w in standard_words):
            return []  # "wut", "y", "abt": a function word in chat spelling.
        standard = [t for w in standard_words if (t := self._known(word, term(w))) is not None]
        if standard:
            return standard
        if len(standard_words) == 1 and standard_words[0] != word:
            return self._word(standard_words[0])  # "talkin": read as "talking" would be
        parts = self._split_compound(word)
        if parts:
            return [t for part in parts if (t := self._known(word, part)) is not None]
        corrected = self.speller.correct(word)
        if corrected is not None and (found := self._known(word, corrected)) is not None:
            return [found]
        family = self.families.related(token)
        if family is not None and (found := self._known(word, family, FAMILY_WEIGHT)) is not None:
            return [found]
        related = self._related(word)
        if related:
            return related
        return [self._unknown(word, background_share(word))]

    def _related(self, word: str) -> list[QueryTerm]:
        """Up to ``RELATED_TERMS`` known words among the first ``RELATED_LOOKED`` that WordNet relates
        to ``word``, best first; none for common English words, whose senses are too many to guess."""
        common = background_share(word) < RELATED_MIN_SHARE or zipf(word) >= RELATED_MAX_ZIPF
        found: dict[str, QueryTerm] = {}
        for related in related_words(word)[:RELATED_LOOKED]:
            if " " in related:
                continue  # A phrase ("turn on") is not its words.
            if common and related[:SAME_WORD_PREFIX] != word[:SAME_WORD_PREFIX]:
                continue
            token = term(related)
            known = self._known(word, token, RELATED_WEIGHT, guessed=True)
            if known is not None:
                known = dataclasses.replace(known, share=background_share(word))
            if known is not None and token not in found:
                found[token] = known
                if len(found) == RELATED_TERMS:
                    break
        return list(found.values())

    def _split_compound(self, word: str) -> tuple[str, str] | None:
        """Split a run-together word ("trustact") into two indexed words written side by side.

        The two words must stand together somewhere in the knowledge base ("TRUST Act"), or any
        unknown word that happens to be two known ones would be read as a compound: "hottest" is not
        "hot" and "test", nor "powder" "pow" and "der".
        """
        vocabulary = self.index.vocabulary
        for cut in range(3, len(word) - 2):
            left, right = term(word[:cut]), term(word[cut:])
            if left in vocabulary and right in vocabulary and self._adjacent(left, right):
                return left, right
        return None


def unmatched_words(terms: Sequence[QueryTerm], frame_words: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The words of ``terms`` (words the answer does not match) that say what the question is about
    (``says_what_is_asked``), each once, leaving out ``frame_words``."""
    return tuple(
        dict.fromkeys(t.word for t in terms if t.word not in frame_words and says_what_is_asked(t.word))
    )


def says_what_is_asked(word: str) -> bool:
    """True for a word that says what a question is about: a noun, a name or a number
    (``is_topic_word``: "governor", "tokyo") rarer in English than ``FLAG_MAX_ZIPF``, or a verb
    ("founded", "vetoed") rarer than ``FLAG_VERB_MAX_ZIPF``. Adverbs and adjectives ("exactly",
    "basically", "certain") colour the question, and so do words that can be adverbs ("past" in
    "held past their release date") and verb forms that are adjectives too ("confused",
    "supposed"); the commonest words ("one", "get", "think") only phrase it."""
    if zipf(word) >= FLAG_MAX_ZIPF:
        return False
    lemmas = word_lemmas(word)
    if "ADV" in lemmas:
        return False  # Measured on the development sets: 6 fewer notes, as many near-topic ones.
    if is_topic_word(word):
        return True
    return zipf(word) < FLAG_VERB_MAX_ZIPF and "VERB" in lemmas and word not in lemmas.get("ADJ", ())
