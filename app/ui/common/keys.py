"""Keys act on the focused control first; a screen's own keys apply only when no control
claims the key.

Window-wide shortcuts take keys away from the control that has the focus: Space on a focused
"Return to the practice" button would play the voice instead of returning. So there are no
shortcuts for plain keys. One application event filter (`KeyPolicy`) sees each key press on
its way to the focused control and decides:

- Enter/Return on a button or check box clicks it, as Space does (Qt leaves Enter to dialogs);
- a control that claims the key (`claims`) gets it: Space/Enter on buttons, arrows on sliders,
  typing in text fields, Up/Down in lists;
- otherwise the nearest ancestor with a `screen_key(event) -> bool` method (the practice, the
  main window) may act on it. Esc and F1 are never claimed: they are the safety exits; nor
  are the media keys (next, previous, play/pause), which belong to the practice.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractItemView, QAbstractSlider, QAbstractSpinBox, QApplication,
    QComboBox, QLineEdit, QPlainTextEdit, QPushButton, QTextEdit, QWidget,
)

K = Qt.Key
SAFETY_KEYS = frozenset({K.Key_Escape, K.Key_F1})
# A keyboard's or headset's media keys are the practice's wherever the focus is (a search field
# would swallow them otherwise); without a practice under way they do nothing.
MEDIA_KEYS = frozenset({K.Key_MediaNext, K.Key_MediaPrevious, K.Key_MediaTogglePlayPause,
                        K.Key_MediaPlay, K.Key_MediaPause})
ENTER = frozenset({K.Key_Return, K.Key_Enter})
ACTIVATE = ENTER | {K.Key_Space, K.Key_Select}
PAGE_KEYS = frozenset({K.Key_PageUp, K.Key_PageDown, K.Key_Home, K.Key_End})
SLIDER_KEYS = PAGE_KEYS | {K.Key_Left, K.Key_Right, K.Key_Up, K.Key_Down}
# A vertical list moves with Up/Down and opens with Enter; ←/→ and letters stay the screen's.
LIST_KEYS = PAGE_KEYS | ENTER | {K.Key_Up, K.Key_Down}
COMBO_KEYS = PAGE_KEYS | {K.Key_Space, K.Key_Up, K.Key_Down}
TEXT_INPUTS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
FOCUS_KEYS = frozenset({K.Key_Tab, K.Key_Backtab})
COMMAND_MODIFIERS = (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                     | Qt.KeyboardModifier.MetaModifier)


def claims(widget: QWidget, event: QKeyEvent) -> bool:
    """Does this control use the key itself? (Then no screen key may take it.)"""
    key = event.key()
    if key in SAFETY_KEYS or key in FOCUS_KEYS or key in MEDIA_KEYS:
        return False
    if event.modifiers() & COMMAND_MODIFIERS:
        return False                   # Ctrl+Z and friends: the controls' own shortcuts
    if isinstance(widget, TEXT_INPUTS):
        return not _read_only(widget)
    if isinstance(widget, QAbstractButton):
        return key in ACTIVATE
    if isinstance(widget, QAbstractSlider):
        return key in SLIDER_KEYS
    if isinstance(widget, QComboBox):
        return key in COMBO_KEYS or bool(event.text().strip())     # type to choose
    if isinstance(widget, QAbstractItemView):
        return key in LIST_KEYS
    return key in _own_keys(widget)


def _read_only(widget: QWidget) -> bool:
    read_only = getattr(widget, "isReadOnly", None)
    return bool(read_only and read_only())


def _own_keys(widget: QWidget) -> frozenset:
    """A custom control names the keys it handles: setProperty("claimsKeys", [Qt.Key, …])."""
    keys = widget.property("claimsKeys")
    return frozenset(keys) if keys else frozenset()


def _screen_handler(widget: QWidget):
    """The nearest ancestor (inside the same window) that has keys of its own."""
    current: QWidget | None = widget
    while current is not None:
        handler = getattr(current, "screen_key", None)
        if callable(handler):
            return handler
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


class KeyPolicy(QObject):
    """The application's one key filter (see the module docstring)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        if key_event.key() in ENTER and _clicks_on_enter(watched):
            watched.click()            # type: ignore[attr-defined]
            return True
        if claims(watched, key_event):
            return False
        handler = _screen_handler(watched)
        return bool(handler and handler(key_event))


def _clicks_on_enter(widget: QWidget) -> bool:
    """Buttons and check boxes Qt would leave Enter to a dialog (a push button that is not a
    dialog's auto-default one, every check box and radio button)."""
    if not isinstance(widget, QAbstractButton) or not widget.isEnabled():
        return False
    return not (isinstance(widget, QPushButton) and widget.autoDefault())


def install_key_policy(app: QApplication | None = None) -> KeyPolicy:
    """Install the filter once on the application; later calls return the same one."""
    if app is None:
        from app.ui.common.widgets import gui_app
        app = gui_app()
    existing = app.findChild(KeyPolicy)
    if existing is not None:
        return existing
    policy = KeyPolicy(app)
    app.installEventFilter(policy)
    return policy
