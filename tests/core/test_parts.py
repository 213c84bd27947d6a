"""Parts without Qt: templates, validation, relations and a part's history."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import parts
from app.core.records import PART_ROLES, BodyMark, CheckIn, Part, SessionRecord
from app.storage.journal import Journal
from app.core.part_changes import (
    PartInvalid, link, part_history, save_part, set_archived, set_notes,
)


# -- templates -------------------------------------------------------------------------------

def test_templates_are_valid_parts_with_unique_keys():
    keys = [t.key for t in parts.TEMPLATES]
    assert len(keys) == len(set(keys)) >= 7
    for t in parts.TEMPLATES:
        part = t.to_part(colour="#7fa99b")
        assert parts.validate_part(part) == [], t.key
        assert t.role in PART_ROLES
        assert t.does and t.fears and t.wants and t.summary
        assert all(parts.template(k) for k in t.often_with), t.key


def test_templates_cover_protectors_and_an_exile():
    roles = {t.role for t in parts.TEMPLATES}
    assert {"manager", "firefighter", "exile"} <= roles


def test_templates_stay_gentle():
    harsh = ("broken", "disorder", "patholog", "dysfunction", "crazy", "must ")
    for t in parts.TEMPLATES:
        text = " ".join((t.summary, t.does, t.fears, t.wants)).lower()
        assert not any(word in text for word in harsh), t.key


# -- validation ------------------------------------------------------------------------------

@pytest.mark.parametrize("part, fragment", [
    (Part(name="  "), "name"),
    (Part(name="x" * 81), "under 80"),
    (Part(name="Critic", role="boss"), "role"),
    (Part(name="Critic", colour="red"), "colour"),
    (Part(name="Critic", where_felt="throat,elbow-middle"), "elbow-middle"),
    (Part(name="Critic", notes="n" * 2001), "under 2000"),
])
def test_invalid_parts_are_explained(part, fragment):
    problems = parts.validate_part(part)
    assert len(problems) == 1 and fragment in problems[0]


def test_clean_trims_and_drops_repeated_areas():
    part = parts.clean(Part(name="  Critic ", where_felt=" jaw, jaw ,throat,", does=" x "))
    assert (part.name, part.where_felt, part.does) == ("Critic", "jaw,throat", "x")
    assert parts.where_text(part) == "Mouth and jaw; Throat"


def test_links_refuse_self_links_and_duplicates_either_way_round_for_polarised():
    existing = [(1, 2, "polarised"), (3, 1, "protects")]
    assert parts.validate_link(1, 1, "protects", existing) == [
        "A part cannot be linked with itself."]
    assert parts.validate_link(2, 1, "polarised", existing)          # same pair, other way
    assert parts.validate_link(3, 1, "protects", existing)
    assert parts.validate_link(1, 3, "protects", existing) == []     # protecting has a direction
    assert parts.validate_link(1, 2, "protects", existing) == []     # another kind is fine
    assert parts.validate_link(1, 2, "hugs", existing)


@given(st.integers(1, 50), st.integers(1, 50),
       st.sampled_from(["polarised", "protects", "protected_by"]))
def test_relations_round_trip(part_id, other, relation):
    from_part, to_part, kind = parts.to_link(part_id, other, relation)
    if part_id != other:
        assert parts.relation_of(part_id, from_part, to_part, kind) == (relation, other)


def test_colour_suggestion_avoids_colours_in_use():
    used = [Part(name=n, colour=c) for n, (_, c) in zip("ab", parts.PART_COLOURS)]
    assert parts.suggest_colour(used) == parts.PART_COLOURS[2][1]
    assert parts.suggest_colour([]) == parts.PART_COLOURS[0][1]
    assert parts.colour_name(parts.PART_COLOURS[0][1]) == "Sage"


# -- history ---------------------------------------------------------------------------------

def session(id_: int, day: str, part_id: int | None) -> SessionRecord:
    return SessionRecord(id_, "unblending", "Unblending", f"2025-{day}T09:00:00+00:00",
                         outcome="completed", part_id=part_id)


def mark(at: str, region: str, intensity: int, part_id: int | None = 1,
         session_id: int | None = None) -> BodyMark:
    return BodyMark("front", region, intensity, part_id=part_id, session_id=session_id,
                    at=f"2025-{at}T10:00:00+00:00")


def test_history_finds_chosen_and_marked_sessions_with_their_shift():
    sessions = [session(1, "03-01", 1), session(2, "03-05", None), session(3, "04-02", 2),
                session(4, "04-09", 1)]
    checkins = [CheckIn("before", 7, {"calm": 2, "curiosity": 4}, session_id=1),
                CheckIn("after", 4, {"calm": 6, "curiosity": 6}, session_id=1),
                CheckIn("before", 5, session_id=2), CheckIn("after", 6, session_id=2),
                CheckIn("before", 6, session_id=4)]
    marks = [mark("03-05", "throat", 6, session_id=2), mark("03-20", "throat", 4),
             mark("04-09", "jaw", 8, session_id=4), mark("04-09", "heart-area", 2, part_id=2)]
    h = parts.history(1, sessions, checkins, marks)
    assert [s.session_id for s in h.sessions] == [4, 2, 1]           # newest first, not 3
    latest, marked_only, first = h.sessions
    assert (first.before, first.after, first.shift, first.chosen) == (7, 4, -3, True)
    assert (first.self_before, first.self_after) == (3.0, 6.0)
    assert (marked_only.shift, marked_only.chosen) == (1, False)
    assert latest.shift is None and parts.shift_text(latest) == "intensity 6"
    assert h.mean_shift == -1.0
    assert [(p.month, p.count, p.regions) for p in h.periods] == [
        ("2025-04", 1, ("jaw",)), ("2025-03", 2, ("throat",))]
    assert h.periods[1].mean_intensity == 5.0
    assert (h.mark_count, h.first_noticed[:10], h.last_noticed[:10]) == (
        3, "2025-03-05", "2025-04-09")


def test_history_of_a_quiet_part_is_empty():
    h = parts.history(9, [session(1, "03-01", 1)], [], [])
    assert (h.sessions, h.periods, h.mark_count, h.mean_shift) == ((), (), 0, None)


def test_shift_words_are_calm():
    def text(before, after):
        return parts.shift_text(parts.SessionShift(1, "", "", None, before, after,
                                                   None, None, True))
    assert text(7, 4) == "7 → 4, eased by 3"
    assert text(3, 5) == "3 → 5, stronger by 2"
    assert text(5, 5) == "5 → 5, steady"
    assert text(None, None) == "no check-in"
    assert parts.month_label("2025-03") == "March 2025"
    assert parts.month_label("someday") == "someday"       # not a month: shown as it is


def test_marks_in_month():
    marks = [mark("03-05", "throat", 6), mark("04-09", "jaw", 8)]
    assert [m.region for m in parts.marks_in_month(marks, "2025-04")] == ["jaw"]
    assert len(parts.marks_in_month(marks, None)) == 2


# -- storage glue ----------------------------------------------------------------------------

@pytest.fixture
def journal():
    j = Journal(":memory:")
    yield j
    j.close()


def test_save_validates_and_tidies(journal):
    with pytest.raises(PartInvalid) as caught:
        save_part(journal, Part(name=" "))
    assert "name" in caught.value.problems[0]
    pid = save_part(journal, Part(name=" Critic ", role="manager", where_felt="jaw,jaw"))
    stored = journal.part(pid)
    assert (stored.name, stored.where_felt) == ("Critic", "jaw")
    set_archived(journal, pid, True)
    assert journal.parts() == [] and journal.part(pid).archived
    set_notes(journal, pid, " softer lately ")
    assert journal.part(pid).notes == "softer lately"


def test_link_refuses_duplicates_in_the_journal(journal):
    a, b = (journal.add_part(Part(name=n)) for n in ("Clinger", "Distancer"))
    link(journal, a, b, "polarised")
    with pytest.raises(PartInvalid):
        link(journal, b, a, "polarised")
    with pytest.raises(PartInvalid):
        link(journal, a, a, "protects")
    assert len(journal.part_links()) == 1


def test_part_history_from_the_journal(journal):
    pid = journal.add_part(Part(name="Young one", role="exile"))
    sid = journal.start_session("unblending", "Unblending", part_id=pid)
    journal.add_checkin(CheckIn("before", 8, session_id=sid))
    journal.add_checkin(CheckIn("after", 5, session_id=sid))
    journal.end_session(sid, "completed")
    journal.add_body_mark(BodyMark("front", "heart-area", 7, part_id=pid, session_id=sid))
    journal.add_body_mark(BodyMark("front", "jaw", 3))
    h = part_history(journal, pid)
    assert [(s.session_id, s.shift) for s in h.sessions] == [(sid, -3)]
    assert h.mark_count == 1 and h.periods[0].regions == ("heart-area",)
