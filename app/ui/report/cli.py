"""Registers `securebase export --format pdf` with the journal commands (through
app.qt.progress_reads, so app/ui never imports app.storage).

Storage may not import Qt, so the PDF exporter is plugged in from here. Nothing Qt-related
is imported until a PDF is actually asked for, so other commands start as fast as before.
"""
from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

_gui: list[Any] = []                    # the QGuiApplication, kept for the process's life


def add_commands(subparsers: Any) -> None:
    """Called by app/__main__.py with the other command modules; adds no command of its own."""
    from app.qt.progress_reads import register_pdf_command
    register_pdf_command(export_pdf)


def export_pdf(journal, out: Path, start: date | None, end: date | None) -> str:
    """Draw the report with a window-less Qt: offscreen when there is no display."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from app.qt.progress_reads import export_report, span_from_args
    from app.ui.report.pdf import render

    if QGuiApplication.instance() is None:
        _gui.append(QGuiApplication(["securebase"]))
    return export_report(journal, out, span_from_args(journal, start, end), render)
