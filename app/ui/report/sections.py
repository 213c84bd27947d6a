"""The report's sections as blocks: the summary that says what it counts, the charts, the
body heat map with its key and table, "what helps", and every session with how it ended.
The words come from app.core (progress_text, helps_text), the same as the progress view's.
"""
from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import datetime
from typing import Any

from app.core import helps_text as say
from app.core import progress_text as words
from app.core.charts import OUTCOME_OF, range_charts
from app.core.helps_charts import quality_charts, spread_chart
from app.core.progress import HEAT_MEASURES, RegionTrend, heat_key
from app.core.trends import SessionShift
from app.core.progress_records import Progress
from app.ui.report.blocks import ChartBlock, HeatMap, SideBySide, SmallMultiples, SpreadBlock
from app.ui.report.layout import (
    MUTED, TEXT, Block, Columns, Figures, Heading, Row, Table, Text,
)

SESSION_COLUMNS = Columns(["When", "Practice", "Ended", "Intensity", "Change", "Notes"],
                          [0.14, 0.25, 0.13, 0.11, 0.09, 0.28])
# "Intensity", not "Average intensity": an area marked once has no average, so each cell says
# which it is ("average 4.2 of 10", or the one mark's own "4 of 10").
REGION_COLUMNS = Columns(["Area", "Side", "Times", "Intensity", "Lately"],
                         [0.33, 0.09, 0.09, 0.23, 0.26])     # "average 5.5 of 10" on one line
REGIONS_LISTED = 15
QUALITY_COLUMNS = Columns(["Quality", "First half", "Second half", "Check-ins", "Compared"],
                          [0.18, 0.14, 0.14, 0.16, 0.38])
ENDED = {"finished": "finished", "grounded": "grounded", "stopped": "stopped early",
         "interrupted": "interrupted"}
SESSIONS_NOTE = ("Every session of the range is listed with how it ended. Averages count only "
                 "the finished sessions with a before and an after check-in.")


def summary(progress: Progress) -> list[Block]:
    s = progress.summary
    return [Heading("Summary"), Text(words.summary_text(s)),
            Figures([(value, title, detail) for _, title, value, detail
                     in words.key_figures(s, progress.span)])]


def charts(progress: Progress) -> list[Block | Table]:
    if not progress.summary.sessions and progress.summary.self_energy is None:
        return []
    found = {c.key: c for c in range_charts(progress.periods, progress.sessions,
                                            progress.summary, progress.span, progress.bucket)}
    return [Heading("How intensity shifted"), ChartBlock(found["intensity"]),
            ChartBlock(found["change"]), Heading("Practice and Self-energy"),
            SideBySide(ChartBlock(found["sessions"], 52), ChartBlock(found["energy"], 52))]


def body(progress: Progress) -> list[Block | Table]:
    out: list[Block | Table] = [Heading("Where it was felt in the body")]
    if not progress.heat:
        return out + [Text("No body marks in this range.", "body", MUTED)]
    key = heat_key(progress.heat, "count")
    notes = [words.region_sentence(r) for r in progress.regions[:6]]
    unrated = words.rated_note(progress.heat.values())
    out += [Text("Shaded by how often each area was marked in this range (the key is under the "
                 "figures); every marked area is listed in the table after it."
                 + (f" {unrated}" if unrated else ""), "small", MUTED, keep_with_next=True),
            HeatMap(progress.heat, key, f"Marked ({HEAT_MEASURES['count']}):", notes=notes)]
    out += _regions_table(progress)
    return out


def _regions_table(progress: Progress) -> list[Block | Table]:
    header = Row(REGION_COLUMNS, [[(t, "small_bold", TEXT)] for t in REGION_COLUMNS.titles],
                 header=True)
    rows: list[Block] = []
    shown = progress.regions[:REGIONS_LISTED]
    for n, r in enumerate(shown):
        name = words.region_name(r.view, r.region).rsplit(" (", 1)[0]
        rows.append(Row(REGION_COLUMNS, [[(name, "small", TEXT)], [(r.view, "small", TEXT)],
                                         [(f"{r.count:,}", "small", TEXT)],
                                         [(region_strength(r), "small", TEXT)],
                                         [(r.describe(), "small", MUTED)]], shaded=n % 2 == 1))
    out: list[Block | Table] = [Table(header, rows)]
    rest = progress.regions[REGIONS_LISTED:]
    if rest:
        most = max(r.count for r in rest)
        out.append(Text(f"The {len(shown)} most marked of {len(progress.regions)} areas are "
                        f"listed; the other {len(rest)} were marked "
                        f"{words.plural(most, 'time')} or fewer each.", "small", MUTED,
                        before_mm=1))
    return out


def region_strength(r: RegionTrend) -> str:
    """The table's intensity cell: "average 4.2 of 10" over two or more rated marks, the one
    mark's own "4 of 10", or "strength not rated"."""
    return words.average_strength(r.mean_intensity, r.count, r.rated,
                                  "average " if r.rated > 1 else "")


def helps(progress: Progress) -> list[Block | Table]:
    found = progress.helps
    out: list[Block | Table] = [Heading("What helps")]
    if found is None or found.empty:
        return out + [Text(say.EMPTY, "body", MUTED)]
    out.append(Text(say.INTRO, "small", MUTED, after_mm=3))
    groups: list[tuple[str, list[Any], Callable[[Any], str], str]] = [
        ("Practices", found.practices, say.practice_sentence, "practices"),
        ("Parts", found.parts, say.part_sentence, "parts")]
    for title, items, sentence, key in groups:
        if not items:
            continue
        out.append(Text(title, "h2", before_mm=2, after_mm=1.5, keep_with_next=True))
        out += [Text(sentence(item), "body", after_mm=1.5) for item in items]
        chart = spread_chart(key, f"Typical change per {title.lower()[:-1]}", items)
        if chart is not None:
            out += [Text(chart.caption, "small", MUTED, after_mm=1, keep_with_next=True),
                    SpreadBlock(chart)]
    out += [Text("Self-energy, quality by quality", "h2", before_mm=2, after_mm=1.5,
                 keep_with_next=True),
            Text(say.qualities_overview(found.qualities), "body", keep_with_next=True)]
    if any(q.n for q in found.qualities):
        from app.core.axes import time_axis
        x = time_axis(progress.span, progress.bucket, 3)
        out += [SmallMultiples(quality_charts(found.qualities, x)), _quality_table(found)]
    return out


def _quality_table(found) -> Table:
    header = Row(QUALITY_COLUMNS, [[(t, "small_bold", TEXT)] for t in QUALITY_COLUMNS.titles],
                 header=True)
    rows: list[Block] = []
    for n, q in enumerate(found.qualities):
        cells = [q.quality.capitalize(), _mean(q.first), _mean(q.second),
                 f"{q.first_n:,} + {q.second_n:,}", say.QUALITY_WORDS[q.direction]]
        rows.append(Row(QUALITY_COLUMNS, [[(c, "small", TEXT)] for c in cells],
                        shaded=n % 2 == 1))
    return Table(header, rows)


def _mean(value: float | None) -> str:
    return "–" if value is None else words.number(value)


def sessions_table(progress: Progress) -> list[Block | Table]:
    if not progress.sessions:
        return [Text("No sessions in this range.", "body", MUTED)]
    header = Row(SESSION_COLUMNS, [[(t, "small_bold", TEXT)] for t in SESSION_COLUMNS.titles],
                 header=True)
    rows: list[Block] = []
    month = None
    continued: Text | None = None
    for n, s in enumerate(progress.sessions):
        if s.started_at[:7] != month:
            month = s.started_at[:7]
            heading = month_heading(progress.sessions, month)
            rows.append(heading)
            continued = Text(heading.text.split(" · ")[0] + " (continued)", "bold",
                             before_mm=1, after_mm=1)
        rows.append(Row(SESSION_COLUMNS, _session_cells(s), shaded=n % 2 == 1,
                        group=continued))
    if len(rows) > 2:
        rows[-2].keep_with_next = True      # never one lonely row on a page of its own
    return [Text(SESSIONS_NOTE, "small", MUTED, after_mm=2), Table(header, rows)]


def month_heading(sessions: list[SessionShift], month: str) -> Text:
    """"November 2026 · 6 sessions (4 finished, …) · average 5.5 → 4.0 in the 4 finished"."""
    from app.core.trends import day_totals, summarise
    inside = [s for s in sessions if s.started_at.startswith(month)]
    s = summarise(day_totals(inside))
    year, number = int(month[:4]), int(month[5:7])
    text = (f"{calendar.month_name[number]} {year} · "
            f"{words.plural(s.sessions, 'session')} ({words.outcome_breakdown(s.outcomes)})")
    if s.before is not None and s.after is not None and s.paired == 1:      # no average
        text += (f" · {words.exact(s.before)} → {words.exact(s.after)} in "
                 f"{words.counted_phrase(s)}")
    elif s.before is not None and s.after is not None:
        text += (f" · average {words.number(s.before)} → {words.number(s.after)} in "
                 f"{words.counted_phrase(s)}")
    return Text(text, "bold", before_mm=3, after_mm=1, keep_with_next=True)


def _session_cells(s: SessionShift) -> list[list[tuple[str, str, str]]]:
    moment = datetime.fromisoformat(s.started_at)
    when = f"{calendar.day_abbr[moment.weekday()]} {moment.day} · {moment:%H:%M}"
    ended = ENDED[OUTCOME_OF.get(s.outcome or "", "interrupted")]
    pair = f"{_value(s.before)} → {_value(s.after)}"
    change = words.number(s.shift, 0) if s.shift is not None else "–"
    colour = TEXT if s.counted else MUTED
    return [[(when, "small", TEXT)], [(s.practice_title, "small", TEXT)],
            [(ended, "small", colour)], [(pair, "small", colour)], [(change, "small", colour)],
            [(shorten(s.note), "small", TEXT)]]


def _value(value: int | None) -> str:
    return "–" if value is None else str(value)


# A note longer than this is shortened in the report: a table row must fit on one page, and
# the whole note stays in the journal and its JSON export.
NOTE_SHOWN = 1_200


def shorten(text: str, limit: int = NOTE_SHOWN) -> str:
    return text if len(text) <= limit else (text[:limit].rstrip() + " … (shortened here; the "
                                            "whole note is in the journal)")
