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
    qtbot.waitUntil(lambda: "not using now" in view.summary.text(), timeout=5000)
    assert "MB" in view.summary.text() or "less than 1 MB" in view.summary.text()
    view.clear.setFocus()
    qtbot.keyClick(view.clear, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: view.summary.text().startswith("Cleared"), timeout=5000)
    assert "All of it is for the voice and pace you use now." in view.summary.text()
    assert len(list(paths.chunk_cache_dir().rglob("*.wav"))) == 2   # 140's two sentences
    assert view.clear.hasFocus()                                   # the keyboard stays put
    qtbot.keyClick(view.clear, Qt.Key.Key_Space)
    assert view.summary.text().startswith("There is nothing to clear")
