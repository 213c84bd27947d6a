"""The body map asks its question once: the page's heading or intro asks it, the list beside
the figure only says how to answer (it asked again in the same words, a line away)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from tests.ui.test_session_body_map import open_practice, press_b
from tests.ui.test_session_flow import context, window  # noqa: F401 - fixtures


def shown_words(root) -> str:
    return " ".join(label.text() for label in root.findChildren(QLabel)
                    if label.isVisibleTo(root) and label.text().strip())


def test_quick_body_check_in_asks_once_and_says_how_once(window, qtbot):
    window.show_page("body")
    words = shown_words(window.pages["body"])
    assert words.count("Where do you notice") == 1, words
    assert words.count("Tap the") == 1, words
    assert "left and right" in words


def test_body_map_in_a_practice_asks_once(window, qtbot):
    session = open_practice(window, qtbot)
    body_map = press_b(qtbot, session)
    words = shown_words(body_map.window())
    assert words.count("Where do you notice") == 1, words
    assert words.count("Tap the") == 1, words
