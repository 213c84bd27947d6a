""""What helps": plain sentences first, the charts beside them — the typical change per
practice and per part, and each of the eight C's over time as small charts."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.core import helps_text as say
from app.core.axes import time_axis
from app.core.helps import Helps
from app.core.helps_charts import quality_charts, spread_chart
from app.core.progress_text import number
from app.core.trends import Bucket, Span
from app.ui.common.theme import Palette
from app.ui.common.widgets import label
from app.ui.progress.chart_widget import ChartWidget, SpreadWidget
from app.ui.progress.widgets import section

SMALL_HEIGHT = 120


def _heading(text: str) -> QLabel:
    heading = label(text, wrap=False)
    heading.setStyleSheet("font-weight: 600; margin-top: 6px;")
    return heading


class HelpsCard(QWidget):
    """Practices and parts (sentences | spread chart), then Self-energy quality by quality."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        frame, layout, self.caption = section("What helps", say.INTRO)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.empty = label(say.EMPTY, "muted")
        layout.addWidget(self.empty)
        self.groups: dict[str, tuple[QLabel, QLabel, SpreadWidget]] = {}
        self.rows = QGridLayout()
        self.rows.setHorizontalSpacing(18)
        self.rows.setColumnStretch(0, 3)
        layout.addLayout(self.rows)
        for key, name in (("practices", "Practices"), ("parts", "Parts")):
            text = label("")
            text.setAccessibleName(f"What helps: {name.lower()}")
            spread = SpreadWidget(f"Typical change per {name.lower()[:-1]}", palette)
            self.groups[key] = (_heading(name), text, spread)
        self.energy_heading = _heading("Self-energy, quality by quality")
        self.energy_text = label("")
        self.energy_text.setAccessibleName("Self-energy, quality by quality")
        layout.addWidget(self.energy_heading)
        layout.addWidget(self.energy_text)
        self.small = QGridLayout()
        self.small.setSpacing(10)
        self.small_charts: list[tuple[QLabel, ChartWidget]] = []
        for _ in range(8):
            title = label("", "muted", wrap=False)
            chart = ChartWidget("Self-energy quality", palette, SMALL_HEIGHT, compact=True)
            self.small_charts.append((title, chart))
        layout.addLayout(self.small)
        self.columns = 0

    def set_columns(self, columns: int) -> None:
        """Side by side on a wide window; the charts under their sentences on a narrow one."""
        if columns == self.columns:
            return
        self.columns = columns
        self.rows.setColumnStretch(1, 2 if columns == 2 else 0)
        for n, (heading, text, spread) in enumerate(self.groups.values()):
            self.rows.addWidget(heading, 3 * n, 0, 1, columns)
            self.rows.addWidget(text, 3 * n + 1, 0)
            if columns == 2:
                self.rows.addWidget(spread, 3 * n + 1, 1, Qt.AlignmentFlag.AlignTop)
            else:
                self.rows.addWidget(spread, 3 * n + 2, 0)
        per_row = 4 if columns == 2 else 2
        for n, (title, chart) in enumerate(self.small_charts):
            self.small.addWidget(title, 2 * (n // per_row), n % per_row)
            self.small.addWidget(chart, 2 * (n // per_row) + 1, n % per_row)

    def fill(self, helps: Helps | None, span: Span, bucket: Bucket) -> None:
        empty = helps is None or helps.empty
        self.empty.setVisible(empty)
        for key, (heading, text, spread) in self.groups.items():
            items = [] if empty else getattr(helps, key)
            sentence = say.practice_sentence if key == "practices" else say.part_sentence
            text.setText("\n\n".join(sentence(i) for i in items))
            for w in (heading, text):
                w.setVisible(bool(items))
            spread.set_chart(spread_chart(key, heading.text(), items) if items else None)
        qualities = [] if helps is None or helps.empty else helps.qualities
        shown = any(q.n for q in qualities)
        self.energy_heading.setVisible(not empty)
        self.energy_text.setVisible(not empty)
        if not empty:
            self.energy_text.setText(say.qualities_overview(qualities))
        x = time_axis(span, bucket, 3)
        for (title, widget), chart, q in zip(self.small_charts,
                                             quality_charts(qualities, x) if shown else [],
                                             qualities):
            compared = (f"{number(q.first)} → {number(q.second)}"
                        if q.direction != "few" and q.first is not None and q.second is not None
                        else "too few to compare")
            title.setText(f"{chart.title} · {compared}")
            widget.setAccessibleName(f"{chart.title} over time")
            widget.set_chart(chart)
            widget.setAccessibleDescription(say.quality_sentence(q))
        for title, widget in self.small_charts:
            title.setVisible(shown)
            widget.setVisible(shown)
