"""The applications-menu entry, icon and AppStream file, installed for this user only.

`securebase --install-desktop-entry` (run by `bash tools/bootstrap.sh run` the first time) puts
them under $XDG_DATA_HOME (~/.local/share): applications/, icons/hicolor/ and metainfo/, with
the menu entry's Exec line pointing at the `securebase` that ran the command.
`securebase --uninstall-desktop-entry` removes exactly those files again. The templates are the
bundled resources/desktop/ and resources/icons/ (validated in tests/desktop).
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from app import paths
from app.desktop import APP_ID, ICON_SIZES
from app.storage.files import write_private
_EXEC_RESERVED = re.compile(r"""[\s"'\\><~|&;$*?#()`]""")


def xdg_data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launcher_command() -> list[str]:
    """How the menu should start this very installation: the `securebase` script that is
    running (kept unresolved, so a pipx link survives upgrades), else `python -m app`."""
    script = Path(sys.argv[0])
    if script.name == "securebase" and os.access(script, os.X_OK):
        return [str(script.absolute())]
    return [sys.executable, "-m", "app"]


def exec_line(command: list[str]) -> str:
    """A desktop-entry Exec value: arguments quoted as the spec asks, then escaped as a
    string value (backslashes doubled) and with % doubled, since % starts a field code."""
    def quote(arg: str) -> str:
        if not _EXEC_RESERVED.search(arg):
            return arg
        return '"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"'
    return " ".join(quote(arg) for arg in command).replace("\\", "\\\\").replace("%", "%%")


def targets(data_home: Path | None = None) -> dict[Path, Path]:
    """Installed file → its bundled source."""
    home = data_home or xdg_data_home()
    source = paths.RESOURCES_DIR
    files = {
        home / "applications" / f"{APP_ID}.desktop": source / "desktop" / f"{APP_ID}.desktop",
        home / "metainfo" / f"{APP_ID}.metainfo.xml":
            source / "desktop" / f"{APP_ID}.metainfo.xml",
        home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg":
            source / "icons" / "securebase.svg",
    }
    for size in ICON_SIZES:
        files[home / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"] = (
            source / "icons" / f"securebase-{size}.png")
    return files


def install_desktop_entry(command: list[str] | None = None,
                          data_home: Path | None = None) -> list[Path]:
    """Install (or refresh) the entry, icons and metainfo; returns the files written."""
    written = []
    for target, source in targets(data_home).items():
        data = source.read_bytes()
        if target.suffix == ".desktop":
            data = _with_exec(data.decode("utf-8"), command or launcher_command()).encode()
        write_private(target, data)
        os.chmod(target, 0o644)  # nothing private here; some menus read entries as another user
        written.append(target)
    _touch_icon_theme(data_home or xdg_data_home())
    return written


def uninstall_desktop_entry(data_home: Path | None = None) -> list[Path]:
    """Remove what install_desktop_entry wrote; returns the files that were there."""
    removed = []
    for target in targets(data_home):
        try:
            target.unlink()
        except FileNotFoundError:
            continue
        removed.append(target)
    if removed:
        _touch_icon_theme(data_home or xdg_data_home())
    return removed


def _with_exec(entry: str, command: list[str]) -> str:
    lines = [line for line in entry.splitlines() if not line.startswith(("Exec=", "TryExec="))]
    at = lines.index("[Desktop Entry]") + 1
    try_exec = command[0].replace("\\", "\\\\")  # a plain path: string escapes only
    lines[at:at] = [f"TryExec={try_exec}", f"Exec={exec_line(command)}"]
    return "\n".join(lines) + "\n"


def _touch_icon_theme(home: Path) -> None:
    """Icon caches notice a theme folder whose time changed; menus then show the new icon."""
    theme = home / "icons" / "hicolor"
    if theme.is_dir():
        os.utime(theme)
