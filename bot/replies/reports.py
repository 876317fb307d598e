"""Reports for people, as plain text, CSV and a chart: pure functions of what ``bot.store.reports`` returns.

The command line prints the text; ``/kb gaps`` attaches the CSV and ``/kb stats`` the chart.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bot.store.reports import AuditEntry, Gaps, Stats

KIND_LABELS = {"declined": "declined (not covered)", "unhelpful": "voted unhelpful"}
CSV_COLUMNS = (
    "group",
    "kind",
    "group_count",
    "asked_at",
    "question",
    "unmatched",
    "passage_id",
    "helpful",
    "unhelpful",
    "comments",
)
CHART_DPI = 100


def plural(count: int, word: str) -> str:
    """``3 questions``, ``1 question``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


def gaps_text(gaps: Gaps) -> str:
    """The gap groups a report shows, most frequent first, for a terminal."""
    if not gaps.groups:
        return f"No gaps in the last {plural(gaps.days, 'day')}: nothing declined, no answer voted unhelpful."
    lines = [f"Gaps in the last {plural(gaps.days, 'day')} ({plural(len(gaps.groups), 'group')}):"]
    for number, group in enumerate(gaps.top, 1):
        lines.append(f"{number}. {KIND_LABELS[group.kind]}, asked {group.count}x: {group.example}")
        others = group.texts[1:]
        if others:
            lines.append(f"   also asked as: {' | '.join(others[:5])}")
        if group.unmatched:
            lines.append(f"   words the knowledge base lacks: {', '.join(group.unmatched)}")
        if group.passage_id is not None:
            lines.append(f"   passage shown: {group.passage_id}")
        for comment in group.comments[:5]:
            lines.append(f"   comment: {comment}")
    if len(gaps.groups) > len(gaps.top):
        lines.append(f"... and {len(gaps.groups) - len(gaps.top)} more group(s) (--json lists them all)")
    return "\n".join(lines)


def gaps_csv(gaps: Gaps) -> str:
    """Every question behind every gap, one row each, grouped (spreadsheets sort and filter it)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for number, group in enumerate(gaps.groups, 1):
        for question in group.questions:
            writer.writerow(
                (
                    number,
                    group.kind,
                    group.count,
                    question.asked_at.strftime("%Y-%m-%d %H:%M:%S"),
                    question.question,
                    " ".join(question.unmatched),
                    question.passage_id or "",
                    question.helpful,
                    question.unhelpful,
                    " | ".join(question.comments),
                )
            )
    return buffer.getvalue()


def stats_text(stats: Stats) -> str:
    """The figures of a window, for a terminal (days without questions are left out)."""
    lines = [
        f"Last {plural(stats.days, 'day')}: {plural(stats.questions, 'question')} from "
        f"{plural(stats.askers, 'member')}, {stats.answered} answered, {stats.declined} declined; "
        f"votes: {stats.helpful} helpful, {stats.unhelpful} not helpful",
    ]
    if stats.top_passages:
        cited = ", ".join(f"{passage} ({count})" for passage, count in stats.top_passages)
        lines.append(f"Most cited passages: {cited}")
    busy = [day for day in stats.per_day if day.questions]
    if busy:
        lines.append("Questions per day (UTC):")
        lines.extend(
            f"  {day.date.isoformat()} {day.questions:>5} ({day.answered} answered, {day.declined} declined)"
            for day in busy
        )
    return "\n".join(lines)


def history_line(entry: AuditEntry) -> str:
    """One audit entry: its summary already says what, who, when and the outcome."""
    return entry.summary


def history_text(entries: Sequence[AuditEntry]) -> str:
    """The audit log, newest first, for a terminal."""
    if not entries:
        return "No knowledge base changes recorded yet."
    return "\n".join(history_line(entry) for entry in entries)


def stats_chart_png(stats: Stats) -> bytes:
    """Questions per day, answered and declined stacked, as a PNG (matplotlib's Agg renderer, no display)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    positions = list(range(len(stats.per_day)))
    answered = [day.answered for day in stats.per_day]
    declined = [day.declined for day in stats.per_day]
    figure = Figure(figsize=(8, 3.5), dpi=CHART_DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.bar(positions, answered, color="#5865F2", label="answered")
    axes.bar(positions, declined, bottom=answered, color="#B5BAC1", label="declined")
    # At most about 12 date labels, whatever the window.
    step = max(1, -(-len(positions) // 12))
    axes.set_xticks(positions[::step], [day.date.strftime("%b %d") for day in stats.per_day[::step]])
    axes.set_title(f"Questions per day, last {plural(stats.days, 'day')} (UTC)")
    axes.set_ylabel("questions")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(loc="upper left")
    figure.autofmt_xdate(rotation=45)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
