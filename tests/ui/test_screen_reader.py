"""What a screen reader hears, read through Qt's accessibility interfaces on every screen:
labels say what they show, drop-downs say their question, the sidebar is buttons, and the
player's list of steps goes to a step with one click."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QTextDocument
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QWidget

from app.storage.script_files import load_all
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from tests.support.journal import close_context
from tests.support.walk import demo_journal, walk, without_sound
from tests.ui.test_accessibility import window  # noqa: F401  (the fixture)
from tests.ui.test_contrast import lineage, visible

WORD = re.compile(r"[A-Za-z0-9]+")


@dataclass
class Heard:
    labels: list[str] = field(default_factory=list)
    combos: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    measured: int = 0


def announced(widget: QWidget) -> tuple[str, str, QAccessible.Role]:
    face = QAccessible.queryAccessibleInterface(widget)
    return (face.text(QAccessible.Text.Name), face.text(QAccessible.Text.Description),
            face.role())


def plain(label: QLabel) -> str:
    if label.textFormat() == Qt.TextFormat.PlainText:
        return label.text()
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@pytest.fixture(scope="module")
def heard(qapp, tmp_path_factory):
    practices, broken = load_all()
    path = str(tmp_path_factory.mktemp("reader") / "journal.db")
    demo_journal(path)
    context = AppContext(practices, broken, Preferences(), journal_path=path)
    result = Heard()
    with without_sound():
        walk(context, (1280, 760), lambda stop, _window: listen(stop.name, stop.top, result))
    close_context(context)
    return result


def listen(screen: str, top: QWidget, result: Heard) -> None:
    for label in visible(top, QLabel):
        shown = plain(label).strip()
        if not words(shown) or label.buddy() is not None:
            continue
        result.measured += 1
        name, description, _role = announced(label)
        if not words(shown) <= words(name) | words(description):
            result.labels.append(f"{screen}: {lineage(label)} shows {shown[:50]!r} but is "
                                 f"announced as {name[:50]!r}")
    for combo in visible(top, QComboBox):
        # On Linux Qt names a drop-down by its value and says its question through the
        # "labelled by" relation (AT-SPI), from the label whose buddy it is.
        face = QAccessible.queryAccessibleInterface(combo)
        questions = [other.text(QAccessible.Text.Name)
                     for other, _kind in face.relations(QAccessible.Relation.Label)]
        if not any(words(q) - words(combo.currentText()) for q in questions):
            result.combos.append(f"{screen}: {lineage(combo)} has no question, only its "
                                 f"value {combo.currentText()!r}")
    for button in visible(top, QPushButton):
        name, _description, role = announced(button)
        if role == QAccessible.Role.CheckBox and not button.property("role") == "chip":
            result.roles.append(f"{screen}: {name!r} is announced as a check box")


def test_labels_are_announced_by_what_they_show(heard):
    assert heard.measured > 80
    assert heard.labels == [], "\n".join(heard.labels)


def test_drop_downs_are_announced_by_their_question(heard):
    assert heard.combos == [], "\n".join(heard.combos)


def test_only_choices_are_announced_as_check_boxes(heard):
    """Sidebar entries and the grounding's Listen are buttons; the quality chips and other
    on/off choices may be check boxes."""
    assert heard.roles == [], "\n".join(heard.roles)


def test_one_click_on_a_step_goes_there(window, qtbot):
    window.start_practice(window.context.practice("unblending"), playback_rate=0.02)
    session = window.session
    session.audio.cancel()
    session.checkin.go.click()
    steps = session.player_view.steps
    rect = steps.visualItemRect(steps.item(4))
    qtbot.mouseClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.runner.index == 4
    qtbot.mouseDClick(steps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert session.runner.index == 4              # a double click is still one move
    name, description, role = announced(steps)
    assert "go" in (name + description).lower()
    session.shutdown()


def test_more_voices_is_a_button(qtbot):
    """A disclosure, not a choice: it says what it will do next."""
    from app.ui.settings.voice import VoiceList, VoiceOption
    voices = VoiceList()
    qtbot.addWidget(voices)
    voices.set_options([VoiceOption("a", "Standard voice", True),
                        VoiceOption("b", "Another voice", False)], "a")
    voices.show()
    _name, _description, role = announced(voices.more)
    assert role == QAccessible.Role.Button
    qtbot.mouseClick(voices.more, Qt.MouseButton.LeftButton)
    assert voices._radios["b"].isVisible() and announced(voices.more)[0] == "Show fewer voices"
