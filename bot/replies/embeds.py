"""Retrieval results as Discord embeds: pure functions, within Discord's limits by construction.

Every text that reaches an embed goes through ``clip`` with the limit of the place it goes, and the
total of an embed is checked against Discord's 6000-character ceiling before it is returned.
Passage and quotation text is escaped, so an asterisk in an article cannot break the formatting and
a ``@everyone`` in a question is shown, not announced (the bot also sends with no allowed mentions).
"""

from __future__ import annotations

import discord

from bot.replies.notes import answer_notes, unheard_note
from bot.retrieval.documents import Document, format_date
from bot.retrieval.knowledge_base import Hit, SearchResult
from bot.retrieval.live import KnowledgeSnapshot, RefreshOutcome
from bot.retrieval.passages import Citation
from bot.retrieval.quotes import Quote, QuoteLookup

CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_COUNT_LIMIT = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000

PASSAGES_PER_PAGE = 3
ANSWER_COLOUR = discord.Colour.blurple()
NO_ANSWER_COLOUR = discord.Colour.light_grey()
QUOTE_COLOUR = discord.Colour.gold()
ERROR_COLOUR = discord.Colour.red()
OK_COLOUR = discord.Colour.green()

ELLIPSIS = "…"

NOT_COVERED = (
    "The article doesn't seem to cover that. Try rephrasing with words the article might use, "
    "or use `/quote` to look up what someone in it said."
)
EMPTY_QUESTION = (
    'Ask me a question about the article, for example: "Who filed a lawsuit against Sheriff Baca?"'
)


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, on a word boundary where possible, with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def escape(text: str) -> str:
    """Discord markdown and mentions in ``text`` shown literally."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(text))


def _escaped_end(text: str, limit: int) -> str:
    """The end of ``text``, escaped, within ``limit`` characters, starting with "…" when cut.

    The raw text is cut before escaping, so a cut never separates a backslash from the character it
    escapes (which would turn a literal "*" back into markdown).
    """
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    room = limit - len(ELLIPSIS)
    low, high = 0, min(len(text), room)
    while low < high:  # the longest raw ending whose escaped form fits
        middle = (low + high + 1) // 2
        if len(escape(text[len(text) - middle :])) <= room:
            low = middle
        else:
            high = middle - 1
    ending = text[len(text) - low :] if low else ""
    space = ending.find(" ")
    if 0 <= space < len(ending) // 2:
        ending = ending[space + 1 :]
    return ELLIPSIS + escape(ending)


def _passage_markdown(hit: Hit, limit: int) -> str:
    """The passage, escaped, with its best sentence in bold, within ``limit`` characters."""
    text = hit.passage.text
    sentence = hit.best_sentence
    start = text.find(sentence) if sentence else -1
    if start < 0:
        return clip(escape(text), limit)
    before, after = text[:start], text[start + len(sentence) :]
    bold = f"**{escape(sentence)}**"
    whole = escape(before) + bold + escape(after)
    if len(whole) <= limit:
        return whole
    # Too long: keep the answering sentence whole if it fits, and as much context as remains.
    if len(bold) + 2 * len(ELLIPSIS) >= limit:
        return clip(escape(sentence), limit - 4).join(("**", "**"))
    room = limit - len(bold)
    head = _escaped_end(before, room // 2) if before else ""
    tail = clip(escape(after), room - len(head)) if after else ""
    return head + bold + tail


def citation_line(hit: Hit, limit: int = FIELD_VALUE_LIMIT // 2) -> str:
    """The citation under a passage, "— *Title*, paragraph 4 · Colorlines", linked when it can be."""
    return "— " + _cited(hit.passage.citation, limit - 2)


def _cited(citation: Citation, limit: int) -> str:
    """A citation as markdown, with a ``[source](<url>)`` link, within ``limit`` characters.

    Titles, sources and URLs come from files anyone with /kb add can write: each is bounded, and the
    link is left out rather than cut when it would not fit.
    """
    text = f"*{clip(escape(citation.document), 200)}*, {citation.location}"
    if citation.source:
        text += f" · {clip(escape(citation.source), 100)}"
    link = f" · [source](<{citation.url}>)" if citation.url else ""
    if len(text) + len(link) <= limit:
        return text + link
    return clip(text, limit)


def _footer(document: Document | None, page: int, pages: int) -> str:
    parts = []
    if document is not None:
        if document.source:
            parts.append(document.source)
        if document.published:
            parts.append(format_date(document.published))
    if pages > 1:
        parts.append(f"page {page + 1} of {pages}")
    return clip(" · ".join(parts) or "From the knowledge base", FOOTER_LIMIT)


def question_title(question: str) -> str:
    """The asker's words as an embed title: escaped like any other text, cut to the title limit."""
    return clip(escape(" ".join(question.split())) or "Your question", TITLE_LIMIT)


def page_count(result: SearchResult, per_page: int = PASSAGES_PER_PAGE) -> int:
    """How many pages of passages ``result`` fills."""
    return max(1, -(-len(result.hits) // per_page))


def answer_embed(
    result: SearchResult,
    document: Document | None = None,
    page: int = 0,
    per_page: int = PASSAGES_PER_PAGE,
) -> discord.Embed:
    """One page of an answer: its first passage in the description, the next ones as fields."""
    if not result.answered:
        return no_answer_embed(result.question, unheard_note(result, escape))
    pages = page_count(result, per_page)
    page = max(0, min(page, pages - 1))
    hits = result.hits[page * per_page : (page + 1) * per_page]
    first, others = hits[0], hits[1:]
    citation = citation_line(first)
    notes = "".join(f"{clip(note, 400)}\n\n" for note in answer_notes(result, escape))
    body_limit = DESCRIPTION_LIMIT - len(notes) - len(citation) - 2
    embed = discord.Embed(
        title=question_title(result.question),
        description=f"{notes}{_passage_markdown(first, min(body_limit, 1800))}\n\n{citation}",
        colour=ANSWER_COLOUR,
        url=first.passage.citation.url,
    )
    for hit in others:
        line = citation_line(hit)
        value_limit = FIELD_VALUE_LIMIT - len(line) - 1
        embed.add_field(
            name=clip(f"Also relevant: {hit.passage.citation.location}", FIELD_NAME_LIMIT),
            value=f"{_passage_markdown(hit, min(value_limit, 700))}\n{line}",
            inline=False,
        )
    embed.set_footer(text=_footer(document, page, pages))
    return fit(embed)


def no_answer_embed(question: str, reason: str | None = None) -> discord.Embed:
    """The friendly "not covered" answer, never a random passage; ``reason`` says why, when the
    knowledge base knows ("The article mentions *ICE*, but doesn't report ... from *ICE*.")."""
    embed = discord.Embed(
        title=question_title(question),
        description=clip(reason, DESCRIPTION_LIMIT) if reason else NOT_COVERED,
        colour=NO_ANSWER_COLOUR,
    )
    return embed


def quotes_embed(lookup: QuoteLookup, speaker: str | None, words: str | None) -> discord.Embed:
    """Quotations found, or why none were, within one embed."""
    if lookup.speaker is not None:
        speaker = lookup.speaker.name  # "newman" was typed; "Chris Newman" is who was found
    asked = [f"by {speaker}" if speaker else "", f'matching "{words}"' if words else ""]
    wanted = " ".join(part for part in asked if part)
    title = clip(escape(f"Quotes {wanted}" if wanted else "Quotes in the knowledge base"), TITLE_LIMIT)
    if lookup.unknown_speaker is not None:
        known = ", ".join(f"{s.name} ({s.count})" for s in lookup.speakers[:20]) or "nobody yet"
        typed = escape(lookup.unknown_speaker)
        if lookup.ambiguous:
            description = f"{typed} could be several people: {escape(known)}. Give the full name."
        else:
            description = f"Nobody called {typed} is quoted. People quoted: {escape(known)}."
        return fit(
            discord.Embed(title=title, description=clip(description, DESCRIPTION_LIMIT), colour=QUOTE_COLOUR)
        )
    if not lookup.quotes:
        hint = "Try fewer or other words, or pick a speaker from the list as you type."
        return discord.Embed(title=title, description=f"No quotation matched. {hint}", colour=QUOTE_COLOUR)
    blocks: list[str] = []
    used = 0
    for quote in lookup.quotes:
        block = _quote_block(quote)
        if used + len(block) + 2 > DESCRIPTION_LIMIT - 40:
            break
        blocks.append(block)
        used += len(block) + 2
    if len(blocks) < len(lookup.quotes):
        blocks.append(f"…and {len(lookup.quotes) - len(blocks)} more: narrow the search.")
    embed = discord.Embed(title=title, description="\n\n".join(blocks), colour=QUOTE_COLOUR)
    embed.set_footer(text=f"{len(lookup.quotes)} quotation(s)")
    return fit(embed)


def _quote_block(quote: Quote) -> str:
    """One quotation with who said it and where: at most about 2000 characters, so several fit."""
    who = escape(quote.speaker) if quote.speaker else "speaker not named"
    if quote.role:
        who += f", {escape(quote.role)}"
    text = clip(escape(quote.text), 1500)
    return f"> “{text}”\n— **{clip(who, 200)}** ({_cited(quote.citation, 300)})"


def status_embed(snapshot: KnowledgeSnapshot, last: RefreshOutcome | None) -> discord.Embed:
    """What the bot answers from: counts, when and by whom the index was built, the last refresh."""
    built = int(snapshot.built_at.timestamp())
    embed = discord.Embed(title="Knowledge base", colour=OK_COLOUR)
    embed.add_field(name="Documents", value=str(len(snapshot.documents)))
    embed.add_field(name="Passages", value=str(len(snapshot.knowledge_base.passages)))
    embed.add_field(name="Quotes", value=str(len(snapshot.quotes.quotes)))
    embed.add_field(
        name="Index built",
        value=clip(f"<t:{built}:R> by {escape(snapshot.built_by)} in {snapshot.build_seconds:.2f} s", 1024),
        inline=False,
    )
    if last is not None:
        embed.add_field(
            name="Last refresh", value=clip(escape(last.summary()), FIELD_VALUE_LIMIT), inline=False
        )
    if snapshot.warnings:
        text = "\n".join(escape(str(p)) for p in snapshot.warnings[:10])
        embed.add_field(name="Warnings", value=clip(text, FIELD_VALUE_LIMIT), inline=False)
    return fit(embed)


def documents_embed(snapshot: KnowledgeSnapshot) -> discord.Embed:
    """The documents of the knowledge base: title, source, date, passages, file in the knowledge folder."""
    counts: dict[str, int] = {}
    for passage in snapshot.knowledge_base.passages:
        counts[passage.doc_id] = counts.get(passage.doc_id, 0) + 1
    lines = []
    for document in snapshot.documents:
        parts = [f"**{escape(document.title)}**"]
        if document.source:
            parts.append(escape(document.source))
        if document.published:
            parts.append(document.published.isoformat())
        parts.append(f"{counts.get(document.doc_id, 0)} passages")
        # The file's path in the knowledge folder, as a code span: a backtick in it would end the span.
        file_name = document.name.replace("`", "'")
        lines.append(" · ".join(parts) + f" (`{file_name}`)")
    return fit(
        discord.Embed(
            title=f"{len(snapshot.documents)} document(s)",
            description=clip("\n".join(lines), DESCRIPTION_LIMIT),
            colour=OK_COLOUR,
        )
    )


def refresh_embed(outcome: RefreshOutcome) -> discord.Embed:
    """The result of /kb reload, add, remove or restore for the moderator who asked."""
    if not outcome.accepted:
        embed = discord.Embed(
            title=f"{outcome.action.capitalize()} refused: the old knowledge base is still answering",
            colour=ERROR_COLOUR,
            description=clip(escape(outcome.detail), DESCRIPTION_LIMIT) if outcome.detail else None,
        )
        if outcome.problems:
            text = "\n".join(f"`{clip(str(p), 300)}`" for p in outcome.problems[:15])
            embed.add_field(name="Problems", value=clip(text, FIELD_VALUE_LIMIT), inline=False)
        return fit(embed)
    embed = discord.Embed(title=f"{outcome.action.capitalize()} done", colour=OK_COLOUR)
    for label, names in (
        ("Added", outcome.added),
        ("Changed", outcome.changed),
        ("Removed", outcome.removed),
    ):
        if names:
            embed.add_field(
                name=label, value=clip("\n".join(escape(n) for n in names), FIELD_VALUE_LIMIT), inline=False
            )
    if not (outcome.added or outcome.changed or outcome.removed):
        embed.description = "No document changed."
    embed.add_field(name="Documents", value=str(outcome.documents))
    embed.add_field(name="Passages", value=str(outcome.passages))
    embed.add_field(name="Quotes", value=str(outcome.quotes))
    footer = f"Indexed in {outcome.seconds:.2f} s"
    if outcome.waited:
        footer += f" after waiting {outcome.waited_seconds:.1f} s for another refresh"
    embed.set_footer(text=footer)
    if outcome.problems:
        text = "\n".join(f"`{clip(str(p), 300)}`" for p in outcome.problems[:10])
        embed.add_field(name="Warnings", value=clip(text, FIELD_VALUE_LIMIT), inline=False)
    return fit(embed)


def fit(embed: discord.Embed) -> discord.Embed:
    """Drop trailing fields until ``embed`` is within Discord's total limit (a safety net)."""
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_LIMIT and embed.description:
        excess = len(embed) - EMBED_TOTAL_LIMIT
        embed.description = clip(embed.description, max(1, len(embed.description) - excess))
    return embed


def plain_message(text: str) -> str:
    """Text for a message's content, within the 2000-character limit."""
    return clip(text, CONTENT_LIMIT)
