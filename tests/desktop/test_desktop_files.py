"""The menu entry, icon and AppStream file: valid, installed for the user, and removable."""
from __future__ import annotations

import configparser
import shlex
import shutil
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app import paths
from app.__main__ import main
from app.desktop import APP_ID, ICON_SIZES
from app.desktop.entry import exec_line, targets

DESKTOP = paths.RESOURCES_DIR / "desktop"
ICONS = paths.RESOURCES_DIR / "icons"


def need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        pytest.skip(f"{program} is not installed (bash tools/bootstrap.sh test installs it)")
    return found


def validate_desktop(file: Path) -> None:
    result = subprocess.run([need("desktop-file-validate"), str(file)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_the_bundled_entry_is_valid() -> None:
    validate_desktop(DESKTOP / f"{APP_ID}.desktop")


def test_the_metainfo_is_valid_with_screenshots() -> None:
    metainfo = DESKTOP / f"{APP_ID}.metainfo.xml"
    result = subprocess.run([need("appstreamcli"), "validate", "--no-net", "--pedantic",
                             str(metainfo)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "pedantic" not in result.stdout, result.stdout
    text = metainfo.read_text()
    assert text.count("<screenshot") >= 3 and "<description>" in text
    for name in ("library.png", "player.png", "grounding.png"):
        assert f"/docs/screenshots/{name}</image>" in text
        assert (paths.PROJECT_ROOT / "docs" / "screenshots" / name).exists()


def argb(image) -> np.ndarray:
    """H×W×4 channel values 0-255 of an ARGB32 image."""
    data = np.frombuffer(bytes(image.constBits()), np.uint8)
    rows = data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4).astype(int)


def differing(a, b) -> np.ndarray:
    """Per pixel, the largest channel difference between two same-sized images."""
    return np.abs(argb(a.convertToFormat(b.format())) - argb(b)).max(axis=2)


def rounding_only(diff: np.ndarray) -> bool:
    """The same PySide6 on another processor rounds an edge pixel or two differently (2
    pixels of the 48 px icon one step apart on this machine's CPU): a channel may differ by 2
    steps in at most 1 % of the pixels; an SVG edited without re-running make_icons moves
    far more."""
    return bool(diff.max() <= 2 and (diff > 0).mean() <= 0.01)


def test_the_icon_pngs_are_the_svg_rendered(qapp) -> None:
    """The committed PNGs are the SVG as Qt renders it, up to rounding."""
    from PySide6.QtGui import QImage
    import tools.make_icons as make_icons
    for size in ICON_SIZES:
        png = QImage(str(ICONS / f"securebase-{size}.png"))
        assert (png.width(), png.height()) == (size, size)
        fresh = make_icons.render(ICONS / "securebase.svg", size)
        diff = differing(png, fresh)
        assert rounding_only(diff), (
            f"run tools/make_icons.py ({size}: {(diff > 0).sum()} pixels differ, by up to "
            f"{diff.max()})")


def test_the_icon_check_sees_a_changed_svg(qapp, tmp_path: Path) -> None:
    """The tolerance above still catches a real change: a colour nudged in the SVG."""
    import re
    import tools.make_icons as make_icons
    svg = (ICONS / "securebase.svg").read_text()
    colour = re.search(r"#[0-9a-fA-F]{6}", svg)
    assert colour is not None
    nudged = "#%06x" % (int(colour.group()[1:], 16) ^ 0x101010)
    changed = tmp_path / "changed.svg"
    changed.write_text(svg.replace(colour.group(), nudged))
    assert not rounding_only(differing(make_icons.render(ICONS / "securebase.svg", 48),
                                       make_icons.render(changed, 48)))


def test_install_and_uninstall_for_the_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "data home"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    launcher = tmp_path / "a folder with spaces" / "securebase"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\n")
    launcher.chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(launcher)])
    assert main(["--install-desktop-entry"]) == 0
    assert "applications menu" in capsys.readouterr().out
    entry = home / "applications" / f"{APP_ID}.desktop"
    validate_desktop(entry)
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read(entry)
    group = parsed["Desktop Entry"]
    assert shlex.split(group["Exec"]) == [str(launcher)]   # quoted, so the spaces survive
    assert group["TryExec"] == str(launcher) and group["Icon"] == APP_ID
    for file in targets(home):
        assert file.exists() and stat.S_IMODE(file.stat().st_mode) == 0o644
    assert (home / "icons/hicolor/256x256/apps" / f"{APP_ID}.png").exists()
    assert (home / "icons/hicolor/scalable/apps" / f"{APP_ID}.svg").exists()

    assert main(["--uninstall-desktop-entry"]) == 0
    assert "removed" in capsys.readouterr().out
    assert not any(file.exists() for file in targets(home))
    assert main(["--uninstall-desktop-entry"]) == 0
    assert "nothing to remove" in capsys.readouterr().out


@pytest.mark.parametrize("command, line", [
    (["/opt/securebase/bin/securebase"], "/opt/securebase/bin/securebase"),
    (["/home/a b/securebase"], '"/home/a b/securebase"'),
    (["/usr/bin/python3", "-m", "app"], "/usr/bin/python3 -m app"),
    (['/x/"odd"$/s%'], '"/x/\\\\"odd\\\\"\\\\$/s%%"'),
])
def test_exec_line_quoting(command: list[str], line: str) -> None:
    assert exec_line(command) == line
