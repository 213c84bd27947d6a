"""What the first frame waits for: the library screen, nothing else. Heavy modules (sound,
charts, speech, SQLite, the journal service) load when first used, after the first paint;
bench/startup.py times it, this test keeps it so."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import paths
from tests.support.dbus import session_bus  # noqa: F401 - a private session bus (fixture)

# Notes the name of every Python enum PySide makes from here on (in `made_enums`).
COUNT_ENUMS = """
import enum
made_enums = []
make_enum = enum.EnumType._create_
def counting(*args, **kwargs):
    made_enums.append(args[1] if len(args) > 1 else "?")
    return make_enum(*args, **kwargs)
enum.EnumType._create_ = counting
"""
# Notes every regular expression compiled from here on (in `made_patterns`).
COUNT_PATTERNS = """
import re
made_patterns = []
compile_pattern = re._compile
def compiling(pattern, flags):
    made_patterns.append(str(getattr(pattern, "pattern", pattern)))
    return compile_pattern(pattern, flags)
re._compile = compiling
"""
# Notes the name of every class made a dataclass from here on (in `made_records`), and of
# every method @dataclass generates for them (`made_methods`: each is made with exec).
COUNT_RECORDS = """
import dataclasses
made_records, made_methods = [], []
process_class, create_fn = dataclasses._process_class, dataclasses._create_fn
def noting(cls, *args, **kwargs):
    made_records.append(cls.__name__)
    return process_class(cls, *args, **kwargs)
def generating(name, *args, **kwargs):
    made_methods.append(made_records[-1] + "." + name)
    return create_fn(name, *args, **kwargs)
dataclasses._process_class, dataclasses._create_fn = noting, generating
"""
FIRST_FRAME = """
import json, sys
from PySide6.QtCore import QCoreApplication
from app.ui.app import build_window, create_app
""" + COUNT_ENUMS + """
app = create_app(sys.argv[:1])
window = build_window()
window.show()
for _ in range(5):
    QCoreApplication.processEvents()
enum.EnumType._create_ = make_enum
before = sorted(sys.modules)
notice_before = window.journal_notice is not None
from app.ui.common.keys import KeyPolicy
policy_before = app.findChild(KeyPolicy) is not None
window.after_first_paint()          # what the first paint starts: the journal opens
notice_after = window.journal_notice is not None and not window.journal_notice.isVisible()
policy_after = app.findChild(KeyPolicy) is not None
window.context.journal.close()
print(json.dumps({"enums": made_enums, "modules": before, "notice": [notice_before, notice_after],
                  "key policy": [policy_before, policy_after]}))
"""
WAIT_FOR_FIRST_USE = ("PySide6.QtMultimedia", "PySide6.QtCharts", "numpy", "pyttsx3",
                      "sqlite3", "sqlite_utils", "app.qt.journal_service",
                      "app.storage.journal", "app.speech.engine")


def run_probe(code: str, home: Path) -> dict:
    """Run a first-frame probe in a fresh interpreter (offscreen, its own data folder) and
    return the JSON it prints last."""
    env = {**os.environ, "SECUREBASE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            text=True, timeout=120, env=env, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def first_frame(home: Path) -> dict:
    return run_probe(FIRST_FRAME, home)


def test_the_first_frame_loads_only_what_the_library_needs(tmp_path: Path) -> None:
    found = first_frame(tmp_path)
    early = [name for name in WAIT_FOR_FIRST_USE if name in found["modules"]]
    assert early == [], f"loaded before the first frame: {early}"
    # the journal notice comes with the journal service, hidden until there is news
    assert found["notice"] == [False, True]
    # the application-wide key filter waits too: PySide wraps every object that gets an
    # event while it is installed (~75 ms more before the first frame); then it is there
    assert found["key policy"] == [False, True]


def test_the_first_frame_does_not_make_pyside_build_every_widget_enum(tmp_path: Path) -> None:
    """PySide makes a class's Python enums the first time Python meets the class. Meeting a
    widget Qt made itself (an event filter on the application, the list's own viewport) makes
    it try every widget class: ~200 enums, 75–120 ms before the first frame on 2 cores."""
    found = first_frame(tmp_path)
    assert len(found["enums"]) < 20, found["enums"]


# The `securebase` command as a person runs it (logging, the data folder, the one-window lock,
# error reporting), up to the end of the window's first paint pass: which modules it loaded.
COMMAND_FIRST_FRAME = COUNT_ENUMS + COUNT_RECORDS + COUNT_PATTERNS + """
import json, os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
import app.ui.main_window as main_window
made = main_window.MainWindow.__init__

class FirstPass(QObject):
    def eventFilter(self, watched, event):
        if event.type() in (QEvent.Type.Expose, QEvent.Type.Paint):
            watched.removeEventFilter(self)
            QTimer.singleShot(0, done)
        return False

def libraries():
    with open("/proc/self/maps") as maps:
        return sorted({line.split()[-1].rsplit("/", 1)[-1] for line in maps if ".so" in line})

def done():
    from PySide6.QtWidgets import QApplication
    first = {"modules": sorted(sys.modules), "enums": list(made_enums),
             "records": list(made_records), "methods": list(made_methods),
             "patterns": list(made_patterns),
             "libraries": libraries(),
             "icon at first frame": not QApplication.windowIcon().isNull(),
             "media keys at first frame": made_window.media_keys is not None}
    def later():
        sizes = [size.width() for size in QApplication.windowIcon().availableSizes()]
        print(json.dumps({**first, "icon sizes later": sizes, "libraries later": libraries(),
                          "media keys later": made_window.media_keys is not None}), flush=True)
        os._exit(0)
    QTimer.singleShot(200, later)

def watched(self, *args, **kwargs):
    global made_window
    made(self, *args, **kwargs)
    made_window = self
    self._first_pass, show = FirstPass(self), self.show
    def showing():
        show()
        self.windowHandle().installEventFilter(self._first_pass)
    self.show = showing
main_window.MainWindow.__init__ = watched
sys.argv = ["securebase"]
from app.__main__ import console
sys.exit(console())
"""
# Standard modules the command used to load before its first frame for one small use each:
# logging.handlers (socket, pickle, queue) for the log's rotation, secrets (hmac, OpenSSL)
# for partial-file names, hashlib (OpenSSL) for the library cache's checksum, ctypes for the
# platform plugin's check. Together ~20 ms on 2 cores (bench/startup.py). The cache's sum is a
# CRC-32 of its bytes now (zlib is loaded already): no SHA-256 at all. `signal` builds its
# enums as it is imported; the quit signals need only the C module under it.
NOT_FOR_THE_FIRST_FRAME = ("logging.handlers", "socket", "pickle", "secrets", "hmac",
                           "hashlib", "_hashlib", "_sha256", "ctypes", "signal")


# Enums of classes the first frame does not need, by a name only that class has: QStyle's
# (PixelMetric, StandardPixmap…: ~20 enums, thousands of values, ~6 ms; the library's cards
# read their state from the list, and the sidebar is styled once, by the stylesheet),
# QMessageBox's (made when a box is shown), the `Qt` namespace's (GlobalColor, Key…: ~93
# enums, ~15 ms; built by importing `Qt`, reading a Qt enum back, or any overloaded painter
# call such as setPen: the cards are painted by app.ui.library.card_paint) and QThread's.
# Each enum PySide builds costs ~0.2-0.35 ms (1-2 million instructions under callgrind):
# QAction's and QIcon's (MenuRole, ThemeIcon: the "More…" menu's actions are made when it
# first opens), QMetaMethod's (Access: QTimer.singleShot(ms, receiver, fn) picks among
# overloads that take one) and QItemSelectionModel's (SelectionFlag: the cards ask their row's
# item whether it is selected) and QByteArray's (Base64Option: the window's saved place is
# made one only when there is one; a first launch has none).
NOT_BUILT_FOR_THE_FIRST_FRAME = ("PixelMetric", "StandardPixmap", "ButtonRole", "GlobalColor",
                                 "Key", "QualityOfService", "MenuRole", "ThemeIcon", "Access",
                                 "SelectionFlag", "Base64Option")


def command_first_frame(home: Path) -> dict:
    found = run_probe(COMMAND_FIRST_FRAME, home)
    assert "app.ui.library.view" in found["modules"]   # it did reach the library's first frame
    return found


def cached_command_first_frame(home: Path) -> dict:
    """A launch with the library cached, as every launch after the first is (the first also
    reads and checks every script)."""
    command_first_frame(home)
    return command_first_frame(home)


def test_the_command_loads_no_standard_module_the_first_frame_does_not_need(tmp_path: Path
                                                                             ) -> None:
    modules = command_first_frame(tmp_path)["modules"]
    early = [name for name in NOT_FOR_THE_FIRST_FRAME if name in modules]
    assert early == [], f"loaded before the first frame: {early}"


def test_the_command_builds_no_enums_of_classes_the_first_frame_does_not_use(tmp_path: Path
                                                                           ) -> None:
    enums = command_first_frame(tmp_path)["enums"]
    early = [name for name in NOT_BUILT_FOR_THE_FIRST_FRAME if name in enums]
    assert early == [], f"built before the first frame: {early}"


def test_the_window_icon_comes_right_after_the_first_frame(tmp_path: Path) -> None:
    """Reading the first icon file makes Qt scan its image-format plugins (6-13 ms); the
    window's contents need no image, so the icon is set once they are on screen."""
    from app.desktop import ICON_SIZES
    found = command_first_frame(tmp_path)
    assert found["icon at first frame"] is False
    assert sorted(found["icon sizes later"]) == sorted(ICON_SIZES)


POLISHED_OUTSIDE = """
import json, sys
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QMenu, QScrollBar, QWidget
from app.ui.app import build_window, create_app
from app.ui.main_window import MainWindow
app = create_app(sys.argv[:1])
outside = []
class Polishing(QObject):
    def eventFilter(self, watched, event):
        if (event.type() == QEvent.Type.Polish and isinstance(watched, QWidget)
                and not isinstance(watched.window(), MainWindow)
                # Qt's own parts of the list, and the menu (a popup: its own window)
                and not isinstance(watched, (QScrollBar, QMenu))):
            outside.append(type(watched).__name__)
        return False
polishing = Polishing()
app.installEventFilter(polishing)
window = build_window()
window.show()
for _ in range(5):
    QCoreApplication.processEvents()
app.removeEventFilter(polishing)
print(json.dumps(outside))
"""


def test_the_window_is_polished_once_in_its_final_style(tmp_path: Path) -> None:
    """Every widget of the first frame is polished inside the window, whose stylesheet is
    already set: none in Qt's plain style first, then again for the stylesheet (the library,
    added to a stack not yet in the window, was: ~3 ms of the first frame)."""
    assert run_probe(POLISHED_OUTSIDE, tmp_path) == []


def test_records_made_before_the_first_frame_carry_their_own_docstring(tmp_path: Path) -> None:
    """Python 3.11's @dataclass gives a class without a docstring one made of its signature,
    with inspect.signature, when the class is made: ~1 million instructions a class (about
    0.2 ms) for each record the command defines before its first frame (the library cached)."""
    import dataclasses
    import importlib
    modules = [name for name in cached_command_first_frame(tmp_path)["modules"]
               if name == "app" or name.startswith("app.")]
    undocumented = [
        f"{name}.{cls.__name__}" for name in modules
        for cls in vars(importlib.import_module(name)).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == name
        and (cls.__doc__ or "").startswith(cls.__name__ + "(")]
    assert undocumented == [], undocumented


# Records the first frame does not use, each made by Python 3.11's @dataclass with `exec` (~5
# million instructions, ~1 ms a class): a step's segments are cut when it is first played or
# recorded (app.core.segment); a script's problems come with the checks, or with a broken
# script in the library (app.core.problems); a cached library's cards are drawn from the
# cache, and its practices and their steps are made right after the first frame (with their
# decoding, ~16 million instructions: app.storage.library_cache.LazyLibrary).
RECORDS_NOT_FOR_THE_FIRST_FRAME = ("Segment", "ScriptProblem", "BrokenScript", "Practice",
                                   "Step")


def test_the_command_makes_no_record_class_the_first_frame_does_not_use(tmp_path: Path
                                                                       ) -> None:
    assert_none_before_the_first_frame(tmp_path, "records", "Preferences",
                                       RECORDS_NOT_FOR_THE_FIRST_FRAME)


# Methods @dataclass would generate that nothing uses, for records made before the first
# frame: each is compiled from source with exec by Python 3.11 (0.5-1.5 million instructions
# under callgrind). The two palettes, the window's context and the instance claim are
# compared and shown by identity.
UNUSED_METHODS = ("Palette.__eq__", "Palette.__hash__", "Palette.__repr__",
                  "AppContext.__eq__", "AppContext.__repr__", "Claim.__eq__", "Claim.__hash__",
                  "Claim.__repr__")


def test_records_made_before_the_first_frame_generate_only_methods_in_use(tmp_path: Path
                                                                          ) -> None:
    assert_none_before_the_first_frame(tmp_path, "methods", "Preferences.__init__",
                                       UNUSED_METHODS)


def assert_none_before_the_first_frame(tmp_path: Path, kind: str, seen: str,
                                       unwanted: tuple[str, ...]) -> None:
    """None of `unwanted` among the `kind` the probe saw made; `seen` (one that is made)
    proves the probe sees them at all."""
    made = cached_command_first_frame(tmp_path)[kind]
    assert seen in made
    early = [name for name in unwanted if name in made]
    assert early == [], f"{kind} made before the first frame: {early}"


def test_the_command_compiles_no_pattern_only_an_error_or_a_log_line_needs(tmp_path: Path
                                                                            ) -> None:
    """The log's scrubbing of quoted values and the reading of a library that failed to load
    compile their patterns when first used, and a saved window place is checked letter by
    letter: none is compiled before the first frame (0.3-0.8 million instructions each under
    callgrind; on main all three were)."""
    import app.desktop.preflight
    import app.log
    patterns = command_first_frame(tmp_path)["patterns"]
    assert any("pause" in p for p in patterns)    # the probe sees the patterns compiled
    only_later = [getattr(p, "pattern", p) for p in (app.log._QUOTED,
                                                    app.desktop.preflight._MISSING)]
    only_later.append("[A-Za-z0-9+/]*={0,2}")     # the window place's, on main
    early = [p for p in only_later if p in patterns]
    assert early == [], f"compiled before the first frame: {early}"


# Shared libraries of sound (QtMultimedia, FFmpeg, PulseAudio), of the network and of
# QtQuick/QML (which QtMultimedia pulls in), and PySide's bindings of those and of the session
# bus (the sound menu's entry): none is mapped before the first frame. (Qt's own libQt6DBus is:
# libQt6Gui links it, for the empty window as well.)
NOT_MAPPED_FOR_THE_FIRST_FRAME = ("libQt6Multimedia", "libQt6Network", "libavcodec",
                                  "libavformat", "libpulse", "libQt6Quick", "libQt6Qml",
                                  "libffmpegmediaplugin", "QtMultimedia.", "QtDBus.",
                                  "QtNetwork.")


def test_sound_bus_and_network_libraries_load_after_the_first_frame(
        tmp_path: Path, session_bus: str) -> None:
    found = command_first_frame(tmp_path)
    early = [name for name in found["libraries"] if name.startswith(NOT_MAPPED_FOR_THE_FIRST_FRAME)]
    assert early == [], f"mapped before the first frame: {early}"
    # the sound menu's entry on the session bus is made right after it
    assert found["media keys at first frame"] is False and found["media keys later"] is True
    assert any(name.startswith("QtDBus.") for name in found["libraries later"])
