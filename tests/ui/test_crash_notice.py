"""After a crash the window says so plainly, once, when the journal has opened."""
from __future__ import annotations

import faulthandler
import sys

import pytest
from PySide6.QtWidgets import QMessageBox

from app import paths
from app.storage.crash_note import CRASH_NOTICE, NOTE_NAME, PREVIOUS_NAME
from app.ui.app import build_window_noting_crashes


def logs():
    folder = paths.data_dir() / "logs"
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


@pytest.fixture
def said(monkeypatch):
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: texts.append(box.text()) or 0)
    yield texts
    faulthandler.enable(sys.__stderr__, all_threads=True)   # the note was armed in-process


def open_window(qtbot):
    window = build_window_noting_crashes()
    qtbot.addWidget(window)
    window.after_first_paint()
    qtbot.waitUntil(lambda: window.context._journal is not None, timeout=10_000)
    return window


def test_the_start_after_a_crash_says_nothing_was_lost(qtbot, said):
    (logs() / NOTE_NAME).write_text("Fatal Python error: Segmentation fault\n")
    window = open_window(qtbot)
    qtbot.waitUntil(lambda: CRASH_NOTICE in said, timeout=10_000)
    assert said[0] == CRASH_NOTICE                       # first, before anything else
    assert "Segmentation" in (logs() / PREVIOUS_NAME).read_text()
    window.close()


def test_a_clean_start_says_nothing_about_crashes(qtbot, said):
    window = open_window(qtbot)
    qtbot.wait(200)
    assert CRASH_NOTICE not in said
    assert (logs() / NOTE_NAME).read_text() == ""
    window.close()
