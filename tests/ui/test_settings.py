"""Settings: preferences are saved; export works from the window; delete-all needs the word."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from app.storage.preferences import Preferences, load_preferences
from app.core.records import CheckIn
from app.ui.context import AppContext
from app.qt.journal_service import Table
from app.ui.settings.view import SettingsView
from tests.support.disk import tiny_disk  # noqa: F401  (a fixture)
from tests.support.journal import close_context, read_now


@pytest.fixture
def view(qtbot, tmp_path):
    # the real location, inside this test's own SECUREBASE_HOME
    context = AppContext([], [], Preferences())
    widget = SettingsView(context)
    qtbot.addWidget(widget)
    yield widget
    close_context(context)


def test_preferences_are_saved_as_they_change(view):
    view.volume.setValue(35)
    view.silence.setValue(1.5)
    view.streaks.setChecked(True)
    view.voice_while_marking.setChecked(True)
    view.theme.setCurrentIndex(1)
    saved = load_preferences()
    assert (saved.volume, saved.silence_multiplier, saved.show_streaks, saved.theme) == (
        0.35, 1.5, True, "dark")
    assert saved.voice_during_body_map


def test_export_json_from_the_window(view, qtbot, tmp_path):
    journal = view.context.journal
    session = journal.start_session("unblending", "Unblending")
    journal.write(lambda j: j.add_checkin(CheckIn("before", 4, session_id=session)),
                  Table.CHECKINS)
    read_now(qtbot, journal, lambda j: True)
    target = tmp_path / "out.json"
    messages = []
    view.data.export_to("json", target, messages.append)
    qtbot.waitUntil(lambda: bool(messages), timeout=10000)
    assert "1 session, 1 check-in" in messages[0]
    data = json.loads(target.read_text())
    assert [s["practice_id"] for s in data["tables"]["sessions"]] == ["unblending"]


def test_delete_all_needs_the_typed_word(view, qtbot, monkeypatch):
    monkeypatch.setattr("app.ui.settings.data.QMessageBox.information", lambda *a: None)
    journal = view.context.journal
    journal.start_session("unblending", "Unblending")
    count = lambda j: j.counts()["sessions"]                     # noqa: E731
    assert read_now(qtbot, journal, count) == 1
    path = journal.path
    assert not view.data.delete_all("yes please")
    assert path.exists() and read_now(qtbot, journal, count) == 1
    view.volume.setValue(20)
    with qtbot.waitSignal(view.data.data_deleted, timeout=5000):
        assert view.data.delete_all("delete")
    assert not path.exists()
    assert read_now(qtbot, journal, count) == 0                  # a fresh, empty journal
    assert view.context.preferences == Preferences() and view.volume.value() == 100


def test_switching_theme_repaints_every_view(qtbot, tmp_path):
    from app.storage.script_files import load_all
    from app.ui.main_window import MainWindow
    from app.ui.common.theme import DARK
    practices, broken = load_all()
    context = AppContext(practices, broken, Preferences())
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_page("body")
    old_body = window.pages["body"]
    window.show_page("settings")
    window.pages["settings"].theme.setCurrentIndex(1)
    assert context.palette is DARK
    assert window.library.list.itemDelegate().palette is DARK
    assert "body" not in window.pages                 # rebuilt with the new palette on return
    window.show_page("body")
    assert window.pages["body"] is not old_body


def test_settings_on_a_full_disk_are_said_calmly_and_kept(qtbot, tiny_disk, monkeypatch):
    """The settings file on a full disk: a plain sentence through the window's one failure
    handler (no traceback), and the choice still applies for this run."""
    monkeypatch.setenv("SECUREBASE_HOME", str(tiny_disk.root))
    context = AppContext([], [], Preferences())
    widget = SettingsView(context)
    qtbot.addWidget(widget)
    problems = []
    context.journal.failed.connect(problems.append)
    tiny_disk.fill()
    widget.volume.setValue(35)
    assert problems and "could not be saved (the disk is full)" in problems[-1].message
    assert context.preferences.volume == 0.35
    tiny_disk.free()
    close_context(context)


def test_tab_follows_the_page_when_the_voices_arrive_late(qtbot, tmp_path, monkeypatch):
    """review8, by keyboard under Xvfb: the voices are listed in a helper process and arrive
    after the page is built, and Qt put their rows at the end of the Tab order, so Tab went
    from the sidebar to Pace and reached the voices only after "Open the log folder"."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget
    from app.ui.settings.voice import VoiceOption
    monkeypatch.setattr(SettingsView, "_load_voices", lambda self: None)
    context = AppContext([], [], Preferences())
    view = SettingsView(context)
    qtbot.addWidget(view)
    view.show()
    view.voice.set_options([VoiceOption("a", "Natural voice", True),
                            VoiceOption("b", "Standard voice", True),
                            VoiceOption("c", "Another voice", False)], "a")
    qtbot.waitUntil(lambda: view.voice._radios["a"].isVisible(), timeout=3000)
    order: list[QWidget] = []
    widget = view.nextInFocusChain()
    while widget is not view:
        if widget.isVisible() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            order.append(widget)
        widget = widget.nextInFocusChain()
    voices = view.voice
    # the chosen voice's radio is the group's one Tab stop
    expected = [voices._radios["a"], voices.listen_buttons["a"],
                voices.listen_buttons["b"], voices.more, view.rate, view.listen_pace,
                view.volume, view.silence, view.theme]
    assert [w for w in order if w in expected] == expected
    assert order.index(view.theme) < order.index(view.help.findChildren(type(voices.more))[-1])
    close_context(context)


def test_every_voice_name_is_shown_whole_at_800_by_600(qtbot, monkeypatch):
    """review8 (Xvfb, 800×600): "Standard voice (American English, espeak-ng" was cut off at
    its end, and "More voices" showed longer names still, such as "English (America, New
    York City) (en-us-nyc, espeak-ng)". The names are the voices' own; the engine and the
    language code are in the tooltip."""
    from types import SimpleNamespace as Voice
    from PySide6.QtWidgets import QApplication, QScrollArea
    from app.ui.common.theme import stylesheet
    from app.ui.main_window import MainWindow
    from app.ui.settings.voice import voice_options
    monkeypatch.setattr(SettingsView, "_load_voices", lambda self: None)
    voices = [Voice(engine="piper", id="piper:en_US-joe-medium", name="Joe, natural voice",
                    language="en-us"),
              Voice(engine="espeak", id="gmw/en-us", name="English (America)", language="en-us")]
    voices += [Voice(engine="espeak", id=f"gmw/{code}", name=name, language=code)
               for code, name in (("en-us-nyc", "English (America, New York City)"),
                                  ("en-gb-x-rp", "English (Received Pronunciation)"),
                                  ("en-gb-x-gbcwmd", "English (West Midlands)"))]
    context = AppContext([], [], Preferences())
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.setStyleSheet(stylesheet(context.palette))
    window.show()
    window.resize(800, 600)
    window.show_page("settings")
    view = window.pages["settings"]
    view.voice.set_options(voice_options(voices, "piper:en_US-joe-medium", "gmw/en-us"), None)
    view.voice.more.click()
    radios = list(view.voice._radios.values())
    qtbot.waitUntil(lambda: all(r.isVisible() for r in radios), timeout=3000)
    QApplication.processEvents()
    cut = [(r.text(), r.width(), r.sizeHint().width()) for r in radios
           if r.width() < r.sizeHint().width() or not r.visibleRegion().boundingRect().width()
           >= r.width() - 2]
    assert cut == []
    page = view.findChild(QScrollArea)
    assert page.horizontalScrollBar().maximum() == 0          # and nothing scrolls sideways
    assert "espeak-ng" in view.voice._radios["gmw/en-us-nyc"].toolTip()
    close_context(context)


def test_the_data_folder_is_shown_on_a_line_of_its_own(view, qtbot):
    """Run on after the sentence, the path broke after its first "/" ("…computer: /" then
    "tmp/…"): the whole path starts its own line, and can be selected to copy."""
    from PySide6.QtWidgets import QLabel
    from app import paths
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    folder = str(paths.data_dir())
    shown = [text for text in view.data.findChildren(QLabel) if folder in text.text()]
    assert [text.text() for text in shown] == [folder]
    assert shown[0].textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
