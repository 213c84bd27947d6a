"""LineCappedLabel measures a font's average character once, however often it is laid out."""
from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QFont, QFontMetricsF

from app.ui.common import widgets


def test_a_fonts_average_width_is_measured_once(qapp, monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt asks a wrapped label its height for a width again and again while a window is laid
    out (~50 times for the library's labels before the first frame), and each answer needs the
    line cap, from SAMPLE's width: shaping its hundred characters every time cost the first
    frame 5.8 million instructions under callgrind. On main SAMPLE was measured 20 times here."""
    measured: list[str] = []

    class Counting(QFontMetricsF):
        def horizontalAdvance(self, text, *args):  # noqa: N802
            measured.append(text)
            return super().horizontalAdvance(text, *args)

    monkeypatch.setattr(widgets, "QFontMetricsF", Counting)
    monkeypatch.setattr(widgets, "_AVERAGE_WIDTHS", {}, raising=False)   # measured afresh
    small, large = widgets.label("Choose what feels right today."), widgets.label("A title")
    large.setFont(QFont(large.font().family(), 20))
    for width in range(300, 800, 50):
        small.heightForWidth(width)
        large.heightForWidth(width)
    assert measured.count(widgets.SAMPLE) == 2              # once for each font
    # and the cap is what measuring each time gave
    for shown in (small, large):
        average = QFontMetricsF(shown.font()).horizontalAdvance(widgets.SAMPLE) / len(
            widgets.SAMPLE)
        assert shown._cap() == math.ceil(average * widgets.LINE_CAP)
