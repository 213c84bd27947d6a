"""Calm palette, fonts and spacing shared by every widget.

Contrast is measured, not guessed (tests/ui/test_contrast.py, WCAG 2.2): text and muted text
are at least 4.5:1 on window, surface and soft; the focus ring, slider track and control
edges at least 3:1 against what surrounds them, in both themes. Every control keeps the same
outer size when it takes focus: the ring replaces a border of the same width (transparent or
quiet), so nothing shifts when Tab moves.
"""
from __future__ import annotations

from dataclasses import dataclass

from app import paths


# Compared and shown by identity (there are two, LIGHT and DARK): Python 3.11's @dataclass
# makes each method it generates with exec, and the first frame has no use for __eq__,
# __hash__ or __repr__ of a palette (2.8 million instructions under callgrind).
@dataclass(frozen=True, eq=False, repr=False)
class Palette:
    """The colours of one theme (light or dark), as stylesheet colour strings."""
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
    ground_text: str
    figure: str        # body silhouette fill
    figure_line: str
    focus: str         # the focus ring: >= 3:1 against window, surface, soft and figure
    track: str         # a slider's groove, and control edges that must be seen (>= 3:1)


LIGHT = Palette(
    name="light", window="#f5f1ea", surface="#fffdf9", text="#2f3a3a", muted="#5a6464",
    accent="#4f7c74", accent_text="#ffffff", soft="#e3ece7", border="#ddd5c8",
    ground="#8f5f38", ground_text="#ffffff", figure="#efe4d6", figure_line="#a99a88",
    focus="#1d4f48", track="#8a857c",
)
DARK = Palette(
    name="dark", window="#1f2424", surface="#272d2d", text="#e8e4dc", muted="#aeb5b1",
    accent="#7fb0a5", accent_text="#162020", soft="#33403d", border="#3a4442",
    ground="#d3a27a", ground_text="#1b1714", figure="#3a403e", figure_line="#7d8783",
    focus="#f0c987", track="#87918d",
)
PALETTES = {p.name: p for p in (LIGHT, DARK)}

FONT_FAMILY = "Cantarell, 'DejaVu Sans', sans-serif"
BASE_POINT_SIZE = 11
STEP_TEXT_POINT_SIZE = 16
RADIUS = 10
# A list item's padding and border (px): the border is the room of its focus ring. Wrapped
# items are measured inside both (widgets.wrap_items).
ITEM_PADDING = 8
ITEM_BORDER = 2
# A reading area's focus ring (px), transparent until focused: the grounding's help lines its
# words up inside it (session/grounding.py).
READING_RING = 2


def icon(name: str, p: Palette) -> str:
    """A small drawing in the theme's colours (resources/ui): arrow-down and arrow-up in the
    text colour, for drop-downs and spin boxes; check in the colour of text on the accent."""
    return (paths.RESOURCES_DIR / "ui" / f"{name}-{p.name}.svg").as_posix()


def stylesheet(p: Palette) -> str:
    return _base(p) + _fields(p) + _choices(p) + _scroll_bars(p)


def _base(p: Palette) -> str:
    return f"""
    QWidget {{ background: {p.window}; color: {p.text}; font-family: {FONT_FAMILY};
               font-size: {BASE_POINT_SIZE}pt; outline: none; }}
    QLabel, QCheckBox, QRadioButton, QGroupBox, QSlider {{ background: transparent; }}
    QScrollArea, QScrollArea > QWidget > QWidget {{ background: transparent; }}
    QScrollArea[reading="true"] {{ border: {READING_RING}px solid transparent;
                                  border-radius: 6px; }}
    QScrollArea[reading="true"]:focus {{ border-color: {p.focus}; }}
    QLabel[role="title"] {{ font-size: 20pt; font-weight: 600; }}
    QLabel[role="subtitle"] {{ font-size: 13pt; color: {p.muted}; }}
    QLabel[role="muted"] {{ color: {p.muted}; }}
    QLabel[role="steptext"] {{ font-size: {STEP_TEXT_POINT_SIZE}pt; line-height: 150%; }}
    QLabel:focus {{ border: 2px solid {p.focus}; border-radius: 6px; }}
    QFrame[role="card"] {{ background: {p.surface}; border: 1px solid {p.border};
                           border-radius: {RADIUS}px; }}
    QPushButton {{ background: {p.surface}; border: 1px solid {p.border};
                   border-radius: {RADIUS}px; padding: 8px 16px; }}
    QPushButton:hover {{ background: {p.soft}; }}
    QPushButton:focus {{ border: 2px solid {p.focus}; padding: 7px 15px; }}
    QPushButton:disabled {{ color: {p.muted}; }}
    QPushButton[role="primary"], QPushButton[role="ground"] {{ border: 2px solid transparent;
        background-clip: padding; padding: 7px 15px; }}
    QPushButton[role="primary"] {{ background: {p.accent}; color: {p.accent_text}; }}
    QPushButton[role="ground"] {{ background: {p.ground}; color: {p.ground_text};
                                  font-weight: 600; }}
    QPushButton[role="primary"]:focus, QPushButton[role="ground"]:focus {{
        border: 2px solid {p.focus}; }}
    QPushButton[role="primary"]:disabled {{ background: {p.border}; color: {p.muted}; }}
    QPushButton[role="nav"] {{ text-align: left; padding: 8px 12px; background: transparent;
                               border: 2px solid transparent; }}
    QPushButton[role="nav"][current="true"] {{ background: {p.soft}; font-weight: 600; }}
    QPushButton[role="nav"]:hover {{ background: {p.soft}; }}
    QPushButton[role="nav"]:focus {{ border: 2px solid {p.focus}; }}
    QPushButton[role="chip"] {{ padding: 6px 8px; border-radius: 14px; }}
    QPushButton[role="chip"]:focus {{ padding: 5px 7px; }}
    QPushButton[role="chip"]:checked {{ background: {p.accent}; color: {p.accent_text};
        border: 2px solid transparent; background-clip: padding; padding: 5px 7px; }}
    QPushButton[role="chip"]:checked:focus {{ border-color: {p.focus}; }}
    QToolTip {{ background: {p.surface}; color: {p.text}; border: 1px solid {p.track}; }}
    """


def _fields(p: Palette) -> str:
    """Lists, text fields, spin boxes and drop-downs: a frame that must be seen (the track
    colour, 3:1) and turns into a 3 px ring, so that 2 px of it change by 3:1 or more."""
    down, up = icon("arrow-down", p), icon("arrow-up", p)
    return f"""
    QListWidget, QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox, QComboBox {{
        background: {p.surface}; border: 1px solid {p.track}; border-radius: 6px;
        padding: 4px; placeholder-text-color: {p.muted}; }}
    QListWidget:focus, QLineEdit:focus, QTextEdit:focus, QPlainTextEdit:focus,
    QAbstractSpinBox:focus, QComboBox:focus {{ border: 3px solid {p.focus}; padding: 2px; }}
    QListWidget::item {{ padding: {ITEM_PADDING}px; border: {ITEM_BORDER}px solid transparent;
                         border-radius: 6px; }}
    QListWidget::item:selected {{ background: {p.soft}; color: {p.text}; }}
    QListWidget::item:focus {{ border: {ITEM_BORDER}px solid {p.focus}; }}
    QComboBox {{ padding-right: 28px; }}
    QComboBox:focus {{ padding-right: 26px; }}
    QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
        width: 26px; border: none; background: transparent; }}
    QComboBox::down-arrow {{ image: url({down}); width: 12px; height: 8px; }}
    QComboBox QAbstractItemView {{ background: {p.surface}; border: 1px solid {p.track};
        selection-background-color: {p.soft}; selection-color: {p.text}; }}
    QAbstractSpinBox {{ padding-right: 30px; }}
    QAbstractSpinBox:focus {{ padding-right: 28px; }}
    QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
        width: 26px; border: none; border-left: 1px solid {p.border}; background: transparent; }}
    QAbstractSpinBox::up-button {{ subcontrol-position: top right; margin: 2px 2px 0 0; }}
    QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; margin: 0 2px 2px 0; }}
    QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
        background: {p.soft}; }}
    QAbstractSpinBox::up-arrow {{ image: url({up}); width: 12px; height: 8px; }}
    QAbstractSpinBox::down-arrow {{ image: url({down}); width: 12px; height: 8px; }}
    QProgressBar {{ border: 1px solid {p.track}; border-radius: 6px; background: {p.surface};
                    text-align: center; height: 10px; }}
    QProgressBar::chunk {{ background: {p.accent}; border-radius: 6px; }}
    """


def _choices(p: Palette) -> str:
    """Check boxes, radio buttons, sliders and tabs: a ring around the whole control."""
    return f"""
    QCheckBox, QRadioButton {{ border: 2px solid transparent; border-radius: 6px;
                               padding: 3px 6px; }}
    QCheckBox:focus, QRadioButton:focus {{ border-color: {p.focus}; }}
    QCheckBox::indicator, QGroupBox::indicator {{ width: 16px; height: 16px;
        border: 1px solid {p.track}; border-radius: 4px; background: {p.surface}; }}
    QRadioButton::indicator {{ width: 16px; height: 16px; border: 1px solid {p.track};
        border-radius: 9px; background: {p.surface}; }}
    QCheckBox::indicator:checked, QGroupBox::indicator:checked {{ background: {p.accent};
        border-color: {p.accent}; image: url({icon("check", p)}); }}
    QRadioButton::indicator:checked {{ border-color: {p.accent}; background: qradialgradient(
        cx: 0.5, cy: 0.5, radius: 0.5, fx: 0.5, fy: 0.5, stop: 0 {p.accent},
        stop: 0.55 {p.accent}, stop: 0.6 {p.surface}, stop: 1 {p.surface}); }}
    QSlider {{ border: 2px solid transparent; border-radius: 8px; padding: 2px 4px; }}
    QSlider:focus {{ border-color: {p.focus}; }}
    QSlider::groove:horizontal {{ height: 6px; background: {p.track}; border-radius: 3px; }}
    QSlider::sub-page:horizontal {{ background: {p.accent}; border-radius: 3px; }}
    QSlider::handle:horizontal {{ background: {p.accent}; border: 2px solid {p.surface};
                                  width: 16px; margin: -7px 0; border-radius: 10px; }}
    QSlider::handle:horizontal:focus {{ background: {p.focus}; }}
    QTabBar::tab {{ background: transparent; border: 3px solid transparent;
                    border-radius: 6px; padding: 6px 14px; margin-right: 4px; }}
    QTabBar::tab:selected {{ background: {p.soft}; font-weight: 600; }}
    QTabBar::tab:focus {{ border-color: {p.focus}; }}
    QTabWidget::pane {{ border: none; }}
    """


def _scroll_bars(p: Palette) -> str:
    """Quiet bars: a rounded handle in the track colour (3:1), no arrow buttons."""
    return f"""
    QScrollBar:vertical {{ background: transparent; width: 12px; margin: 2px; }}
    QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 2px; }}
    QScrollBar::handle {{ background: {p.track}; border-radius: 4px; }}
    QScrollBar::handle:vertical {{ min-height: 32px; }}
    QScrollBar::handle:horizontal {{ min-width: 32px; }}
    QScrollBar::handle:hover {{ background: {p.muted}; }}
    QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
    QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
    """
