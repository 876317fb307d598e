"""Reports for people, without a database: text, CSV and the chart are pure functions of report data."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bot.replies.reports import gaps_csv, gaps_text, stats_chart_png, stats_text
from bot.store.reports import DayCount, GapGroup, GapQuestion, Gaps, Stats

AT = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def group(number: int, count: int = 1) -> GapGroup:
    asked = tuple(
        GapQuestion(AT, f"question {number}, wording {n}", ("word",), None, 0, 0, ()) for n in range(count)
    )
    return GapGroup("declined", f"terms{number}", asked)


def test_at_most_ten_groups_are_shown_and_the_rest_counted() -> None:
    gaps = Gaps(7, tuple(group(n) for n in range(13)))
    text = gaps_text(gaps)
    assert "10. declined" in text and "11. declined" not in text
    assert "... and 3 more group(s)" in text


def test_the_csv_has_every_question_of_every_group() -> None:
    gaps = Gaps(7, (group(1, 2), group(2, 1)))
    rows = list(csv.DictReader(io.StringIO(gaps_csv(gaps))))
    assert [(r["group"], r["group_count"], r["question"]) for r in rows] == [
        ("1", "2", "question 1, wording 0"),
        ("1", "2", "question 1, wording 1"),
        ("2", "1", "question 2, wording 0"),
    ]
    assert rows[0]["asked_at"] == "2026-12-04 12:00:00" and rows[0]["unmatched"] == "word"


def test_stats_text_leaves_out_quiet_days_and_the_chart_is_a_png() -> None:
    days = (DayCount(dt.date(2026, 12, 3), 0, 0, 0), DayCount(dt.date(2026, 12, 4), 3, 2, 1))
    stats = Stats(2, 3, 2, 1, 1, 0, 1, days, ())
    text = stats_text(stats)
    assert "2026-12-04" in text and "2026-12-03" not in text
    assert "Most cited" not in text
    assert stats_chart_png(stats).startswith(b"\x89PNG")
    empty = Stats(1, 0, 0, 0, 0, 0, 0, (), ())
    assert "per day" not in stats_text(empty)
    assert stats_chart_png(empty).startswith(b"\x89PNG")
