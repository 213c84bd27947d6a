"""The progress view's four charts — intensity before and after, the change, sessions and
Self-energy — each in a card with its title and a caption that says what it counts."""
from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.core.charts import Chart, range_charts
from app.core.progress_records import Progress
from app.ui.common.theme import Palette
from app.ui.progress.chart_widget import ChartWidget
from app.ui.progress.widgets import section

CHART_HEIGHT = 250
TITLES = {"intensity": "Intensity before and after practice",
          "change": "Change from before to after", "sessions": "Sessions",
          "energy": "Self-energy (the eight C's)"}


class ProgressCharts(QWidget):
    """Four chart cards, one or two per row."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(14)
        self.captions: dict[str, QLabel] = {}
        self.views: dict[str, ChartWidget] = {}
        self.charts: dict[str, Chart] = {}
        self.cards: list[QWidget] = []
        for key, title in TITLES.items():
            frame, layout, caption = section(title)
            view = ChartWidget(title, palette, CHART_HEIGHT)
            layout.addWidget(view, 1)
            self.captions[key], self.views[key] = caption, view
            self.cards.append(frame)
        self.columns = 0

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            for n, card in enumerate(self.cards):
                self.grid.addWidget(card, n // columns, n % columns)

    def fill(self, progress: Progress) -> None:
        for chart in range_charts(progress.periods, progress.sessions, progress.summary,
                                  progress.span, progress.bucket):
            self.charts[chart.key] = chart
            self.captions[chart.key].setText(chart.caption)
            self.views[chart.key].set_chart(chart)
