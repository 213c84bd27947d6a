"""Demo data: plausible sizes, gaps, trends and regions; ten years fills and exports quickly."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from statistics import mean

import pytest

from app.core.records import SELF_ENERGY
from app.storage.demo import fill_demo
from app.storage.export import export_csv, export_json
from app.storage.journal import Journal

END = date(2026, 3, 4)


def test_one_year_looks_like_a_real_practice(journal):
    counts = fill_demo(journal, years=1, seed=5, end=END)
    assert counts["sessions"] == 365
    assert 3300 <= counts["body_marks"] <= 3900                  # about ten a session
    assert counts["parts"] >= 4 and counts["part_links"] >= 2
    sessions = journal.sessions()
    days = Counter(s.started_at[:10] for s in sessions)
    all_days = {(END - timedelta(days=i)).isoformat() for i in range(365)}
    assert 0.6 * 365 < len(days) < 0.9 * 365                      # gaps, not every day
    assert max(days.values()) >= 2 and set(days) <= all_days
    practices = {s.practice_id for s in sessions}
    assert {"unblending", "grounding"} <= practices
    assert {s.outcome for s in sessions} == {"completed", "stopped_early", "grounded"}


@pytest.fixture
def fixed_shapes(monkeypatch):
    """The demo's own small practice and body atlas instead of the bundled ones.

    The trend check below failed once, unmutated, in a mutation run, and not again here (the
    same numbers under other time zones, hash seeds, test orders and with or without other
    tests before it; no clock is read). What it did depend on beyond its seed: the demo draws
    step times, marks and the atlas's points from the same random stream as the calendar and
    the check-ins, so every edit to a bundled practice's steps or to the body regions gives
    seed 5 another year (its first sitting of half a year: 4 -> 2 with today's practices and
    regions, 9 -> 7 with these), and the check was on the stream of the day. With these, the
    year depends on the seed and the generator alone."""
    from app.storage import demo
    monkeypatch.setattr(demo, "_practices", lambda: [
        demo.PracticeShape(*p) for p in demo.FALLBACK_PRACTICES])
    monkeypatch.setattr(demo, "_atlas", lambda rng: {
        view: [(r, [(0.5, 0.3)]) for r in ids] for view, ids in demo.FALLBACK_REGIONS.items()})


def test_intensity_eases_gently_and_after_is_usually_lower(journal, fixed_shapes):
    """The model eases the mean of a year's first 60 sittings by about 1.6 to its last 60
    (seeds 1-100: 1.60 on average, sd 0.24, 1.02 to 2.33; seed 5: 1.72), and after is lower
    in about 82 % of them (78-86 %)."""
    fill_demo(journal, years=1, seed=5, end=END)
    before = {c.session_id: c for c in journal.checkins() if c.phase == "before"}
    after = {c.session_id: c for c in journal.checkins() if c.phase == "after"}
    # in the order they were made (by day, then sitting): by start time, two sittings of one
    # day swap with the hours drawn for them, which are not the trend's
    ordered = [before[s.id].intensity for s in sorted(journal.sessions(), key=lambda s: s.id)]
    first, last = mean(ordered[:60]), mean(ordered[-60:])
    assert 1.0 < first - last < 4.0                              # gentle, not a cliff
    assert len(set(ordered[-60:])) >= 4                          # noisy, not a straight line
    lower = [after[k].intensity < before[k].intensity for k in after]
    assert 0.55 < mean(lower) < 0.95
    assert set(before[1].self_energy) == set(SELF_ENERGY)


def test_marks_use_real_regions_inside_the_figure(journal):
    from app.core import body
    fill_demo(journal, years=0.2, seed=2, end=END)
    marks = journal.body_marks()
    regions = Counter(m.region for m in marks)
    assert len(regions) >= 15 and regions.most_common(1)[0][1] < 0.2 * len(marks)
    for mark in marks:
        assert body.region(mark.view, mark.region) is not None
        assert 0 <= mark.x <= 1 and 0 <= mark.y <= 1 and 0 <= mark.intensity <= 10
        width, height = body.box()
        hit = body.region_at(mark.view, mark.x * width, mark.y * height)
        assert hit is not None and hit.id == mark.region


def test_same_seed_same_data(tmp_path):
    a, b = Journal(tmp_path / "a.db"), Journal(tmp_path / "b.db")
    fill_demo(a, 0.1, seed=9, end=END)
    fill_demo(b, 0.1, seed=9, end=END)
    assert a.sessions() == b.sessions() and a.body_marks() == b.body_marks()
    a.close(), b.close()


@pytest.mark.slow
def test_ten_years_fill_and_export(journal, tmp_path):
    """Ten years of demo journal fill and export whole (their speed is measured by
    bench/journal_io.py, not by a clock here)."""
    counts = fill_demo(journal, years=10, seed=1, end=END)
    assert counts["sessions"] == 3650 and 34_000 <= counts["body_marks"] <= 39_000
    for export, out in ((export_json, tmp_path / "all.json"), (export_csv, tmp_path / "csv"),
                        (export_csv, tmp_path / "all.zip")):
        report = export(journal, out)
        assert report.counts["sessions"] == 3650, export.__name__
