"""The sentences that go with the numbers, shared by the progress view and the PDF report.

Plain, kind and neutral: a rise in intensity is not a failure (a feeling often grows when it
finally gets attention), a quiet week is not a gap to feel bad about, and nothing here counts
what the person "should" have done.
"""
from __future__ import annotations

from collections.abc import Iterable

from app.core import body
from app.core.progress import RegionHeat, RegionTrend
from app.core.trends import Bucket, Outcomes, Span, Streak, Summary, sessions_per_week

EMPTY_JOURNAL = ("Your progress will appear here after your first practice. There is nothing "
                 "to keep up with — come back whenever you like.")
EMPTY_RANGE = ("Nothing was recorded in this range, and that is fine. A longer range may show "
               "more.")
BUCKET_WORDS: dict[str, str] = {"day": "day", "week": "week", "month": "month"}


def number(value: float, places: int = 1) -> str:
    """One decimal, a real minus sign, no "-0.0"."""
    text = f"{value:.{places}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")
    return text.replace("-", "−")


def exact(value: float) -> str:
    """A whole number as it is ("6"), anything else to one decimal: one session's intensities
    are the person's own whole numbers, not averages to be shown as "6.0"."""
    return number(value, 0) if float(value).is_integer() else number(value)


def plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (words or word + 's')}"


def rated_note(heat: Iterable[RegionHeat]) -> str:
    """When some marks were saved without a strength: "12 marks, 9 rated: averages are of
    the rated ones."; "" when every mark has one (nothing to explain)."""
    found = list(heat)
    count, rated = sum(h.count for h in found), sum(h.rated for h in found)
    if rated >= count:
        return ""
    return (f"{plural(count, 'mark')}, {rated:,} rated: averages are of the rated ones, and an "
            "area with none rated is not shaded by how strongly.")


def average_strength(mean: float | None, count: int, rated: int,
                     lead: str = "on average ") -> str:
    """A body area's average strength, honest about marks saved without one:
    "on average 4.2 of 10", "on average 4.2 of 10 (9 of 12 rated)", "strength not rated".
    One rated mark has no average: "strength 4 of 10" ("4 of 10" with no lead).
    `mean` is over the rated marks: None exactly when none is rated."""
    if mean is None:
        return "strength not rated"
    said = (f"{lead}{number(mean)} of 10" if rated > 1
            else f"{'strength ' if lead else ''}{exact(mean)} of 10")
    return said if rated >= count else f"{said} ({rated:,} of {count:,} rated)"


OUTCOME_WORDS = {"finished": "finished", "grounded": "grounded", "stopped": "stopped early",
                 "interrupted": "interrupted"}


def outcome_breakdown(outcomes: Outcomes) -> str:
    """"4 finished, 1 grounded, 1 stopped early"; "all finished" when nothing else."""
    counts = {key: getattr(outcomes, key) for key in OUTCOME_WORDS}
    if counts["finished"] == outcomes.total:
        return "all finished" if outcomes.total > 1 else "finished"
    return ", ".join(f"{n:,} {OUTCOME_WORDS[key]}" for key, n in counts.items() if n)


def sessions_sentence(summary: Summary) -> str:
    if not summary.sessions:
        return "No practice sessions in this range."
    return (f"{plural(summary.sessions, 'session')} ({outcome_breakdown(summary.outcomes)}) "
            f"on {plural(summary.active_days, 'day')}.")


def counted_phrase(summary: Summary) -> str:
    """Which sessions an average rests on: "the 4 finished sessions"."""
    if summary.paired == summary.outcomes.finished:
        return ("the one finished session" if summary.paired == 1
                else f"the {summary.paired:,} finished sessions")
    return (f"the {plural(summary.paired, 'finished session')} with a before and an after "
            "check-in").replace("the 1 finished session", "the one finished session")


def shift_sentence(summary: Summary) -> str:
    """How intensity moved from before to after practice, on average, and over what."""
    if summary.shift is None or summary.before is None or summary.after is None:
        if summary.sessions:
            return ("No finished session in this range has both a before and an after "
                    "check-in, so there is no average change to show.")
        return "No sessions with both a before and an after check-in yet."
    if summary.paired == 1:
        return one_shift_sentence(summary.before, summary.after,
                                  summary.paired == summary.outcomes.finished)
    change, which = summary.shift, counted_phrase(summary)
    frm, to = number(summary.before), number(summary.after)
    if abs(change) < 0.05:
        return (f"On average, intensity stayed about the same ({frm} before, {to} after) "
                f"in {which}.")
    if change < 0:
        return f"On average, intensity eased from {frm} before practice to {to} after in {which}."
    return (f"On average, intensity rose from {frm} to {to} after practice in {which}. "
            "Feelings sometimes grow when they finally get attention.")


def one_shift_sentence(before: float, after: float, only_finished: bool) -> str:
    """One session has no average: what happened in it, plainly, with its own numbers.
    `only_finished`: it is the one finished session of the range (not just the one with
    both check-ins)."""
    where = ("In your one finished session" if only_finished
             else "In the one finished session with a before and an after check-in")
    frm, to = exact(before), exact(after)
    if abs(after - before) < 0.05:
        return f"{where}, intensity was {frm} before and after."
    if after < before:
        return f"{where}, intensity eased from {frm} to {to}."
    return (f"{where}, intensity rose from {frm} to {to}. Feelings sometimes grow when they "
            "finally get attention.")


def left_out(summary: Summary) -> str:
    """The sessions an average leaves out, as "1 grounded, 1 stopped early"; "" if none."""
    o = summary.outcomes
    unpaired = o.finished - summary.paired
    items = [(unpaired, "finished without both check-ins"), (o.grounded, "grounded"),
             (o.stopped, "stopped early"), (o.interrupted, "interrupted")]
    return ", ".join(f"{n:,} {what}" for n, what in items if n)


def excluded_sentence(summary: Summary) -> str:
    """Says plainly what the averages leave out, so nothing is dropped in silence."""
    if not summary.paired:
        return ""
    missing = left_out(summary)
    what = "that change" if summary.paired == 1 else "the average"     # one has no average
    return (f"Not in {what}, but shown with their own marks: {missing}."
            if missing else "")


def energy_sentence(summary: Summary) -> str:
    if summary.self_energy is None:
        return "No Self-energy check-ins in this range."
    if summary.energy_n == 1:
        return (f"Self-energy (calm, curiosity, compassion and the other C's) was "
                f"{number(summary.self_energy)} of 10, from one check-in.")
    return (f"Self-energy (calm, curiosity, compassion and the other C's) averaged "
            f"{number(summary.self_energy)} of 10 over "
            f"{plural(summary.energy_n, 'check-in')}.")


def summary_text(summary: Summary) -> str:
    """The range in plain sentences, shown first on the page and in the report."""
    return " ".join(t for t in (sessions_sentence(summary), shift_sentence(summary),
                                excluded_sentence(summary), energy_sentence(summary)) if t)


def streak_sentence(run: Streak) -> str:
    """Only shown when the person switched streaks on; never scolds about a break."""
    if run.current >= 2:
        return (f"{run.current} days in a row with a practice (longest run: "
                f"{plural(run.longest, 'day')}).")
    if run.longest:
        return f"Longest run of practice days: {plural(run.longest, 'day')}."
    return "Your run of practice days will show here."


def region_name(view: str, region: str) -> str:
    return f"{body.label(region, view)} ({view})"


def region_sentence(trend: RegionTrend) -> str:
    strength = average_strength(trend.mean_intensity, trend.count, trend.rated, "average ")
    return (f"{region_name(trend.view, trend.region)}: {plural(trend.count, 'time')}, "
            f"{strength} — {trend.describe()}")


def bucket_caption(bucket: Bucket, per_session: bool = False) -> str:
    """Says what one point on a chart is."""
    if per_session:
        return "Each point is one session."
    return f"Each point is the average for one {BUCKET_WORDS[bucket]}."


def range_title(preset: str, span: Span) -> str:
    names = {"week": "The last 7 days", "month": "The last 30 days",
             "year": "The last 12 months", "all": "Everything so far"}
    return f"{names.get(preset, 'Chosen range')}: {span.label()}"


WEEKS_A_MONTH = 365.25 / 12 / 7


def how_often(per_week: float, days: int) -> str:
    """", about 2.5 a week"; under one a week, ", about 2.2 a month"; under one a month,
    nothing: one session in a year was "about 0.0 a week", as if there had been none. A rate
    only over a range longer than its unit: in the last 7 days, "about 3.0 a week" only says
    the count again (and one session in 30 days read "about 1.0 a month")."""
    if round(per_week, 1) >= 1:
        return f", about {number(per_week)} a week" if days > 7 else ""
    per_month = per_week * WEEKS_A_MONTH
    if round(per_month, 1) >= 1 and days > WEEKS_A_MONTH * 7 + 1:
        return f", about {number(per_month)} a month"
    return ""


def key_figures(summary: Summary, span: Span) -> list[tuple[str, str, str, str]]:
    """(key, title, value, detail) for the row of key numbers; each detail says what the
    number counts. The view and the PDF show the same four."""
    s = summary
    rate = how_often(sessions_per_week(s, span), span.days) if s.sessions else ""
    sessions = (f"{outcome_breakdown(s.outcomes)} · on {plural(s.active_days, 'day')}{rate}"
                if s.sessions else "none in this range")
    out = [("sessions", "Sessions", f"{s.sessions:,}", sessions)]
    if s.before is not None and s.after is not None and s.shift is not None:
        which, one = counted_phrase(s), s.paired == 1        # one session has no average
        shown = exact if one else number
        out += [("intensity", "Intensity before → after",
                 f"{shown(s.before)} → {shown(s.after)}",
                 f"of 10, {'in' if one else 'average of'} {which}"),
                ("shift", "Change" if one else "Average change", shown(s.shift),
                 ("eased" if s.shift < 0 else "after minus before") + f", in {which}")]
    else:
        out += [(key, title, "–", "no finished session with a before and an after yet")
                for key, title in (("intensity", "Intensity before → after"),
                                   ("shift", "Average change"))]
    out.append(("energy", "Self-energy",
                number(s.self_energy) if s.self_energy is not None else "–",
                "of 10, from one check-in" if s.energy_n == 1
                else f"of 10, average of {plural(s.energy_n, 'check-in')}" if s.energy_n
                else "no Self-energy check-ins yet"))
    return out


# Said wherever numbers leave the app (the PDF, CSV and JSON exports), word for word.
EXCLUSIONS = ("Averages count only finished sessions with a before and an after check-in. "
              "Grounded, stopped-early and interrupted sessions, and finished ones missing a "
              "check-in, are kept with how they ended and left out of the averages.")


def left_out_sentence(count: int) -> str:
    """The report never drops a session silently: those whose time cannot be read are said."""
    return (f"{plural(count, 'session')} could not be placed in time (the start time "
            f"cannot be read), so {'it is' if count == 1 else 'they are'} not in this report.")
