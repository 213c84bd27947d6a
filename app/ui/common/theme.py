"""Calm palette, fonts and spacing shared by every widget."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Palette:
    name: str
    window: str
    surface: str       # cards, panels
    text: str
    muted: str         # secondary text
    accent: str        # primary actions, focus
    accent_text: str
    soft: str          # gentle highlight (hover, selected)
    border: str
    ground: str        # the Pause & ground button
    figure: str        # body silhouette fill
    figure_line: str


LIGHT = Palette(
    name="light", window="#f5f1ea", surface="#fffdf9", text="#2f3a3a", muted="#6b7676",
    accent="#4f7c74", accent_text="#ffffff", soft="#e3ece7", border="#ddd5c8",
    ground="#b5835a", figure="#efe4d6", figure_line="#a99a88",
)
DARK = Palette(
    name="dark", window="#1f2424", surface="#272d2d", text="#e8e4dc", muted="#a3aaa6",
    accent="#7fb0a5", accent_text="#162020", soft="#33403d", border="#3a4442",
    ground="#d3a27a", figure="#3a403e", figure_line="#7d8783",
)
PALETTES = {p.name: p for p in (LIGHT, DARK)}

FONT_FAMILY = "Cantarell, 'DejaVu Sans', sans-serif"
BASE_POINT_SIZE = 11
STEP_TEXT_POINT_SIZE = 16
SPACING = 16
RADIUS = 10


def stylesheet(p: Palette) -> str:
    return f"""
    QWidget {{ background: {p.window}; color: {p.text}; font-family: {FONT_FAMILY};
               font-size: {BASE_POINT_SIZE}pt; }}
    QLabel, QCheckBox, QGroupBox, QSlider {{ background: transparent; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QCheckBox::indicator, QGroupBox::indicator {{ width: 16px; height: 16px;
        border: 1px solid {p.muted}; border-radius: 4px; background: {p.surface}; }}
    QCheckBox::indicator:checked, QGroupBox::indicator:checked {{ background: {p.accent};
        border-color: {p.accent}; }}
    QLabel[role="title"] {{ font-size: 20pt; font-weight: 600; }}
    QLabel[role="subtitle"] {{ font-size: 13pt; color: {p.muted}; }}
    QLabel[role="muted"] {{ color: {p.muted}; }}
    QLabel[role="steptext"] {{ font-size: {STEP_TEXT_POINT_SIZE}pt; line-height: 150%; }}
    QFrame[role="card"] {{ background: {p.surface}; border: 1px solid {p.border};
                           border-radius: {RADIUS}px; }}
    QPushButton {{ background: {p.surface}; border: 1px solid {p.border}; border-radius: {RADIUS}px;
                   padding: 8px 16px; }}
    QPushButton:hover {{ background: {p.soft}; }}
    QPushButton:focus {{ border: 2px solid {p.accent}; }}
    QPushButton:disabled {{ color: {p.muted}; }}
    QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; border: none; }}
    QPushButton[role="nav"] {{ text-align: left; padding: 10px 14px; border: none;
                               background: transparent; }}
    QPushButton[role="nav"]:checked {{ background: {p.soft}; font-weight: 600; }}
    QPushButton[role="nav"]:hover {{ background: {p.soft}; }}
    QPushButton[role="ground"] {{ background: {p.ground}; color: #ffffff; border: none;
                                  font-weight: 600; }}
    QListWidget, QLineEdit, QTextEdit, QPlainTextEdit, QSpinBox, QComboBox {{
        background: {p.surface}; border: 1px solid {p.border}; border-radius: 6px; padding: 4px; }}
    QListWidget::item {{ padding: 8px; }}
    QListWidget::item:selected {{ background: {p.soft}; color: {p.text}; }}
    QProgressBar {{ border: 1px solid {p.border}; border-radius: 6px; background: {p.surface};
                    text-align: center; height: 10px; }}
    QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
    QSlider::groove:horizontal {{ height: 6px; background: {p.border}; border-radius: 3px; }}
    QSlider::handle:horizontal {{ background: {p.accent}; width: 18px; margin: -6px 0;
                                  border-radius: 9px; }}
    QToolTip {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.border}; }}
    """
