"""A practice being edited: ids follow titles until the first save and then stay put (they name
files and journal events); minutes follow the script's own length; a message waits until its
field has been touched, or a Save was tried."""
from __future__ import annotations

from app.core.practice_check import FieldRef, minutes_for
from app.core.practice_draft import Draft
from tests.core.test_practice_doc import HAND_WRITTEN


def test_a_new_practice_takes_its_ids_from_its_titles_until_saved():
    draft = Draft.new({"evening-rest"})
    draft.set_title("Evening rest")
    assert draft.practice_id == "evening-rest-2"         # never another practice's file
    draft.set_step(0, "title", "Arrive here")
    assert draft.doc.step_ids() == ["arrive-here"]
    draft.mark_saved()
    draft.set_title("A quiet evening")
    draft.set_step(0, "title", "Land")
    assert draft.practice_id == "evening-rest-2" and draft.doc.step_ids() == ["arrive-here"]
    new = draft.add_step()
    draft.set_step(new, "title", "Arrive here")          # a new step: its own, unique id
    assert draft.doc.step_ids() == ["arrive-here", "arrive-here-2"]


def test_a_copy_is_a_new_practice_whose_steps_keep_their_ids():
    draft = Draft.copy_of(HAND_WRITTEN, "Evening", {"evening"})
    assert draft.dirty and draft.practice_id == "evening-my-version"
    assert draft.doc.practice("title") == "Evening (my version)"
    before = draft.doc.step_ids()
    draft.set_step(0, "title", "Something else")
    assert draft.doc.step_ids() == before


def test_minutes_follow_the_script_and_messages_wait_for_their_field():
    draft = Draft.new(set())
    draft.set_title("Evening")
    draft.set_step(0, "title", "Arrive")
    draft.set_step(0, "say", "Settle here. [listen 120] And come back.")
    result = draft.check()
    assert result.estimate_seconds > 120                     # the listening time counts
    assert draft.doc.practice("minutes") == minutes_for(result.estimate_seconds)
    assert not any("minutes" in m.text for m in result.messages)
    summary = FieldRef(None, "summary")
    assert result.at(summary) and not draft.shown(summary)   # empty, but not yet touched
    assert draft.shown(FieldRef(0, "say")) and draft.shown(FieldRef(0, None))
    draft.show_all = True                                      # after a Save attempt
    assert draft.shown(summary)


def test_moving_a_step_moves_its_messages_with_it():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    ids = draft.doc.step_ids()
    draft.show_all = False
    draft.move_step(2, 0)
    assert draft.doc.step_ids() == [ids[2], ids[0], ids[1]] and draft.dirty
    assert all(draft.shown(FieldRef(i, None)) for i in range(3))


def test_a_kept_draft_comes_back_as_it_was_and_still_unsaved():
    """What a system quit keeps (`snapshot`, plain JSON values) gives the same draft back."""
    import json
    saved = Draft.of_saved(HAND_WRITTEN, {"other"})
    saved.set_title("Changed after saving")
    saved.add_step()
    state = json.loads(json.dumps(saved.snapshot()))
    back = Draft.restored(state, {"other", saved.practice_id})
    assert back.text == saved.text and back.dirty
    assert back.id_fixed and back.fixed_steps == saved.fixed_steps
    assert back.taken == {"other"}                 # its own id is not "taken" by another
    assert state["title"] == "Changed after saving"
    fresh = Draft.new({"my-practice"})
    fresh.set_title("Evening")
    again = Draft.restored(fresh.snapshot(), {"my-practice"})
    assert not again.id_fixed and again.practice_id == "evening"
    again.set_title("Morning")                      # a never-saved id still follows its title
    assert again.practice_id == "morning"


# -- the editor's rules, one by one ------------------------------------------------------------

def test_a_new_practice_is_clean_until_changed_and_its_id_avoids_the_taken_ones():
    draft = Draft.new({"my-practice"})
    assert draft.practice_id == "my-practice-2" and not draft.dirty and not draft.id_fixed
    assert draft.touched == set() and not draft.show_all
    draft.set_practice("summary", "A short rest.")
    assert draft.dirty and draft.touched == {FieldRef(None, "summary")}
    assert draft.doc.practice("summary") == "A short rest."
    draft.set_title("My Practice")                         # the taken id is still avoided
    assert draft.practice_id == "my-practice-2"


def test_once_saved_the_ids_stay_whatever_the_titles_become():
    draft = Draft.new(set())
    draft.set_title("Morning")
    draft.set_step(0, "title", "Arrive")
    step_id = draft.doc.step(0).id
    assert (draft.practice_id, step_id) == ("morning", "arrive")
    draft.mark_saved()
    assert not draft.dirty and draft.id_fixed and draft.fixed_steps == {"arrive"}
    draft.set_title("Evening")
    draft.set_step(0, "title", "Settle")
    assert (draft.practice_id, draft.doc.step(0).id) == ("morning", "arrive")
    assert draft.doc.practice("title") == "Evening" and draft.dirty


def test_a_new_steps_id_never_takes_a_saved_steps_id():
    draft = Draft.new(set())
    draft.set_step(0, "title", "Arrive")
    draft.mark_saved()
    draft.remove_step(0)                                     # "arrive" may come back (undo)
    at = draft.add_step()
    draft.set_step(at, "title", "Arrive")
    assert draft.doc.step(at).id == "arrive-2"
    assert len(set(draft.doc.step_ids())) == draft.doc.step_count


def test_a_removed_step_comes_back_where_it_was():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    ids = draft.doc.step_ids()
    block = draft.remove_step(1)
    assert draft.doc.step_ids() == [ids[0], ids[2]] and draft.dirty
    draft.restore_step(1, block)
    assert draft.doc.step_ids() == ids


def test_after_a_move_messages_about_a_practice_field_still_show_and_stale_ones_do_not():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    draft.show_all = False
    draft.set_practice("summary", "")
    draft.set_step(2, "say", "")
    draft.move_step(2, 0)
    assert draft.shown(FieldRef(None, "summary"))
    assert not draft.shown(FieldRef(2, "say"))             # that field is another step's now
    assert not draft.shown(FieldRef(None, "title"))         # never touched


def test_a_step_message_shows_once_any_field_of_the_step_was_changed():
    draft = Draft.new(set())
    draft.set_step(0, "say", "Settle.")
    assert draft.shown(FieldRef(0, None)) and not draft.shown(FieldRef(0, "title"))
    assert not draft.shown(FieldRef(None, None)) and not draft.shown(FieldRef(1, None))


def test_the_check_reads_the_steps_as_typed_and_can_leave_minutes_alone():
    draft = Draft.new(set())
    draft.set_step(0, "title", "Arrive")
    draft.set_step(0, "say", "Settle here. [listen 120] And come back.")
    draft.set_step(0, "silence_after", 30)
    draft.set_step(0, "wait", True)
    (step,) = draft.lenient_steps()
    assert (step.id, step.title, step.silence_after, step.wait) == ("arrive", "Arrive", 30, True)
    before = draft.doc.practice("minutes")
    result = draft.check(sync_minutes=False)
    assert draft.doc.practice("minutes") == before
    assert result.estimate_seconds is not None and result.estimate_seconds > 150
    draft.check()
    assert draft.doc.practice("minutes") == minutes_for(result.estimate_seconds) != before


def test_a_mark_still_being_typed_does_not_stop_the_check():
    draft = Draft.new(set())
    draft.set_step(0, "say", "Settle here. [listen ")
    result = draft.check()
    assert result.practice is None and result.messages


def test_a_copy_is_a_changed_new_practice_named_as_ones_own_version():
    draft = Draft.copy_of(HAND_WRITTEN, "Evening", {"evening"})
    assert draft.dirty and not draft.id_fixed
    assert draft.doc.practice("title") == "Evening (my version)"
    assert draft.practice_id == "evening-my-version"


def test_a_saved_practice_keeps_its_id_and_shows_its_problems_at_once():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    own = draft.practice_id
    assert draft.shown(FieldRef(None, "summary")) and draft.shown(FieldRef(1, "say"))
    draft.set_title("Something else entirely")
    assert draft.practice_id == own


def test_changing_the_title_marks_the_draft_changed_and_its_message_due():
    draft = Draft.new(set())
    draft.set_title("Evening")
    assert draft.dirty and draft.shown(FieldRef(None, "title"))


def test_adding_a_step_is_a_change_whose_messages_show():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    draft.show_all = False
    at = draft.add_step()
    assert draft.dirty and draft.shown(FieldRef(at, None))


def test_putting_a_removed_step_back_after_saving_is_a_change_to_save():
    draft = Draft.of_saved(HAND_WRITTEN, {"evening"})
    block = draft.remove_step(1)
    draft.mark_saved()
    draft.restore_step(1, block)
    assert draft.dirty
