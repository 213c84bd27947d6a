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
