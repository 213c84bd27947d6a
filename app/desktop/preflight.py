"""What to check before Qt starts, so a person reads one plain line instead of Qt's abort dump.

Qt aborts (exit 134, with a hint about libxcb-cursor0 whatever the cause) when it has no screen
or when its platform plugin cannot load; neither can be caught once QApplication is created.
So, before it is: is there a screen at all, and do the platform plugin's libraries load? A
missing library is named together with the Debian package that provides it.
"""
from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Mapping
from pathlib import Path

try:    # what ctypes.CDLL calls to load a library; importing ctypes itself costs the window's
    from _ctypes import dlopen      # start-up ~2 ms more (bench/startup.py)
except ImportError:                 # a Python whose ctypes is built differently
    from ctypes import CDLL as dlopen  # type: ignore[assignment]

# Checked against `dpkg -S` on Debian 12 (tests/desktop/test_preflight.py).
DEBIAN_PACKAGES = {
    "libGL.so.1": "libgl1", "libEGL.so.1": "libegl1", "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0", "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-image.so.0": "libxcb-image0", "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shm.so.0": "libxcb-shm0", "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1", "libxcb-xinerama.so.0": "libxcb-xinerama0",
    "libX11-xcb.so.1": "libx11-xcb1", "libX11.so.6": "libx11-6",
    "libXrandr.so.2": "libxrandr2", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0", "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6", "libdbus-1.so.3": "libdbus-1-3",
    "libpulse.so.0": "libpulse0", "libsndfile.so.1": "libsndfile1",
    "libespeak-ng.so.1": "libespeak-ng1", "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0", "libwayland-egl.so.1": "libwayland-egl1",
}
# Platforms that need no screen of the desktop's (tests, remote viewers, kiosks).
HEADLESS_PLATFORMS = ("offscreen", "minimal", "minimalegl", "vnc", "eglfs", "linuxfb",
                      "vkkhrdisplay")
# dlopen's words for a library that is not installed, or is there but damaged or empty
# (compiled by `re` when a library fails to load, not at every start).
_MISSING = (r"(lib[\w.+-]+\.so(?:\.\d+)*): (?:cannot open shared object file|"
            r"file too short|invalid ELF header)")

NO_DISPLAY = ("securebase: there is no screen to open the window on (neither DISPLAY nor "
              "WAYLAND_DISPLAY is set). Start Secure Base from your desktop's applications "
              "menu or from a terminal inside your desktop; `securebase --help` lists what "
              "works without a window.")


def display_problem(env: Mapping[str, str] = os.environ) -> str | None:
    """One line saying what to do when Qt would find no screen; None when there is one."""
    if _platform(env) in HEADLESS_PLATFORMS or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY


def plugin_problem(env: Mapping[str, str] = os.environ) -> str | None:
    """Load the platform plugin Qt will use, as Qt would; a missing library becomes a line
    naming the package to install. None when it loads (or there is nothing to check)."""
    plugin = _plugin_file(_platform(env))
    if plugin is None:
        return None
    try:
        dlopen(str(plugin), os.RTLD_LAZY)
    except OSError as exc:
        return missing_library_message(str(exc)) or (
            f"securebase: Qt's {plugin.stem.removeprefix('libq')} plugin cannot load ({exc}).")
    return None


def missing_library_message(error: str) -> str | None:
    """For an error such as "libEGL.so.1: cannot open shared object file", a line naming the
    Debian package that provides the library; None for any other error."""
    found = re.search(_MISSING, error)
    if found is None:
        return None
    library = found.group(1)
    package = DEBIAN_PACKAGES.get(library)
    how = (f"on Debian or Ubuntu it comes with the package {package} "
           f"(sudo apt install {package})" if package
           else f"`apt-file search {library}` tells which package provides it")
    return f"securebase: the system library {library} is missing or damaged; {how}."


def _platform(env: Mapping[str, str]) -> str:
    """The platform Qt tries first: QT_QPA_PLATFORM's first entry, else by the session."""
    chosen = env.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if chosen:
        return chosen
    if env.get("DISPLAY"):
        return "xcb"  # X11, and XWayland on most Wayland desktops
    return "wayland" if env.get("WAYLAND_DISPLAY") else ""


def _plugin_file(platform: str) -> Path | None:
    if platform not in ("xcb", "wayland"):
        return None
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    plugin = (Path(list(spec.submodule_search_locations)[0]) / "Qt" / "plugins" / "platforms"
              / f"libq{platform}.so")
    return plugin if plugin.exists() else None
