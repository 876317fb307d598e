"""Text handling shared by every index: normalisation, sentences and search tokens.

Tokenisation is kept apart from ranking so that the same rules apply to passages, quotes and
questions, and so that the rules can be tested on their own.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, pairwise

import pysbd
import Stemmer
from lemminflect import Lemmatizer, getAllLemmas
from pysbd.lang.english import English

# pysbd knows "Gen." and "Dec." but not the newsroom abbreviation "Atty." ("Atty. Gen. Kamala Harris").
for _abbreviation in ("atty",):
    if _abbreviation not in English.Abbreviation.ABBREVIATIONS:
        English.Abbreviation.ABBREVIATIONS.append(_abbreviation)
        English.Abbreviation.PREPOSITIVE_ABBREVIATIONS.append(_abbreviation)

_PUNCTUATION_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)

# English stop words: function words that carry no topic, plus the question words and chat filler
# that Discord questions are made of ("so what did ... actually say", "r u sure"). Verbs of saying are
# here too: in a news article nearly every paragraph "said" or "told" something, so they only add
# noise. So are "article", "story" and "piece": in a question they point at the document ("who is the
# sheriff in this story", "who wrote this piece"; "piece": 3 more right passages first and 3 fewer
# answerable questions refused on the development sets, SQuAD hit@1 0.8453 to 0.8455), not at the
# one paragraph that happens to write "by the time this story was published"; the headline and byline
# passages are labelled for questions about the document itself.
# "cannot" and "can't" are here although NLTK's list lacks them ("cant find the authors name": 4
# fewer answerable questions told the article lacks "cannot" on the development sets; SQuAD
# unchanged).
# Four words of the usual lists are not here: "only", "some", "each" and "against" say how far a
# policy reaches and who stands where ("some undocumented immigrants", "only a statewide policy",
# "each year", "a lawsuit against Sheriff Baca"). Searched, they put 10 more right passages first on
# the article's twelve development sets; SQuAD hit@1 0.8448 -> 0.8453, hit@3 0.9352 -> 0.9354.
STOP_WORDS = frozenset(
    """
    a about above after again all also am an and any are aren't as at be because been
    before being below between both but by can cannot can't could couldn't did didn't do does
    doesn't doing
    don't down during few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in
    into is isn't it it's its itself just let's me more most mustn't my myself no nor not of off
    on once or other ought our ours ourselves out over own same shan't she she'd she'll she's
    should shouldn't so such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through to too under until up
    very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's
    which while who who's whom why why's will with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves
    actually anybody anyone anything article basically does doing even ever every exactly get gets
    getting go goes going gonna got hey hi hello kind kinda know like lol many mean much now per
    please pls really say says said someone somebody something sort still stuff tell tells told
    thanks thank thing things u r ur wanna whats whose whos wat story piece
    """.split()
)

# Stop words are compared after apostrophes are dropped, as people also type them ("doesnt", "whats").
# Only contractions whose bare spelling is not a word of its own: "we'll" must not make "well" a stop
# word, nor "she'll" "shell", "it's" "its", "i'd" "id".
_NOT_WORDS_WITHOUT_APOSTROPHE = frozenset(
    "well shell hell ill shed wed id wont its lets were hed cant".split()
)
STOP_WORDS = STOP_WORDS | frozenset(
    bare
    for w in STOP_WORDS
    if (bare := w.replace("'", "")) != w and bare not in _NOT_WORDS_WITHOUT_APOSTROPHE
)

_WORD_RE = re.compile(r"[^\W_]+(?:[.,'][^\W_]+)*", re.UNICODE)
# The same tokens for ASCII text, where a letter or digit is [A-Za-z0-9]: a quarter faster to match.
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:[.,'][A-Za-z0-9]+)*")
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])|(?<=[A-Z])(?=[A-Z][a-z])")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SPACE_RE = re.compile(r"\s+")
_INNER_PUNCTUATION_RE = re.compile(r"[.,]")
_HYPHENATED_RE = re.compile(r"[^\W_]+(?:-[^\W_]+)+")

_span_segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
_HIDE_QUOTES = str.maketrans({'"': " ", "\u201c": " ", "\u201d": " "})
_OPENING_QUOTES = frozenset('"\u201c')
_ABBREVIATIONS = frozenset(English.Abbreviation.ABBREVIATIONS)
# Abbreviations that are also words ("it is.", "for me.", "in may.") end a sentence for pysbd when a
# capitalised word other than "I" follows, unless they usually come before a name ("Dr.") or a
# number ("No."): those keep their period. The quick path below splits after the others; tests check
# it agrees with pysbd.
_KEPT_PERIOD_ABBREVIATIONS = frozenset(English.Abbreviation.PREPOSITIVE_ABBREVIATIONS) | frozenset(
    English.Abbreviation.NUMBER_ABBREVIATIONS
)
_I_RE = re.compile(r"I\b")
_SINGLE_LETTER_RE = re.compile(r"(?<![^\W\d_])[^\W\d_]\.")
_PYSBD_ONLY_CHARACTERS = frozenset("\"'()[]{}\n\t")
_PLAIN_BOUNDARY_RE = re.compile(r"(?<=[a-z][.!?]) (?=[A-Z])")
_LEMMA_TABLES: tuple[Mapping[str, Mapping[str, tuple[str, ...]]], ...] | None = None
_stemmer = Stemmer.Stemmer("english")


def normalise(text: str) -> str:
    """Return ``text`` in NFKC with straight quotes and hyphens, without control characters.

    Case is kept: sentence splitting and compound detection need it.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION_MAP)
    return _CONTROL_RE.sub(" ", text)


def collapse_whitespace(text: str) -> str:
    """Join lines and runs of spaces into single spaces."""
    return _SPACE_RE.sub(" ", text).strip()


def _plain_sentences(text: str) -> list[str] | None:
    """The sentences of ``text`` when every boundary is unmistakable, else None.

    pysbd costs milliseconds a paragraph, which is most of a search over a large knowledge base.
    Plain prose (ASCII, no quotation marks or brackets, every sentence ending in a lower-case word
    that is not an abbreviation whose period pysbd keeps, followed by a capital) splits the same way
    with one regex; anything else goes to pysbd. A sentence may end in one lower-case letter ("plan
    b.") when it is the only letter with a period in the text: no initial, and no list for pysbd to
    keep whole. (The generated text of ``benchmarks/speed.py`` ends a sentence of one paragraph in
    sixteen with "a.", and each such paragraph cost a millisecond in pysbd.) Tests check the two agree
    wherever this path answers.
    """
    if not text.isascii() or any(c in text for c in _PYSBD_ONLY_CHARACTERS):
        return None
    parts = _PLAIN_BOUNDARY_RE.split(text)
    for index, part in enumerate(parts):
        ends = part[-1] in ".!?"
        body = part[:-1] if ends else part
        if any(c in body for c in ".!?") or (not ends and index < len(parts) - 1):
            return None
        if ends:
            last = body.rsplit(" ", 1)[-1]
            # A single letter may be an initial or an item of a list ("a. b."): pysbd decides, unless
            # it is a lower-case letter (no initial) and the only letter with a period in the text
            # (no list): "plan b. Then ..." ends a sentence for pysbd too.
            if len(last) == 1 and last.islower() and last not in _ABBREVIATIONS:
                if len(_SINGLE_LETTER_RE.findall(text)) > 1:
                    return None
            elif len(last) < 2 or not (last.isalpha() and last.islower()):
                return None
            following = parts[index + 1] if index + 1 < len(parts) else ""
            if last in _ABBREVIATIONS and (last in _KEPT_PERIOD_ABBREVIATIONS or _I_RE.match(following)):
                return None
    return parts


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, keeping the original characters of each one."""
    text = text.strip()
    if not text:
        return []
    plain = _plain_sentences(text)
    return plain if plain is not None else _pysbd_sentences(text)


def _pysbd_sentences(text: str) -> list[str]:
    """pysbd's sentences of ``text``, also inside quotations.

    pysbd never splits inside a quotation, so a three-sentence quotation would be one "sentence"
    and a highlighted answer would be most of a paragraph. Quotation marks are therefore hidden from
    pysbd (replaced by spaces, which keeps every offset), and each opening mark is given back to the
    sentence it opens.
    """
    spans = _span_segmenter.segment(text.translate(_HIDE_QUOTES))
    cuts = [0]
    for span in spans[1:]:
        cut = span.start
        if text[cut:].lstrip()[:1].islower():
            continue  # '"Stop!" she yelled.' is one sentence: sentences start with a capital.
        while cut > cuts[-1] + 1 and text[cut - 1] in _OPENING_QUOTES and text[cut - 2].isspace():
            cut -= 1
        cuts.append(cut)
    cuts.append(len(text))
    sentences = (text[start:end].strip() for start, end in pairwise(cuts))
    return [sentence for sentence in sentences if sentence]


_ACRONYM_PLURAL_RE = re.compile(r"[A-Z]{2,}s")


def _word_forms(word: str) -> list[str]:
    """The lower-case search forms of one written word (before stemming).

    "TRUSTAct" and "TRUST Act" must meet, as must "low-level" and "low level": a compound gives
    its parts and also the joined form.
    """
    if word.isalpha() and (word.islower() or word[1:].islower()):
        return [word.lower()]
    if word.lower().endswith("'s"):
        word = word[:-2]
    word = word.replace("'", "")
    if not word:
        return []
    if _ACRONYM_PLURAL_RE.fullmatch(word):
        return [word[:-1].lower()]  # "ICEs", "NGOs": the plural of an acronym, not "IC" and "Es"
    if any(ch.isdigit() for ch in word):
        # Numbers are kept whole ("20,000" -> "20000"), as are codes like "2012".
        return [word.replace(",", "").lower()]
    parts = [p for p in _INNER_PUNCTUATION_RE.split(word) if p]
    forms: list[str] = []
    for part in parts:
        pieces = _CAMEL_RE.sub(" ", part).split()
        forms.extend(p.lower() for p in pieces)
        if len(pieces) > 1:
            forms.append(part.lower())
    if len(parts) > 1 and all(len(p) == 1 for p in parts):
        # Initialisms: "L.A." is searched as "la".
        forms = ["".join(parts).lower()]
    return forms


def fold_accents(text: str) -> str:
    """``text`` without diacritics: "Céloron" is searched as "Celoron", as people type it."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


# Abbreviations news writing puts before a name or after a place (AP style: "California Atty. Gen.
# Kamala Harris", "Lt. Gov.", "Sen.", "Fresno, Calif."), searched as the words members type: "who is
# the attorney general" finds "Atty. Gen.", as "the AG" does (``bot/data/chat_lexicon.txt``). Only
# written with a capital and a period, so "gen z" or a "rep" in chat is left as typed. States whose
# abbreviation is also a word or a name ("Miss.", "Pa.", "Wash.", "Ill.", "La.", "Ind.", "Mass.") are
# left out. Measured on the article's forty-four development sets: 7 more right passages first and 2
# more among those shown (the article names Harris "Atty. Gen." in one paragraph and "Attorney
# General" in the next, and questions about her title now find either), nothing refused or declined
# that was not before; SQuAD hit@1 and hit@3 unchanged.
NEWS_ABBREVIATIONS: Mapping[str, str] = {
    "Atty": "Attorney",
    "Gen": "General",
    "Gov": "Governor",
    "Lt": "Lieutenant",
    "Sen": "Senator",
    "Rep": "Representative",
    "Reps": "Representatives",
    "Sens": "Senators",
    "Dept": "Department",
    "Dist": "District",
    "Sgt": "Sergeant",
    "Det": "Detective",
    "Capt": "Captain",
    "Cmdr": "Commander",
    "Supt": "Superintendent",
    "Asst": "Assistant",
    "Ala": "Alabama",
    "Ariz": "Arizona",
    "Ark": "Arkansas",
    "Calif": "California",
    "Colo": "Colorado",
    "Conn": "Connecticut",
    "Fla": "Florida",
    "Kan": "Kansas",
    "Mich": "Michigan",
    "Minn": "Minnesota",
    "Neb": "Nebraska",
    "Nev": "Nevada",
    "Okla": "Oklahoma",
    "Tenn": "Tennessee",
    "Wis": "Wisconsin",
    "Wyo": "Wyoming",
}
# An abbreviation is a capitalised word of two to five letters and a period, followed by a space or
# ending the text. Most texts have none: the words before each ". " and the text's last word tell so
# in about a microsecond for a sentence and three for a paragraph, where the pattern would take three
# times as long (paragraphs are read when the index is built, sentences at every search).
_ABBREVIATION_RE = re.compile(r"(?<![^\W\d_])([A-Z][a-z]{1,4})\.(?=\s|$)")
_OPENING_PUNCTUATION = "([{\"'"


def _written_out(match: re.Match[str]) -> str:
    return NEWS_ABBREVIATIONS.get(match.group(1), match.group(0))


def _may_abbreviate(text: str) -> bool:
    """True when a word of ``NEWS_ABBREVIATIONS`` stands before a ". " or a final "." of ``text``."""
    if ". " in text:
        for chunk in text.split(". "):
            if chunk[chunk.rfind(" ") + 1 :].lstrip(_OPENING_PUNCTUATION) in NEWS_ABBREVIATIONS:
                return True
    if not text.endswith("."):
        return False
    return text[text.rfind(" ") + 1 : -1].lstrip(_OPENING_PUNCTUATION) in NEWS_ABBREVIATIONS


def written_short(text: str) -> tuple[str, ...]:
    """The words ``text`` writes short as news abbreviations, written out: ("Attorney", "General")
    for "California Atty. Gen. Kamala Harris"; () for most texts."""
    folded = fold_accents(normalise(text))
    if not _may_abbreviate(folded):
        return ()
    found = (NEWS_ABBREVIATIONS.get(m.group(1)) for m in _ABBREVIATION_RE.finditer(folded))
    return tuple(dict.fromkeys(word for word in found if word is not None))


def writes_out(text: str, full_words: Iterable[str]) -> bool:
    """True when ``text`` writes every one of ``full_words`` in full ("Attorney General")."""
    written = {word.lower() for word in _WORD_RE.findall(normalise(text))}
    return all(word.lower() in written for word in full_words)


def searchable(text: str) -> str:
    """``text`` as it is searched: normalised, accents folded, news abbreviations written out
    ("Atty. Gen." as "Attorney General")."""
    return _write_out(fold_accents(normalise(text)))


def _write_out(folded: str) -> str:
    """Normalised, folded ``folded`` with its news abbreviations written out (itself when none)."""
    return _ABBREVIATION_RE.sub(_written_out, folded) if _may_abbreviate(folded) else folded


def words(text: str) -> list[str]:
    """Lower-case word forms of ``text``, compounds split, stop words kept, not stemmed."""
    text = searchable(text)
    forms: list[str] = []
    for match in _WORD_RE.finditer(text):
        forms.extend(_word_forms(match.group()))
    return forms


def _hyphen_joined(text: str) -> list[str]:
    """Joined forms of hyphenated compounds: "low-level" also gives "lowlevel"."""
    if "-" not in text:
        return []
    joined = []
    for compound in _HYPHENATED_RE.findall(text):
        joined.append(compound.replace("-", "").lower())
    return joined


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of one lower-case word."""
    return str(_stemmer.stemWord(word))


def _lemma_tables() -> tuple[Mapping[str, Mapping[str, tuple[str, ...]]], ...]:
    """lemminflect's lemma and override tables, read directly.

    ``getAllLemmas`` deep-copies its answer on every call, which made indexing a large knowledge base
    spend most of its time copying; the tables themselves are only read here.
    """
    lemmatizer = Lemmatizer()
    return lemmatizer._getLemmaDict(), lemmatizer._getOverridesDict()


def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    global _LEMMA_TABLES
    if _LEMMA_TABLES is None:
        try:
            _LEMMA_TABLES = _lemma_tables()
        except AttributeError:  # A lemminflect without these internals: use the public call.
            _LEMMA_TABLES = ()
    if not _LEMMA_TABLES:
        return dict(getAllLemmas(word))
    lemmas = dict(_LEMMA_TABLES[0].get(word, {}))
    lemmas.update(_LEMMA_TABLES[1].get(word, {}))
    return lemmas


def _irregular_lemma(word: str) -> str | None:
    """The base verb of an irregular form ("said" -> "say", "wrote" -> "write"), else None.

    Stemming cannot join "said" and "say"; lemminflect's tables can. Only words that are nothing but
    a verb form are mapped: "found" (also a verb of its own) and "saw" (also a noun) stay as written.
    """
    lemmas = _lemmas(word)
    verbs = lemmas.get("VERB")
    if not verbs or any(word in forms for forms in lemmas.values()):
        return None
    return str(verbs[0])


# Prepositions and conjunctions lemminflect's lexicon lacks (it holds nouns, verbs, adjectives and
# adverbs, and the function words of other classes only in part): the developer's list of English
# prepositions and subordinating conjunctions, as in any grammar, kept to those the lexicon lacks
# (tests check each). Without them "although baca changed his mind ..." was read as asking about
# *although*, a word naming something the article does not mention.
CLOSED_CLASS_WORDS = frozenset(
    """
    against amid amidst among amongst atop beneath beside despite onto toward towards unto upon
    versus although unless whereas whilst albeit lest
    """.split()
)


# Indefinite and other pronouns lemminflect reads as nouns ("everyone", "nothing", "whatever",
# "others"): a closed class of English that names no thing, so a question holding one is not about
# it. "Is it for everyone or just some ppl" asks about the article's offenders, not about
# *everyone*. Measured on the article's forty-four development sets, the fourth chat set, the five
# off-topic sets and the blind sets from ``holdout48`` on (read as totals): 2 fewer answerable
# questions refused ("does newman think ... one rule for everyone"), 9 fewer told the article does
# not mention one; off-topic and near-topic refusals unchanged; SQuAD unchanged.
PRONOUNS = frozenset(
    """
    everyone everybody everything nobody noone nothing none whoever whatever whichever whomever
    each neither either others another anyone anybody anything someone somebody something
    """.split()
)


def is_dictionary_word(word: str) -> bool:
    """True when lower-case ``word`` is an English word form in lemminflect's lexicon ("powder",
    "sued") or a preposition or conjunction it lacks ("although", ``CLOSED_CLASS_WORDS``); names and
    misspellings ("baca", "sherrif") are not."""
    return bool(_lemmas(word)) or word in CLOSED_CLASS_WORDS


def word_lemmas(word: str) -> dict[str, tuple[str, ...]]:
    """The lemmas of lower-case ``word`` in lemminflect's lexicon by part of speech ("NOUN", "VERB",
    ...): ``{"NOUN": ("saying",), "VERB": ("say",)}``; empty for a word it does not know."""
    return _lemmas(word)


@lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The index term of one lower-case word: its stem, irregular verb forms brought to their base."""
    stemmed = stem(word)
    if word.isalpha() and len(word) > 2:
        lemma = _irregular_lemma(word)
        if lemma is not None and stem(lemma) != stemmed:
            return stem(lemma)
    return stemmed


@lru_cache(maxsize=262144)
def _token_terms(token: str) -> tuple[tuple[str, str], ...]:
    """``(word, term)`` pairs of one written token, stop words left out (cached: words repeat)."""
    return tuple((word, term(word)) for word in _word_forms(token) if word not in STOP_WORDS)


def _written_tokens(normalised: str) -> list[str]:
    """The written tokens of normalised text, as ``_WORD_RE`` finds them."""
    return (_ASCII_WORD_RE if normalised.isascii() else _WORD_RE).findall(normalised)


def search_words(text: str) -> list[tuple[str, str]]:
    """``(word, term)`` pairs of the search tokens of ``text``: stop words out, compounds joined too."""
    normalised = searchable(text)
    found = list(chain.from_iterable(map(_token_terms, _written_tokens(normalised))))
    found.extend((w, term(w)) for w in _hyphen_joined(normalised))
    return found


def joined_compounds(text: str) -> frozenset[str]:
    """The joined forms ``search_words`` adds for the hyphenated compounds of ``text`` ("lowlevel")."""
    return frozenset(_hyphen_joined(searchable(text)))


def search_terms(text: str) -> frozenset[str]:
    """The distinct terms of ``search_words(text)``, found without listing every pair."""
    return _terms_of(searchable(text))


def _terms_of(normalised: str) -> frozenset[str]:
    found = set(chain.from_iterable(map(_token_term_tuple, _written_tokens(normalised))))
    found.update(map(term, _hyphen_joined(normalised)))
    return frozenset(found)


def short_only_terms(text: str) -> frozenset[str]:
    """The search terms ``text`` holds only as news abbreviations written out: {"attorney",
    "general"} for "California Atty. Gen. Kamala Harris"; none for most texts."""
    if not written_short(text):
        return frozenset()
    return search_terms(text) - _terms_of(fold_accents(normalise(text)))


def capitalised_terms(text: str) -> frozenset[str]:
    """The terms of the words ``text`` writes with a capital: names ("TRUST Act", "Los Angeles"), and
    the first word of a sentence."""
    normalised = searchable(text)
    tokens = (token for token in _written_tokens(normalised) if token[0].isupper())
    return frozenset(chain.from_iterable(map(_token_term_tuple, tokens)))


@lru_cache(maxsize=262144)
def _token_term_tuple(token: str) -> tuple[str, ...]:
    """The terms of ``_token_terms(token)``, without their words."""
    return tuple(word_term for _, word_term in _token_terms(token))


_NAME_RUN_RE = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+")


def initialisms(text: str) -> list[tuple[str, str]]:
    """``(initialism, term)`` pairs for the multi-word names in ``text``.

    Articles name an organisation in full once ("National Day Laborer Organizing Network") and readers
    ask with the letters ("what does NDLON stand for", "the LA county sheriff", "the AG"). Every run of
    two to six capitalised words in a run of names gives its initials, so the letters find the words.
    Only passages get these; questions are searched with what was typed.
    """
    return [(letters, letters) for letters in _initials(searchable(text))]


def _initials(normalised: str) -> list[str]:
    """The initialisms of ``normalised`` text (already normalised and accent-folded)."""
    found = []
    for run in _NAME_RUN_RE.findall(normalised):
        names = re.split(r"[ -]", run)
        for start in range(len(names) - 1):
            for end in range(start + 2, min(len(names), start + 6) + 1):
                found.append("".join(name[0] for name in names[start:end]).lower())
    return found


def tokenize(text: str) -> list[str]:
    """Search tokens of ``text``: normalised, case-folded, compounds split, stop words out, stemmed."""
    return [token for _, token in search_words(text)]


@dataclass(frozen=True)
class EncodedTexts:
    """Texts as the index reads them: each text's terms as vocabulary ids, one text after another.

    ``vocabulary`` numbers the terms in order of first occurrence; ``sequence`` holds every text's
    term ids (C ints) and ``lengths`` how many belong to each text (C long longs); ``word_terms`` are
    the distinct ``(word, term)`` pairs, for the speller; ``written_out`` the positions of the texts
    whose news abbreviations were written out (``searchable``).
    """

    vocabulary: dict[str, int]
    sequence: array[int]
    lengths: array[int]
    word_terms: set[tuple[str, str]]
    written_out: tuple[int, ...] = ()

    def terms(self) -> list[list[str]]:
        """Each text's terms, spelled out (for tests and debugging; the index reads the ids)."""
        spelled = list(self.vocabulary)
        found, start = [], 0
        for length in self.lengths:
            found.append([spelled[i] for i in self.sequence[start : start + length]])
            start += length
        return found


class _TermIdsOfTokens(dict[str, tuple[int, ...]]):
    """Written token -> the ids of its terms, filled on first sight; also numbers the terms and
    collects every ``(word, term)`` pair.

    A dict rather than ``_token_terms``' cache: looking a token up with ``dict.__getitem__`` through
    ``map`` costs a fraction of a cached call, which matters over the millions of tokens of a corpus.
    A token's terms are numbered the first time it is read, which is when they first occur (or
    later), so the ids follow the order of first occurrence.
    """

    def __init__(self) -> None:
        super().__init__()
        self.vocabulary: dict[str, int] = {}
        self.word_terms: set[tuple[str, str]] = set()

    def __missing__(self, token: str) -> tuple[int, ...]:
        self.word_terms.update(_token_terms(token))
        ids = self[token] = tuple(map(self.term_id, _token_term_tuple(token)))
        return ids

    def term_id(self, term: str) -> int:
        """The id of ``term``, numbered now if it is new."""
        return self.vocabulary.setdefault(term, len(self.vocabulary))


def encode_texts(texts: Iterable[str]) -> EncodedTexts:
    """The terms of each of ``texts`` with its initialisms, as ids, and the distinct word pairs.

    For each text the terms are those of ``search_words(text) + initialisms(text)``, in that order;
    the pairs are the distinct ones of all of them. Indexing needs only the terms, as ids, and the
    speller only the distinct pairs, so this skips building a pair, or even a term, per token (tests
    check the result against the plain functions).
    """
    table = _TermIdsOfTokens()
    pairs = table.word_terms
    sequence, lengths = array("i"), array("q")
    written_out: list[int] = []
    for position, text in enumerate(texts):
        plain = fold_accents(normalise(text))
        normalised = _write_out(plain)
        if normalised is not plain and normalised != plain:
            written_out.append(position)
        before = len(sequence)
        sequence.extend(chain.from_iterable(map(table.__getitem__, _written_tokens(normalised))))
        for word in _hyphen_joined(normalised):
            word_term = term(word)
            pairs.add((word, word_term))
            sequence.append(table.term_id(word_term))
        for letters in _initials(normalised):
            pairs.add((letters, letters))
            sequence.append(table.term_id(letters))
        lengths.append(len(sequence) - before)
    return EncodedTexts(table.vocabulary, sequence, lengths, pairs, tuple(written_out))
