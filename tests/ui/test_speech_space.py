"""Settings says how much room prepared speech takes and clears, by keyboard, what is not of
the voice and pace in use (app/ui/settings/speech_space.py)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from app import paths
from app.core.preferences import Preferences
from app.speech.plan import RenderSettings
from app.ui.settings.speech_space import SpeechSpace
from tests.speech.test_render import practice, run


class Context:
    def __init__(self) -> None:
        self.practices = [practice(close="Rest now. Breathe out.")]
        self.preferences = Preferences(voice="espeak:", rate=140)


def test_it_says_what_is_unused_and_clears_it_by_keyboard(qtbot, tmp_path: Path) -> None:
    context = Context()
    run(context.practices, tmp_path / "now", settings=RenderSettings(rate=140))
    run(context.practices, tmp_path / "before", settings=RenderSettings(rate=120))
    view = SpeechSpace(context)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "other voices or paces" in view.summary.text(), timeout=5000)
    assert "MB" in view.summary.text() or "less than 1 MB" in view.summary.text()
    view.clear.setFocus()
    qtbot.keyClick(view.clear, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.summary.text().startswith("Cleared"), timeout=5000)
    assert "All of it is for the voice and pace you use now." in view.summary.text()
    assert len(list(paths.chunk_cache_dir().rglob("*.wav"))) == 2   # 140's two sentences
    assert view.clear.hasFocus()                                   # the keyboard stays put
    qtbot.keyClick(view.clear, Qt.Key.Key_Space)
    assert view.summary.text().startswith("There is nothing to clear")


def test_steps_of_another_voice_and_of_a_removed_practice_count_and_clear(qtbot) -> None:
    """Finished steps are part of what is unused: on main Settings said "All of it is for
    the voice and pace you use now" with a whole other voice's steps, and a removed
    practice's, on the disk, and clearing left them."""
    from app.core.practice import Practice, Step
    from app.speech.voices import audio_dir_for
    context = Context()
    removed = Practice("removed", "Removed", "", 1.0, (Step("only", "Only", "Rest now."),))
    standard = RenderSettings(rate=140)
    us = RenderSettings(engine="espeak", voice="gmw/en-us", rate=140)
    run([*context.practices, removed], paths.audio_dir(), settings=standard)
    run(context.practices, audio_dir_for(paths.audio_dir(), us), settings=us)
    for path in paths.chunk_cache_dir().rglob("*.wav"):   # only steps are unused here
        path.unlink()
    view = SpeechSpace(context)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: "changed or removed" in view.summary.text(), timeout=5000)
    view.clear.setFocus()
    qtbot.keyClick(view.clear, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.summary.text().startswith("Cleared"), timeout=5000)
    assert "All of it is for the voice and pace you use now." in view.summary.text()
    assert sorted(p.relative_to(paths.audio_dir()).as_posix()
                  for p in paths.audio_dir().glob("**/*.wav") if ".lead" not in p.parts) == [
        "calm/close.wav"]


def test_the_figure_is_measured_again_when_the_voice_is_ready(qtbot) -> None:
    """On main the figure stayed as it was before the voice was prepared ("All of it is for
    the voice and pace you use now") until the page was shown again."""
    from PySide6.QtCore import QThreadPool
    from app.ui.context import AppContext
    from app.ui.settings.view import SettingsView
    context = Context()
    run(context.practices, paths.audio_dir(), settings=RenderSettings(rate=140))
    view = SettingsView(AppContext(context.practices, [], context.preferences))
    qtbot.addWidget(view)
    view.show()
    summary = view.speech_space.summary
    qtbot.waitUntil(lambda: "All of it is for the voice" in summary.text(), timeout=10000)
    view.rate.setFocus()
    view.rate.selectAll()
    qtbot.keyClicks(view.rate, "120")
    qtbot.keyClick(view.rate, Qt.Key.Key_Return)          # a new pace: the voice is prepared
    qtbot.waitUntil(lambda: view.render_status.text() == "The voice is ready.", timeout=60000)
    qtbot.waitUntil(lambda: "other voices or paces" in summary.text(), timeout=10000)
    QThreadPool.globalInstance().waitForDone(10000)
