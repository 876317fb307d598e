"""Direct quotations in the knowledge base, with who said them.

A quotation is the text between double quotation marks, straight (") or curly (“ ”). Single quotes and
apostrophes inside it are part of its text. A quotation left open at the end of a paragraph continues
into the next one when that paragraph opens with a quotation mark (the newspaper convention); one that
never closes is left out of the index and reported by ``quote_problems``.

The speaker comes from the text around the quotation, never from a guess, in this order:

1. an attribution in the sentence right after it: ``"...," Harris said.``, ``"...," said Jane Doe.``
   (not when the quotation ends with a full stop: what follows is a new sentence);
2. an attribution earlier in the sentence that leads into it: ``Harris said: "..."``;
3. when the quotation opens a sentence, an attribution in the sentence just before it in the same
   paragraph: ``"A," Newman told a reporter. "B."`` makes both A and B Newman's.

An attribution is a name (a run of capitalised words) next to a verb of saying ("said", "told",
"added", ... or "according to"). Titles before the name and appositives after it are the speaker's
role: "California Attorney General Kamala Harris said", "Jane Doe, the mayor, said". A bare surname
("Newman said") becomes the full name given in the same document ("Chris Newman"). Pronouns ("he
said") and unnamed sources ("a spokesman said") leave the speaker unknown.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.retrieval.documents import Document
from bot.retrieval.passages import Citation, citation_for
from bot.retrieval.problems import Problem
from bot.retrieval.ranking import BM25Index
from bot.retrieval.spelling import collapse_doubles, within_one_edit
from bot.retrieval.text import STOP_WORDS, collapse_whitespace, normalise, split_sentences, tokenize
from bot.retrieval.text import words as word_forms

SUGGESTION_LIMIT = 25
"""Most speakers offered at once: Discord's limit on autocomplete choices."""

# Lookups cut their input to these lengths: longer text is not a name or a search, and the cut keeps
# the work per lookup bounded.
MAX_SPEAKER_CHARS = 200
MAX_WORDS_CHARS = 2000


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_OPEN_CURLY = "\u201c"
_CLOSE_CURLY = "\u201d"
_STRAIGHT = '"'

# How far an attribution may stretch between a name and its verb, in tokens: far enough for
# "Chris Newman Legal Director at the National Day Laborer Organizing Network (NDLON) told".
_ROLE_TOKENS = 15
_APPOSITIVE_TOKENS = 25
_SNIPPET_CHARS = 40

# Verbs that introduce a quotation after their subject: "Harris said", "Newman told Colorlines.com".
# Verbs that mostly mean something else after a subject ("Baca continued south") are left out.
_SPEECH_VERBS = _word_set(
    """
    said says told tells added adds asked asks explained explains wrote writes stated states noted
    notes replied replies responded responds argued argues insisted insists warned warns recalled
    recalls declared declares announced announces claimed claims remarked commented comments tweeted
    tweets testified testifies acknowledged acknowledges admitted admits conceded concedes countered
    counters observed observes emphasized emphasised stressed stresses urged urges predicted predicts
    called calls promised promises vowed vows complained complains recounted recounts quipped quips
    shouted yelled concluded concludes
    """
)
# Verbs that also come before their subject after a quotation: '"...," said Jane Doe.' ("told" does
# not: in '"...," told Colorlines.com' the name is the listener).
_INVERTED_VERBS = _word_set(
    """
    said says added adds asked asks explained explains wrote writes stated noted notes replied
    replies responded continued continues argued insisted warned recalled declared remarked
    commented countered observed concluded quipped recounted
    """
)
# Words allowed between a speaker and the verb: "Harris later said", "Newman has said".
_ADVERBS = _word_set("also later then once previously recently earlier again has had have would")
# Job titles and their parts: "California Attorney General Kamala Harris" is Kamala Harris, whose role
# is "California Attorney General". Compared lower case, without a final dot.
_TITLE_WORDS = _word_set(
    """
    acting adm admiral advocate agent ambassador analyst assemblyman assemblymember assemblywoman
    assistant associate atty attorney author bishop capt captain cardinal ceo cfo chair chairman
    chairperson chairwoman chancellor chief clerk co-founder coach cofounder col colonel commander
    commissioner comptroller congressman congresswoman controller coo coordinator councilman
    councilmember councilwoman counsel cpl cto dean delegate deputy det detective director economist
    editor executive father founder former gen general gov governor head inspector interim judge
    justice king lawyer leader legal lieutenant lt maj major manager managing marshal mayor minister
    officer organiser organizer pastor pope premier president press prime prince princess principal
    producer professor provost queen rabbi rep representative researcher reverend scientist
    secretary sen senator senior sergeant sgt sheriff sister speaker spokesman spokesperson
    spokeswoman superintendent supervisor supt treasurer trustee undersecretary vice warden
    """
) | _word_set(
    # What a job title's head is the director, manager or officer of ("Policy Director", "Public
    # Relations Manager", "Program Officer"): the fields of the management, business and community
    # service occupations of the US Standard Occupational Classification (SOC 2018, major groups 11,
    # 13 and 21) and the departments of newsrooms, campaigns and advocacy groups. They matter for a
    # bare surname before a role ("Lopez Policy Director at ..."); a full name is split without them.
    # Words that are also common surnames ("Public", "Sales", "Field") are left out.
    """
    administrative advertising advocacy affairs campaign communications community compliance
    creative development digital editorial engineering external finance financial fundraising
    government governmental health human information legislative marketing media operations
    organizing outreach partnerships planning policy political program programs project projects
    promotions purchasing relations research resources services strategy technology training
    """
)
# Forms of address: split off a name like titles, but not a role.
_HONORIFICS = _word_set("mr mrs ms mx miss messrs mme mlle dr prof rev")
# Abbreviations whose final dot does not end a sentence.
_ABBREVIATIONS = _HONORIFICS | _word_set(
    """
    atty gen sen rep gov lt col capt sgt det supt adm maj cpl cmdr jr sr st hon pres asst dep insp
    inc corp ltd bros jan feb apr jun jul aug sep sept oct nov dec
    """
)
# Capitalised words that are never part of a name ("Harris said Tuesday", "In October, NDLON...").
_NOT_NAME_WORDS = _word_set(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march july september
    october november december jan feb sept sep oct nov dec
    """
)
# Capitalised only because they open a sentence: dropped from the front of a run of capitals.
_SENTENCE_OPENERS = _word_set(
    """
    a an the this that these those in on at by for of from to with into after before during since
    until under over through without despite although though because while when whenever if as so
    but and or nor yet then also still only some many more most both each every his her their its our
    my your it he she they we i you meanwhile however later earlier today yesterday tomorrow last next
    here there according
    """
)
# Words after which a name can be the subject of its clause: "and Harris said", "which Newman called".
_CLAUSE_WORDS = _word_set("and but or so which that as while because although though when where then")
_RELATIVE_WORDS = _word_set("who whom whose which that where when")
_ARTICLES = _word_set("the a an")
# What may join the capitalised words of a role written after a name: "Director at the ... Network".
_ROLE_LINKS = _word_set("at of for the to with on in and de")
_ROLE_PUNCTUATION = frozenset("()&")
# Name particles: "Ursula von der Leyen", "Charles de Gaulle".
_PARTICLES = _word_set("de da del della der di du la le van von bin ibn al el dos das ter ten")
# Words of a speaker lookup that are not part of the name: "what did Harris say" is "harris".
_LOOKUP_NOISE = _SPEECH_VERBS | _INVERTED_VERBS | _word_set("say saying quote quotes quoted quoting")

_TOKEN_RE = re.compile(r"[^\W_][\w\u2019'.&-]*|\S")
_INITIALS_RE = re.compile(r"(?:[^\W\d_]\.)+")
_PARENTHESIS_RE = re.compile(r"\s*\([^)]*\)")
_LEADING_ARTICLE_RE = re.compile(r"^(?:the|an|a)\s+", re.IGNORECASE)
_SENTENCE_END_RE = re.compile(r"[.!?][)\]\"'\u2019\u201d]*\s*$")
_SENTENCE_END_CHARS = frozenset(".!?")
_NAME_PART_RE = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class Quote:
    """One direct quotation, word for word, with its speaker when the text names one."""

    speaker: str | None
    role: str | None
    text: str
    doc_id: str
    paragraph: int
    citation: Citation
    quote_id: str

    @property
    def attribution(self) -> str:
        """Who said it, as printed after the quotation: "Kamala Harris, California Attorney General"."""
        if self.speaker is None:
            return "unknown speaker"
        return f"{self.speaker}, {self.role}" if self.role else self.speaker

    def to_json(self) -> dict[str, Any]:
        """The quotation as in the ``quote --json`` contract (``url`` and ``quote_id`` are extra)."""
        return {
            "speaker": self.speaker,
            "role": self.role,
            "text": self.text,
            "citation": str(self.citation),
            "document": self.citation.document,
            "paragraph": self.paragraph,
            "url": self.citation.url,
            "quote_id": self.quote_id,
        }


@dataclass(frozen=True)
class Speaker:
    """Someone quoted in the knowledge base, with how many quotations are theirs."""

    name: str
    role: str | None
    count: int

    def to_json(self) -> dict[str, Any]:
        """``{"name", "role", "count"}``, as printed by ``quote --speakers --json``."""
        return {"name": self.name, "role": self.role, "count": self.count}


@dataclass(frozen=True)
class QuoteLookup:
    """The quotations found for a lookup.

    When a speaker was asked for and does not match exactly one person, ``unknown_speaker`` is what was
    asked and ``speakers`` offers who it could be: the people it matches when it matches several
    (``ambiguous``), everyone quoted (the most quoted first) when it matches nobody.
    """

    quotes: tuple[Quote, ...]
    speaker: Speaker | None = None
    unknown_speaker: str | None = None
    speakers: tuple[Speaker, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class _Token:
    """A word or a punctuation mark of a stretch of text, located by character offsets."""

    text: str
    start: int
    end: int
    key: str
    is_word: bool


@dataclass(frozen=True)
class _Attribution:
    """A name next to a verb of saying, found in a stretch of text around a quotation."""

    name: str
    role: str | None
    start: int
    end: int


@dataclass(frozen=True)
class _Stretch:
    """A quoted stretch of one paragraph, its quotation marks included.

    ``close`` is the index of the closing mark, or None when the stretch runs to ``end`` unclosed.
    """

    open: int
    close: int | None
    end: int


@dataclass
class _Open:
    """A quotation being read: where it opened and its text so far, paragraph by paragraph."""

    first: int
    first_stretch: int
    parts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _RawQuote:
    """A closed quotation located in its document, before attribution.

    ``ends_sentence`` is true when the quotation ends with a full stop ("... California."): the text
    after it is then a new sentence, not its attribution.
    """

    text: str
    ends_sentence: bool
    first: int
    first_stretch: int
    last: int
    last_stretch: int


@dataclass(frozen=True)
class _Scan:
    """The quotation marks of one document: stretches per paragraph, quotations and problems."""

    stretches: tuple[tuple[_Stretch, ...], ...]
    quotes: tuple[_RawQuote, ...]
    problems: tuple[Problem, ...]


def _tokens(text: str) -> list[_Token]:
    """Words and punctuation of ``text``; a final dot is a token of its own unless it abbreviates."""
    found: list[_Token] = []
    for match in _TOKEN_RE.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if not word[0].isalnum():
            found.append(_Token(word, start, end, word, False))
            continue
        bare = word.rstrip(".")
        key = bare.casefold().replace("\u2019", "'")
        if bare != word and key not in _ABBREVIATIONS and not _INITIALS_RE.fullmatch(word):
            found.append(_Token(bare, start, start + len(bare), key, True))
            found.append(_Token(".", start + len(bare), end, ".", False))
        else:
            found.append(_Token(word, start, end, key, True))
    return found


def _is_name_word(token: _Token) -> bool:
    return token.is_word and token.text[0].isupper() and token.key not in _NOT_NAME_WORDS


def _is_possessive(token: _Token) -> bool:
    return token.key.endswith(("'s", "s'"))


def _run_end(tokens: Sequence[_Token], start: int) -> int:
    """The end of the run of capitalised words (and name particles between them) from ``start``."""
    end = start
    while end < len(tokens):
        token = tokens[end]
        if _is_name_word(token):
            end += 1
            continue
        particles = end
        while particles < len(tokens) and tokens[particles].key in _PARTICLES and tokens[particles].is_word:
            particles += 1
        if (
            end == start
            or particles == end
            or particles == len(tokens)
            or not _is_name_word(tokens[particles])
        ):
            break
        end = particles
    return end


def _runs(tokens: Sequence[_Token]) -> list[tuple[int, int]]:
    """Runs of capitalised words, without the sentence openers at their front ("In", "The")."""
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        if not _is_name_word(tokens[i]):
            i += 1
            continue
        end = _run_end(tokens, i)
        start = i
        while start < end and tokens[start].key in _SENTENCE_OPENERS:
            start += 1
        if start < end:
            runs.append((start, end))
        i = end
    return runs


def _is_title(token: _Token) -> bool:
    return token.key in _TITLE_WORDS or token.key in _HONORIFICS


def _is_initial(token: _Token) -> bool:
    """A middle initial ("Q.", "J.R.") or a single capital letter."""
    return bool(_INITIALS_RE.fullmatch(token.text)) or (len(token.text) == 1 and token.text.isupper())


def _name_before_role(tokens: Sequence[_Token], start: int, role: int) -> tuple[int, int] | None:
    """The name in ``tokens[start:role]`` when a role follows it ("... Policy Director at ...").

    Titles before the name are skipped ("California Attorney General Kamala Harris ..."). A person
    is named by a given name and a surname, with initials and particles between ("John Q. Public",
    "Ana de la Cruz"): capitalised words after those two already belong to the role, whatever they
    are ("Maria Lopez Policy Director", "Jane Doe Communications Director"), so the split does not
    depend on every word of every job title being listed. A title word after one name word ends a
    bare surname ("Newman Legal Director").
    """
    name_start = start
    words = 0
    name_end = start
    for k in range(start, role):
        token = tokens[k]
        if _is_title(token) and words < 2 and not (words and all(_is_title(t) for t in tokens[k:role])):
            # A title before the name: the name starts after it.
            name_start, words, name_end = k + 1, 0, k + 1
            continue
        if _is_title(token) or words == 2:
            break
        if token.key not in _PARTICLES and not _is_initial(token):
            words += 1
        name_end = k + 1
    while name_end > name_start and (
        tokens[name_end - 1].key in _PARTICLES or _is_initial(tokens[name_end - 1])
    ):
        name_end -= 1
    return (name_start, name_end) if words else None


def _split_run(tokens: Sequence[_Token], start: int, end: int) -> tuple[int, int] | None:
    """Where the name is in a run of capitals, or None when the run names nobody.

    Titles before the name are its role: "California Attorney General Kamala Harris" is Kamala
    Harris. Titles after it are a role only when more of the role follows ("Chris Newman Legal
    Director at ..."; see ``_name_before_role``); otherwise one title word after a name is a surname
    ("Carole King", "John Major") and more than one means there is no name ("California Attorney
    General said"). A possessive ends what comes before it: "NDLON's Chris Newman" is Chris Newman,
    "Baca's" no one.
    """
    trailing = 0
    while trailing < end - start and _is_title(tokens[end - 1 - trailing]):
        trailing += 1
    following = tokens[end] if end < len(tokens) else None
    continues = (
        following is not None
        and following.is_word
        and following.text[0].islower()
        and following.key not in _SPEECH_VERBS
    )
    if trailing and continues and trailing < end - start:
        split = _name_before_role(tokens, start, end)
        if split is None:
            return None
        name_start, name_end = split
    else:
        if trailing > 1 or (trailing and trailing == end - start):
            return None
        name_end = end
        name_start = name_end - 1
        while name_start > start and not _is_title(tokens[name_start - 1]):
            name_start -= 1
    for k in range(name_end - 1, name_start - 1, -1):
        if _is_possessive(tokens[k]):
            name_start = k + 1
            break
    if name_start >= name_end:
        return None
    return name_start, name_end


def _span(text: str, tokens: Sequence[_Token], start: int, end: int) -> str:
    """The text of ``tokens[start:end]`` as written."""
    return text[tokens[start].start : tokens[end - 1].end]


def _clean_role(text: str) -> str | None:
    """A role as shown: without parenthesised abbreviations ("(NDLON)"), edge punctuation or article."""
    text = collapse_whitespace(_PARENTHESIS_RE.sub("", text)).strip(" ,;:-\u2013\u2014")
    text = _LEADING_ARTICLE_RE.sub("", text)
    return text or None


def _prefix_role(text: str, tokens: Sequence[_Token], start: int, name_start: int) -> str | None:
    """The title before a name ("California Attorney General"), forms of address left out."""
    while start < name_start and tokens[start].key in _HONORIFICS:
        start += 1
    if start >= name_start:
        return None
    return _clean_role(_span(text, tokens, start, name_start))


def _appositive_role(text: str, tokens: Sequence[_Token], start: int, end: int) -> str | None:
    """The role in an appositive (", the mayor of Springfield,"), or None for a clause or an age."""
    if start >= end or not tokens[start].is_word:
        return None
    first = tokens[start]
    if first.key in _RELATIVE_WORDS or not first.text[0].isalpha():
        return None
    if first.text[0].islower() and first.key not in _ARTICLES and first.key not in _TITLE_WORDS:
        return None
    return _clean_role(_span(text, tokens, start, end))


def _join_roles(*roles: str | None) -> str | None:
    found = [role for role in roles if role]
    return ", ".join(found) or None


def _verb_length(tokens: Sequence[_Token], i: int, verbs: frozenset[str]) -> int:
    """How many tokens the verb of saying at ``i`` takes (0 when there is none)."""
    if i >= len(tokens) or not tokens[i].is_word:
        return 0
    if tokens[i].key in verbs:
        return 1
    according = verbs is _INVERTED_VERBS and tokens[i].key == "according"
    return 2 if according and i + 1 < len(tokens) and tokens[i + 1].key == "to" else 0


def _skip_adverbs(tokens: Sequence[_Token], i: int) -> int:
    while i < len(tokens) and tokens[i].is_word:
        token = tokens[i]
        if token.key in _ADVERBS or (token.text.islower() and token.key.endswith("ly")):
            i += 1
        else:
            break
    return i


def _skip_parenthesis(tokens: Sequence[_Token], i: int) -> int:
    """The index after a short parenthesis at ``i`` ("Jane Doe (D-Calif.) said"), else ``i``."""
    if i < len(tokens) and tokens[i].text == "(":
        for k in range(i + 1, min(len(tokens), i + 8)):
            if tokens[k].text == ")":
                return k + 1
    return i


def _opens_clause(tokens: Sequence[_Token], start: int) -> bool:
    """True when a name at ``start`` can be a subject: "Harris said", not "people who know Harris said"."""
    if start == 0 or not tokens[start - 1].is_word:
        return True
    before = tokens[start - 1]
    if before.key in _ARTICLES:
        # "The Los Angeles County Sheriff said" describes someone; it does not name them.
        return False
    return before.key in _CLAUSE_WORDS or (before.text[0].isupper() and before.key in _SENTENCE_OPENERS)


def _role_tail_end(tokens: Sequence[_Token], start: int) -> int:
    """Where a role written after a name ends: "Legal Director at the National ... (NDLON)"."""
    end = start
    while end < min(len(tokens), start + _ROLE_TOKENS):
        token = tokens[end]
        linking = token.is_word and (token.text[0].isupper() or token.key in _ROLE_LINKS)
        if not linking and token.text not in _ROLE_PUNCTUATION:
            break
        end += 1
    return end


def _subject_attribution(text: str, tokens: Sequence[_Token], start: int, end: int) -> _Attribution | None:
    """An attribution whose speaker is the subject: "Harris said", "Jane Doe, the mayor, said"."""
    split = _split_run(tokens, start, end) if _opens_clause(tokens, start) else None
    if split is None:
        return None
    name_start, name_end = split
    prefix = _prefix_role(text, tokens, start, name_start)
    suffix: str | None = None
    if name_end < end:
        # Titles follow the name ("Chris Newman Legal Director at ..."): the role runs to the verb.
        stop = _role_tail_end(tokens, end)
        suffix = _clean_role(_span(text, tokens, name_end, stop))
        i = stop
    else:
        i = _skip_parenthesis(tokens, end)
        if i < len(tokens) and tokens[i].text == ",":
            close = _appositive_end(tokens, i)
            if close is None:
                return None
            suffix = _appositive_role(text, tokens, i + 1, close)
            i = close + 1
    i = _skip_adverbs(tokens, i)
    if not _verb_length(tokens, i, _SPEECH_VERBS):
        return None
    return _Attribution(
        _span(text, tokens, name_start, name_end),
        _join_roles(prefix, suffix),
        tokens[start].start,
        tokens[i].end,
    )


def _appositive_end(tokens: Sequence[_Token], comma: int) -> int | None:
    """The comma closing an appositive opened at ``comma`` when a verb of saying follows it."""
    for k in range(comma + 1, min(len(tokens), comma + 1 + _APPOSITIVE_TOKENS)):
        if tokens[k].text in _SENTENCE_END_CHARS or tokens[k].text in ";:":
            return None
        if tokens[k].text == "," and _verb_length(tokens, _skip_adverbs(tokens, k + 1), _SPEECH_VERBS):
            return k
    return None


def _inverted_attribution(text: str, tokens: Sequence[_Token], verb: int) -> _Attribution | None:
    """An attribution with the verb first: "said Jane Doe, the mayor", "according to Harris"."""
    length = _verb_length(tokens, verb, _INVERTED_VERBS)
    if not length:
        return None
    if tokens[verb].key != "according" and verb > 0 and tokens[verb - 1].is_word:
        return None
    start = verb + length
    if start >= len(tokens) or not _is_name_word(tokens[start]):
        return None
    end = _run_end(tokens, start)
    split = _split_run(tokens, start, end)
    if split is None:
        return None
    name_start, name_end = split
    prefix = _prefix_role(text, tokens, start, name_start)
    suffix: str | None = None
    last = end
    if name_end < end:
        last = _role_tail_end(tokens, end)
        suffix = _clean_role(_span(text, tokens, name_end, last))
    elif end < len(tokens) and tokens[end].text == ",":
        limit = min(len(tokens), end + 1 + _APPOSITIVE_TOKENS)
        last = next((k for k in range(end + 1, limit) if tokens[k].text in ",;:.!?"), limit)
        suffix = _appositive_role(text, tokens, end + 1, last)
    return _Attribution(
        _span(text, tokens, name_start, name_end),
        _join_roles(prefix, suffix),
        tokens[verb].start,
        tokens[max(last, end) - 1].end,
    )


def _attributions(text: str) -> list[_Attribution]:
    """Every attribution in ``text``, in reading order; one found inside another is left out."""
    tokens = _tokens(text)
    found = [a for s, e in _runs(tokens) if (a := _subject_attribution(text, tokens, s, e)) is not None]
    found.extend(a for v in range(len(tokens)) if (a := _inverted_attribution(text, tokens, v)) is not None)
    kept: list[_Attribution] = []
    for attribution in sorted(found, key=lambda a: (a.start, -a.end)):
        if not kept or attribution.start >= kept[-1].end:
            kept.append(attribution)
    return kept


def _sentences(text: str) -> list[str]:
    # Sentence splitting is slow; a stretch without a sentence end is one sentence.
    if not any(ch in _SENTENCE_END_CHARS for ch in text):
        return [text.strip()] if text.strip() else []
    return split_sentences(text)


def _attribute(before: str, after: str, ends_sentence: bool) -> _Attribution | None:
    """The attribution of a quotation from the text before and after it in its paragraphs."""
    following = [] if ends_sentence else _sentences(after)
    if following:
        found = _attributions(following[0])
        if found:
            return found[0]
    preceding = _sentences(before)
    if not preceding:
        return None
    found = _attributions(preceding[-1])
    if not found:
        return None
    # A quotation that opens its sentence belongs to the speaker the previous sentence opens with;
    # one inside a sentence belongs to the nearest speaker before it.
    return found[0] if _SENTENCE_END_RE.search(before) else found[-1]


def _scan_paragraph(text: str) -> tuple[list[_Stretch], list[int]]:
    """The quoted stretches of one paragraph and the positions of stray closing marks.

    A straight mark closes a quotation opened by a straight mark; a curly quotation only closes with
    a curly mark, so straight marks inside it are text. A curly opening mark inside an open curly
    quotation means the open one was never closed.
    """
    stretches: list[_Stretch] = []
    stray: list[int] = []
    opened: int | None = None
    curly = False
    for i, char in enumerate(text):
        if char == _OPEN_CURLY:
            if opened is not None and not curly:
                continue
            if opened is not None:
                stretches.append(_Stretch(opened, None, i))
            opened, curly = i, True
        elif char == _CLOSE_CURLY:
            if opened is None:
                stray.append(i)
            else:
                stretches.append(_Stretch(opened, i, i + 1))
                opened = None
        elif char == _STRAIGHT:
            if opened is None:
                opened, curly = i, False
            elif not curly:
                stretches.append(_Stretch(opened, i, i + 1))
                opened = None
    if opened is not None:
        stretches.append(_Stretch(opened, None, len(text)))
    return stretches, stray


def _inner(text: str, stretch: _Stretch) -> str:
    return text[stretch.open + 1 : stretch.close if stretch.close is not None else stretch.end].strip()


def _snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET_CHARS else text[:_SNIPPET_CHARS].rstrip() + "\u2026"


def _scan(document: Document) -> _Scan:
    """Find the quotations of ``document``, following those that run on into the next paragraph."""
    all_stretches: list[tuple[_Stretch, ...]] = []
    quotes: list[_RawQuote] = []
    problems: list[Problem] = []
    paragraphs = document.paragraphs

    def unclosed(quote: _Open) -> Problem:
        paragraph = paragraphs[quote.first]
        stretch = all_stretches[quote.first][quote.first_stretch]
        opening = paragraph.text[stretch.open : stretch.end]
        return Problem(
            document.path,
            paragraph.line,
            f"quotation mark opened in paragraph {paragraph.number} is never closed: {_snippet(opening)}",
            "warning",
        )

    carried: _Open | None = None
    for p, paragraph in enumerate(paragraphs):
        text = paragraph.text
        found, stray = _scan_paragraph(text)
        all_stretches.append(tuple(found))
        for position in stray:
            problems.append(
                Problem(
                    document.path,
                    paragraph.line,
                    f"closing quotation mark with no opening one in paragraph {paragraph.number}: "
                    f"{_snippet(text[max(0, position - _SNIPPET_CHARS) : position + 1])}",
                    "warning",
                )
            )
        for s, stretch in enumerate(found):
            if carried is not None and s == 0 and stretch.open == 0:
                current = carried
            else:
                if carried is not None:
                    problems.append(unclosed(carried))
                current = _Open(p, s)
            carried = None
            current.parts.append(_inner(text, stretch))
            if stretch.close is not None:
                joined = " ".join(part for part in current.parts if part)
                ends_sentence = joined.rstrip(" '\u2019").endswith((".", "\u2026"))
                # The comma before an attribution ('... priorities," Harris said') is not quoted speech.
                joined = joined.rstrip(", ")
                if joined:
                    quotes.append(
                        _RawQuote(joined, ends_sentence, current.first, current.first_stretch, p, s)
                    )
            elif stretch.end == len(text):
                carried = current
            else:
                problems.append(unclosed(current))
        if carried is not None and not found:
            problems.append(unclosed(carried))
            carried = None
    if carried is not None:
        problems.append(unclosed(carried))
    return _Scan(tuple(all_stretches), tuple(quotes), tuple(problems))


def _gaps(text: str, stretches: Sequence[_Stretch]) -> list[tuple[int, str]]:
    """The unquoted stretches of a paragraph, with their offsets."""
    gaps: list[tuple[int, str]] = []
    position = 0
    for stretch in stretches:
        gaps.append((position, text[position : stretch.open]))
        position = stretch.end
    gaps.append((position, text[position:]))
    return gaps


class _People:
    """The names given in one document, to complete bare surnames and find roles."""

    def __init__(self) -> None:
        self.full_names: list[tuple[tuple[int, int], str]] = []
        self.speaking_roles: dict[str, str] = {}
        self.title_roles: dict[str, str] = {}

    def read(self, paragraph: int, offset: int, text: str) -> None:
        """Note the names in ``text``, found at ``offset`` in paragraph ``paragraph``."""
        tokens = _tokens(text)
        for start, end in _runs(tokens):
            split = _split_run(tokens, start, end)
            if split is None:
                continue
            name_start, name_end = split
            name = _span(text, tokens, name_start, name_end)
            if name_end - name_start > 1:
                self.full_names.append(((paragraph, offset + tokens[name_start].start), name))
            role = _prefix_role(text, tokens, start, name_start)
            if role:
                self.title_roles.setdefault(name, role)
        for attribution in _attributions(text):
            if attribution.role:
                self.speaking_roles.setdefault(attribution.name, attribution.role)

    def full_name(self, name: str, position: tuple[int, int]) -> str:
        """``name`` completed when it is a bare surname given in full once (earlier, else later)."""
        if len(name.split()) > 1:
            return name
        key = name.casefold()
        found = [(at, full) for at, full in self.full_names if full.split()[-1].casefold() == key]
        if not found:
            return name
        earlier = {full for at, full in found if at < position}
        candidates = earlier or {full for _, full in found}
        # Two people with the surname ("Jane Doe met John Doe"): which one is meant is not said.
        return candidates.pop() if len(candidates) == 1 else name

    def role(self, *names: str) -> str | None:
        """The role given for the first of ``names`` that has one, preferring roles given with a quote."""
        for roles in (self.speaking_roles, self.title_roles):
            for name in names:
                if name in roles:
                    return roles[name]
        return None


def document_quotes(document: Document) -> list[Quote]:
    """The direct quotations of ``document`` in reading order, attributed where the text allows."""
    scan = _scan(document)
    paragraphs = document.paragraphs
    people = _People()
    for p, paragraph in enumerate(paragraphs):
        for offset, gap in _gaps(paragraph.text, scan.stretches[p]):
            people.read(p, offset, gap)
    quotes: list[Quote] = []
    for number, raw in enumerate(scan.quotes, start=1):
        first, last = paragraphs[raw.first], paragraphs[raw.last]
        first_stretches, last_stretches = scan.stretches[raw.first], scan.stretches[raw.last]
        opening = first_stretches[raw.first_stretch]
        closing = last_stretches[raw.last_stretch]
        before_start = first_stretches[raw.first_stretch - 1].end if raw.first_stretch > 0 else 0
        after_end = (
            last_stretches[raw.last_stretch + 1].open
            if raw.last_stretch + 1 < len(last_stretches)
            else len(last.text)
        )
        attribution = _attribute(
            first.text[before_start : opening.open], last.text[closing.end : after_end], raw.ends_sentence
        )
        speaker: str | None = None
        role: str | None = None
        if attribution is not None:
            speaker = people.full_name(attribution.name, (raw.last, closing.end))
            role = attribution.role or people.role(speaker, attribution.name)
        quotes.append(
            Quote(
                speaker=speaker,
                role=role,
                text=raw.text,
                doc_id=document.doc_id,
                paragraph=first.number,
                citation=citation_for(document, first.number),
                quote_id=f"{document.doc_id}:q{number}",
            )
        )
    return quotes


def quote_problems(documents: Iterable[Document]) -> list[Problem]:
    """Warnings for quotation marks that never close (or close without opening), as ``file:line``."""
    return [problem for document in documents for problem in _scan(document).problems]


def _close_to(typed: str, word: str) -> bool:
    """True when ``typed`` is ``word`` with one slip: "newmann", "haris" (not the first letter)."""
    if len(typed) < 4 or typed[0] != word[0]:
        return False
    return within_one_edit(collapse_doubles(typed), collapse_doubles(word))


class QuoteIndex:
    """The direct quotations of a set of documents, looked up by speaker and by words."""

    def __init__(self, documents: Sequence[Document]) -> None:
        self.documents: tuple[Document, ...] = tuple(documents)
        self.quotes: tuple[Quote, ...] = tuple(q for d in self.documents for q in document_quotes(d))
        self._index = BM25Index([tokenize(q.text) for q in self.quotes]) if self.quotes else None
        counts = Counter(q.speaker for q in self.quotes if q.speaker is not None)
        roles: dict[str, str] = {}
        for quote in self.quotes:
            if quote.speaker is not None and quote.role:
                roles.setdefault(quote.speaker, quote.role)
        self._speakers = tuple(
            sorted(
                (Speaker(name, roles.get(name), count) for name, count in counts.items()),
                key=lambda s: (-s.count, s.name.casefold(), s.name),
            )
        )
        self._speaker_words = {s.name: word_forms(s.name) for s in self._speakers}
        self._role_words = {s.name: set(word_forms(s.role)) for s in self._speakers if s.role}

    def speakers(self) -> list[Speaker]:
        """Everyone quoted, the most quoted first, then by name."""
        return list(self._speakers)

    def _candidates(self, text: str) -> list[Speaker]:
        """The speakers ``text`` may mean, from the closest kind of match that finds any."""
        # A name exactly as listed (an autocomplete choice) is that speaker, whatever its words are.
        key = normalise(text[:MAX_SPEAKER_CHARS]).casefold().strip()
        exact = [s for s in self._speakers if normalise(s.name).casefold() == key]
        if exact:
            return exact
        typed = [
            w for w in word_forms(text[:MAX_SPEAKER_CHARS]) if w not in STOP_WORDS and w not in _LOOKUP_NOISE
        ]
        names = [w for w in typed if w not in _TITLE_WORDS and w not in _HONORIFICS] or typed
        if not names:
            return []
        tests: list[Callable[[list[str]], bool]] = [
            lambda known: known == names,
            lambda known: all(w in known for w in names),
            lambda known: all(len(w) >= 3 and any(k.startswith(w) for k in known) for w in names),
            lambda known: all(any(_close_to(w, k) for k in known) for w in names),
        ]
        for test in tests:
            found = [s for s in self._speakers if test(self._speaker_words[s.name])]
            if found:
                return found
        # "the attorney general": a role, when nobody is called that.
        return [
            s for s in self._speakers if s.name in self._role_words and set(typed) <= self._role_words[s.name]
        ]

    def match_speaker(self, text: str) -> str | None:
        """The quoted speaker ``text`` names ("newman", "Harris said", "Kamala Harris"), if exactly one."""
        found = self._candidates(text)
        return found[0].name if len(found) == 1 else None

    def suggest_speakers(self, prefix: str, limit: int = SUGGESTION_LIMIT) -> list[Speaker]:
        """Speakers for autocomplete whose name contains ``prefix``, case ignored.

        Names with a part starting with ``prefix`` come first; an empty prefix offers the most quoted.
        """
        key = normalise(prefix).casefold().strip()
        limit = max(0, limit)
        if not key:
            return list(self._speakers[:limit])
        ranked: list[tuple[int, Speaker]] = []
        for speaker in self._speakers:
            name = normalise(speaker.name).casefold()
            if name.startswith(key) or any(part.startswith(key) for part in _NAME_PART_RE.split(name)):
                ranked.append((0, speaker))
            elif key in name:
                ranked.append((1, speaker))
        ranked.sort(key=lambda entry: entry[0])
        return [speaker for _, speaker in ranked[:limit]]

    def find(
        self,
        speaker: str | None = None,
        words: str | None = None,
        limit: int | None = None,
        *,
        terms: Sequence[str] | None = None,
    ) -> QuoteLookup:
        """Quotations by ``speaker`` and/or matching ``words``.

        With words, the quotations are ranked by BM25 on their text and those sharing no word are left
        out; without, they come in document order. Words that leave no searchable token ("the", "???",
        an emoji) match nothing, like any other words no quotation has. ``terms`` are words already
        read as index terms (a question's, with their synonyms): ranked as words are. A speaker that
        does not match exactly one person gives no quotations and suggestions.
        """
        matched: Speaker | None = None
        order = list(range(len(self.quotes)))
        if speaker is not None and speaker.strip():
            candidates = self._candidates(speaker)
            if len(candidates) != 1:
                suggestions = candidates or list(self._speakers)
                return QuoteLookup(
                    (),
                    unknown_speaker=speaker.strip()[:MAX_SPEAKER_CHARS],
                    speakers=tuple(suggestions[:SUGGESTION_LIMIT]),
                    ambiguous=len(candidates) > 1,
                )
            matched = candidates[0]
            order = [i for i, q in enumerate(self.quotes) if q.speaker == matched.name]
        if terms is None and words is not None and words.strip():
            terms = tokenize(words[:MAX_WORDS_CHARS])
        if terms is not None:
            if not terms or self._index is None:
                order = []
            else:
                scores = self._index.matched_scores(terms)
                allowed = set(order)
                ranked = self._index.top(scores, self._index.size).indices
                order = [i for i in ranked if i in allowed and scores[i] > 0]
        if limit is not None:
            order = order[: max(0, limit)]
        return QuoteLookup(tuple(self.quotes[i] for i in order), speaker=matched)
