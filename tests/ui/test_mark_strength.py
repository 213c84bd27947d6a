"""A body mark's strength is the person's answer or nothing: it starts "not rated" (on screen
and to a screen reader), a mark is saved with its place only, and a strength given by keys,
click or wheel (with focus only) can be cleared again."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.ui.body.mark_panel import dot_colour, intensity_colour
from app.ui.common.theme import DARK, LIGHT
from tests.support.contrast import ratio
from tests.support.journal import read_now
from tests.ui.test_body_map import journal, save, tap, widget  # noqa: F401 (fixtures)


def marks(qtbot, journal):  # noqa: F811
    return read_now(qtbot, journal, lambda j: j.body_marks())


def test_it_starts_not_rated_in_words_and_to_a_screen_reader(qtbot, widget):
    tap(qtbot, widget, "front", "throat")
    panel = widget.panel
    assert panel.strength() is None
    assert "not rated" in panel.intensity_value.text()
    assert panel.intensity_value.accessibleName() == "Strength not rated"
    assert panel.intensity.accessibleDescription().startswith("Not rated")
    assert panel.clear_strength.isHidden()                 # nothing to clear yet


def test_a_mark_with_its_place_only_is_saved_unrated(qtbot, widget, journal):  # noqa: F811
    tap(qtbot, widget, "front", "throat")
    with qtbot.waitSignal(widget.markSaved, timeout=5000):
        qtbot.mouseClick(widget.panel.save_button, Qt.MouseButton.LeftButton)
    assert [(m.region, m.intensity) for m in marks(qtbot, journal)] == [("throat", None)]
    assert widget.status.text() == "Noted: Throat. Ctrl+Z undoes it."
    assert [d.intensity for d in widget.canvas.dots] == [None]


def test_keys_rate_it_and_delete_clears_it(qtbot, widget, journal):  # noqa: F811
    tap(qtbot, widget, "front", "jaw")
    slider = widget.panel.intensity
    assert slider.hasFocus()
    qtbot.keyClick(slider, Qt.Key.Key_8)
    assert widget.panel.strength() == 8
    assert widget.panel.intensity_value.accessibleName() == "Strength 8 / 10"
    assert slider.accessibleDescription().startswith("8 out of 10")
    qtbot.keyClick(slider, Qt.Key.Key_Delete)
    assert widget.panel.strength() is None
    qtbot.keyClick(slider, Qt.Key.Key_Left)                # an arrow answers again: 8 → 7
    assert widget.panel.strength() == 7
    save(qtbot, widget)
    assert [m.intensity for m in marks(qtbot, journal)] == [7]
    assert "7 / 10" in widget.status.text()


def test_a_click_rates_it_and_clear_takes_it_back(qtbot, widget, journal):  # noqa: F811
    tap(qtbot, widget, "back", "upper-spine")
    slider = widget.panel.intensity
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton,
                     pos=QPoint(slider.width() - 4, slider.height() // 2))
    assert widget.panel.strength() == 10
    assert widget.panel.clear_strength.isVisible()
    qtbot.mouseClick(widget.panel.clear_strength, Qt.MouseButton.LeftButton)
    assert widget.panel.strength() is None and slider.hasFocus()
    save(qtbot, widget)
    assert [m.intensity for m in marks(qtbot, journal)] == [None]


def wheel(slider) -> None:
    centre = QPointF(slider.width() / 2, slider.height() / 2)
    event = QWheelEvent(centre, slider.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(slider, event)


def test_the_wheel_rates_it_only_with_focus(qtbot, widget):
    tap(qtbot, widget, "front", "throat")
    slider = widget.panel.intensity
    widget.panel.note.setFocus()
    wheel(slider)
    assert widget.panel.strength() is None                 # scrolling past changes nothing
    slider.setFocus()
    wheel(slider)
    assert widget.panel.strength() is not None


def test_each_new_mark_starts_not_rated_again(qtbot, widget):
    tap(qtbot, widget, "front", "throat")
    widget.panel.set_strength(9)
    save(qtbot, widget)
    tap(qtbot, widget, "front", "jaw")
    assert widget.panel.strength() is None


@pytest.mark.parametrize("palette", [LIGHT, DARK], ids=["light", "dark"])
def test_an_unrated_dot_is_neutral_and_seen(palette):
    neutral = dot_colour(None, palette)
    assert ratio(neutral, palette.figure) >= 3.0
    assert ratio(neutral, palette.window) >= 3.0
    strengths = {intensity_colour(n / 10).name() for n in range(11)}
    assert neutral.name() not in strengths                 # never looks like a strength
    assert dot_colour(4, palette) == intensity_colour(0.4)
