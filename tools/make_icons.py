"""Render resources/icons/securebase.svg to the PNG sizes desktops look for.

    .venv/bin/python tools/make_icons.py      # after changing the SVG

The SVG is the one source; the PNGs are committed because icon themes (and menus that cannot
draw SVG) want them, and tests/desktop/test_desktop_files.py checks they match the SVG.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ICONS = ROOT / "resources" / "icons"


def render(svg: Path, size: int):
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(svg)).render(painter)
    painter.end()
    return image


def main() -> int:
    from PySide6.QtGui import QGuiApplication
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    from app.desktop import ICON_SIZES
    for size in ICON_SIZES:
        out = ICONS / f"securebase-{size}.png"
        if not render(ICONS / "securebase.svg", size).save(str(out), "PNG"):
            print(f"could not write {out}", file=sys.stderr)
            return 1
    print(f"{len(ICON_SIZES)} PNGs written to {ICONS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
