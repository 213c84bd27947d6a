"""Start the window: style, practices, preferences; the journal opens after the first paint."""
from __future__ import annotations

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from app.qt.app_services import load_library_lazily, load_preferences
from app.ui.context import AppContext
from app.ui.main_window import MainWindow, start_after_paint, when_first_painted
from app.ui.common.theme import BASE_POINT_SIZE


def create_app(argv: list[str]) -> QApplication:
    from app.qt.app_services import private_process
    private_process()           # every file the window writes is owner-only
    os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
    running = QApplication.instance()
    app = running if isinstance(running, QApplication) else QApplication(argv)
    app.setApplicationName("Secure Base")
    app.setApplicationDisplayName("Secure Base")
    app.setFont(QFont("Cantarell", BASE_POINT_SIZE))
    from app.desktop import APP_ID
    app.setDesktopFileName(APP_ID)     # the menu entry's id (Wayland matches windows by it)
    # The key policy (keys go to the focused control first) is installed after the first
    # paint, by MainWindow.after_first_paint: an application-wide Python event filter makes
    # PySide wrap every object that gets an event, and build each class's enums the first
    # time, which slowed the first frame by ~75 ms. Nothing can be typed before that frame.
    return app


def set_window_icon(app: QApplication) -> None:
    """The icon of every window, for desktops that do not take it from the menu entry. Set
    once the first frame is on screen (run_app): the first icon file read
    makes Qt scan its image-format plugins, 6-13 ms, and the window's contents need no image.
    (Qt hands an icon set later to the windows already shown.)"""
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QIcon
    from app import paths
    from app.desktop import ICON_SIZES
    icon = QIcon()
    for size in ICON_SIZES:  # the pixels are read only when a size is first drawn
        icon.addFile(str(paths.RESOURCES_DIR / "icons" / f"securebase-{size}.png"),
                     QSize(size, size))
    app.setWindowIcon(icon)


def build_window(context: AppContext | None = None) -> MainWindow:
    if context is None:
        context = AppContext([], [], load_preferences(), library=load_library_lazily())
    return MainWindow(context)


def build_window_noting_crashes() -> MainWindow:
    """run_app's window, built once the instance lock is held: this run's crash note is armed
    (app.storage.crash_note), and if the last run crashed the window says so, plainly and
    once, when the journal has opened (before any offer to resume)."""
    from app.qt.app_services import arm_crash_note
    notice = arm_crash_note()
    window = build_window()
    if notice:
        window.startup_notices.append(notice)
    return window


def run_app(argv: list[str]) -> int:
    app = create_app(argv)
    from app.ui.error_reporting import install_error_reporting
    install_error_reporting()
    from app.qt.app_services import StartupProblem, claim_instance
    from app.ui.common.widgets import message
    try:
        claim = claim_instance()
        if claim.lock is None:                  # another window, or a command, has it
            set_window_icon(app)
            message(None, claim.message).exec()
            return claim.code
        lock = claim.lock
        window = build_window_noting_crashes()
    except StartupProblem as exc:              # the data folder is a file, read-only, …
        set_window_icon(app)
        from PySide6.QtWidgets import QMessageBox
        message(None, str(exc), icon=QMessageBox.Icon.Warning).exec()
        return 1
    window.show()
    start_after_paint(window)
    when_first_painted(window, lambda: set_window_icon(app))
    connect_media_keys_later(window)
    watch_raise_requests(window, lock)
    quit_signals = close_on_quit_signals(app, window)
    code = app.exec()
    quit_signals.restore()
    # Renders end here, while the lock is held: Python's exit waits for a render's worker
    # pool before any atexit hook could cancel it (the process outlived its window by 18-23 s,
    # still rendering), and a relaunch meanwhile would share the cache with it.
    from app.qt.tasks import close_background_work
    close_background_work()
    lock.release()
    return code


def connect_media_keys_later(window: MainWindow) -> None:
    """The sound menu's entry (D-Bus) once the window is on screen: the window comes first.
    The service is kept for the app's life."""
    def connect() -> None:
        from app.ui.media_keys import connect_media_keys
        window.media_keys = connect_media_keys(window)
    when_first_painted(window, connect)


def close_on_quit_signals(app: QApplication, window: MainWindow):
    """SIGTERM, SIGHUP and Ctrl+C close the window calmly (app.qt.quit_signals)."""
    from app.qt.quit_signals import QuitSignals
    signals = QuitSignals(app)

    def close(reason: str) -> None:
        window.close_for_system(reason)
        app.quit()                       # also ends a message box's own event loop
    signals.requested.connect(close)
    return signals


def watch_raise_requests(window: MainWindow, lock) -> None:
    """A second launch asks this window to come forward (see app.qt.app_services)."""
    def check() -> None:
        if lock.take_raise_request():
            window.bring_to_front()
    timer = QTimer(window)
    timer.timeout.connect(check)
    timer.start(700)


if __name__ == "__main__":
    sys.exit(run_app(sys.argv))
