"""A practice being edited: the document, plus the few rules an editor adds on top.

- Ids name files (the script, the recordings, the journal's step events), so nobody types them:
  a new practice's id, and a new step's, follow its title until it is first saved; from then
  on they stay put, whatever the title becomes.
- `minutes` follows the estimate of the script itself, so the length shown as you type is the
  length written, and the check never warns that they differ.
- Which fields have been touched: a message waits until its field has been, or until Save.

Pure: the text is saved elsewhere (app.qt.practice_files).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.practice import Step
from app.core.practice_check import CheckResult, FieldRef, check_text, minutes_for
from app.core.practice_doc import PracticeDoc, StepFields, blank_text, unique_slug
from app.core.scripts import estimate_seconds


@dataclass
class Draft:
    doc: PracticeDoc
    taken: set[str]                       # ids of every other practice in the library
    id_fixed: bool = False                # saved at least once: the practice id stays
    fixed_steps: set[str] = field(default_factory=set)
    dirty: bool = False
    touched: set[FieldRef] = field(default_factory=set)
    show_all: bool = False                # after a Save attempt, every message shows

    @classmethod
    def new(cls, taken: set[str]) -> Draft:
        return cls(PracticeDoc(blank_text(unique_slug("my-practice", taken))), set(taken))

    @classmethod
    def of_saved(cls, text: str, taken: set[str]) -> Draft:
        doc = PracticeDoc(text)
        own = doc.practice("id")
        return cls(doc, set(taken) - {own}, id_fixed=True, fixed_steps=set(doc.step_ids()),
                   show_all=True)          # a saved script's problems are shown at once

    @classmethod
    def copy_of(cls, text: str, title: str, taken: set[str]) -> Draft:
        """Another practice's script, as a new practice of one's own (its steps keep ids)."""
        doc = PracticeDoc(text)
        draft = cls(doc, set(taken), fixed_steps=set(doc.step_ids()), dirty=True)
        draft.set_title(f"{title} (my version)")
        return draft

    @classmethod
    def restored(cls, state: dict[str, Any], taken: set[str]) -> Draft:
        """A draft kept at a system quit (`snapshot`), as it was: still unsaved."""
        doc = PracticeDoc(str(state["text"]))
        id_fixed = bool(state.get("id_fixed"))
        own = {doc.practice("id")} if id_fixed else set()
        return cls(doc, set(taken) - own, id_fixed=id_fixed,
                   fixed_steps={str(s) for s in state.get("fixed_steps", ())}, dirty=True)

    def snapshot(self) -> dict[str, Any]:
        """What `restored` needs to go on where the person was (plain JSON values)."""
        return {"text": self.text, "title": str(self.doc.practice("title", "")),
                "id_fixed": self.id_fixed, "fixed_steps": sorted(self.fixed_steps)}

    @property
    def practice_id(self) -> str:
        return str(self.doc.practice("id", ""))

    @property
    def text(self) -> str:
        return self.doc.text

    # -- changes ------------------------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self._change(FieldRef(None, "title"))
        self.doc.set_practice("title", title)
        if not self.id_fixed:
            self.doc.set_practice("id", unique_slug(title, self.taken, fallback="my-practice"))

    def set_practice(self, key: str, value: Any) -> None:
        self._change(FieldRef(None, key))
        self.doc.set_practice(key, value)

    def set_step(self, index: int, key: str, value: Any) -> None:
        self._change(FieldRef(index, key))
        self.doc.set_step(index, key, value)
        step_id = self.doc.step(index).id
        if key == "title" and step_id not in self.fixed_steps:
            others = set(self.doc.step_ids()) - {step_id} | self.fixed_steps
            self.doc.set_step(index, "id", unique_slug(value, others, fallback="step"))

    def add_step(self, index: int | None = None) -> int:
        ids = set(self.doc.step_ids()) | self.fixed_steps
        new_id = unique_slug("step", ids)
        position = self.doc.add_step(StepFields(id=new_id), index)
        self._moved()
        return position

    def remove_step(self, index: int) -> str:
        block = self.doc.remove_step(index)
        self._moved()
        return block

    def restore_step(self, index: int, block: str) -> None:
        self.doc.insert_block(index, block)
        self._moved()

    def move_step(self, source: int, target: int) -> None:
        self.doc.move_step(source, target)
        self._moved()

    def mark_saved(self) -> None:
        self.id_fixed, self.dirty = True, False
        self.fixed_steps = set(self.doc.step_ids())

    def _change(self, where: FieldRef) -> None:
        self.dirty = True
        self.touched.add(where)

    def _moved(self) -> None:
        # messages are placed by step index: after a move they belong to other steps
        self.dirty = True
        self.touched = {t for t in self.touched if t.step is None}
        self.touched.update(FieldRef(i, None) for i in range(self.doc.step_count))

    # -- checking -----------------------------------------------------------------------------

    def lenient_steps(self) -> list[Step]:
        return [Step(f.id, f.title, f.say, f.silence_after, f.ask_body, wait=f.wait)
                for f in self.doc.steps()]

    def check(self, *, sync_minutes: bool = True) -> CheckResult:
        """The check of `securebase check`, with `minutes` first set to the estimate."""
        steps = self.lenient_steps()
        if sync_minutes and steps:
            try:
                minutes = minutes_for(estimate_seconds(steps))
            except ValueError:
                minutes = None                   # a mark without its number yet
            if minutes is not None and minutes != self.doc.practice("minutes"):
                self.doc.set_practice("minutes", minutes)
        return check_text(self.text, Path(f"{self.practice_id or 'practice'}.toml"), steps)

    def shown(self, where: FieldRef) -> bool:
        """Whether messages at `where` are shown yet: once its field (or, for a message about
        a whole step or the whole practice, any field of it) has been changed."""
        if self.show_all or where in self.touched:
            return True
        return where.key is None and any(t.step == where.step for t in self.touched)
