""""Where it was felt": the body figures shaded by a colour key (how often, or how strongly),
the most-noticed areas in words, and every marked area in a table that a keyboard or screen
reader can read (the figures' tooltips need a mouse)."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QHBoxLayout, QHeaderView, QPushButton,
    QTableWidget, QTableWidgetItem, QToolTip, QVBoxLayout, QWidget,
)

from app.core import body
from app.core import progress_text as words
from app.core.progress import (
    HEAT_MEASURES, HeatKey, RegionHeat, RegionTrend, heat_key, heat_shades,
)
from app.core.records import VIEWS
from app.ui.body.paint import heat_key_items, paint_body, paint_heat_key
from app.ui.common.theme import Palette
from app.ui.common.widgets import label, tab_stop_on_choice
from app.ui.progress.widgets import section

Heat = dict[tuple[str, str], RegionHeat]
# "Intensity", not "Average": an area marked once has no average (its tooltip says which).
TABLE_COLUMNS = ("Area", "Side", "Times", "Intensity (0–10)", "Lately")
STRENGTH_TIP = ("For an area marked more than once, the average of its rated marks; for one "
                "mark, that mark's own number.")
SWATCH = 14                            # px, a colour key swatch
KEY_TITLES = {"count": "Times noticed:", "intensity": "Average intensity:"}


class HeatFigure(QWidget):
    """The body map's figures, read-only, shaded by the key's classes."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.heat: Heat = {}
        self.key: HeatKey | None = None
        self._transforms: dict = {}
        self.setMinimumSize(260, 300)
        self.setMouseTracking(True)
        self.setAccessibleName("Body heat map, front and back")

    def set_heat(self, heat: Heat, key: HeatKey, summary: str) -> None:
        self.heat, self.key = heat, key
        self.setAccessibleDescription(summary)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.font())
        shades = heat_shades(self.heat, self.key) if self.key else {}
        self._transforms = paint_body(p, QRectF(self.rect()), shades, self.palette_)
        p.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self._region_at(event.position())
        if hit is None:
            QToolTip.hideText()
            return
        found = self.heat.get(hit)
        text = words.region_name(*hit) + (
            f": {words.plural(found.count, 'time')}, " + words.average_strength(
                found.mean_intensity, found.count, found.rated, "average ") if found
            else ": not marked in this range")
        QToolTip.showText(event.globalPosition().toPoint(), text, self)

    def _region_at(self, pos: QPointF) -> tuple[str, str] | None:
        for view in VIEWS:
            t = self._transforms.get(view)
            if t is None:
                return None
            inverse, ok = t.inverted()
            point = inverse.map(QPointF(pos))
            found = body.region_at(view, point.x(), point.y()) if ok else None
            if found:
                return view, found.id
        return None


class HeatKeyWidget(QWidget):
    """The colour key: what each shade stands for."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.key: HeatKey | None = None
        self.setMinimumHeight(28)
        self.setAccessibleName("Colour key")

    def set_key(self, key: HeatKey) -> None:
        self.key = key
        self.setAccessibleDescription(f"{KEY_TITLES[key.measure]} lightest "
                                      + ", then ".join(key.labels) + ", darkest.")
        self._fit()
        self.update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """As tall as the key's lines at this width (it wraps in a narrow window)."""
        if self.key is None:
            return
        metrics = QFontMetricsF(self.font())
        lines = 1 + max(line for _, line, _ in heat_key_items(
            self.key, KEY_TITLES[self.key.measure], metrics, SWATCH, self.width()))
        height = int(lines * max(metrics.height(), SWATCH) * 1.4) + 2
        if height != self.minimumHeight():
            self.setMinimumHeight(height)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.key is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.font())
        paint_heat_key(p, QRectF(self.rect()), self.key, self.palette_, SWATCH,
                       KEY_TITLES[self.key.measure], self.palette_.muted)
        p.end()


class RegionTable(QTableWidget):
    """Every marked area of the range, sortable, read with the keyboard."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(0, len(TABLE_COLUMNS), parent)
        self.setHorizontalHeaderLabels(TABLE_COLUMNS)
        strength = QTableWidgetItem(TABLE_COLUMNS[3])
        strength.setToolTip(STRENGTH_TIP)
        self.setHorizontalHeaderItem(3, strength)
        self.setAccessibleName("Every area noticed in this range, as a table")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)                 # Tab moves on; arrows move inside
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        for column in range(len(TABLE_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                        if column in (0, 4) else
                                        QHeaderView.ResizeMode.ResizeToContents)
        self.setMinimumHeight(220)

    def set_regions(self, regions: list[RegionTrend]) -> None:
        self.setSortingEnabled(False)
        self.setRowCount(len(regions))
        for row, r in enumerate(regions):
            name = body.label(r.region, r.view)
            mean = "not rated" if r.mean_intensity is None else round(r.mean_intensity, 1)
            values = (name, r.view, r.count, mean, r.describe())
            for column, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.ItemDataRole.DisplayRole, value)  # numbers sort as numbers
                if column == 3 and (r.rated > 1 or r.rated < r.count):   # say what it is
                    item.setToolTip(words.average_strength(r.mean_intensity, r.count,
                                                           r.rated, "average "))
                self.setItem(row, column, item)
        self.setSortingEnabled(True)
        self.sortItems(2, Qt.SortOrder.DescendingOrder)      # most noticed first


class BodyCard(QWidget):
    """The whole card: measure chips, figures with the key, sentences and the table."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        frame, layout, self.caption = section("Where it was felt")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        self.measure = "count"
        self.heat: Heat = {}
        self.regions: list[RegionTrend] = []
        chips = QHBoxLayout()
        chips.addWidget(label("Shade by:", "muted", wrap=False))
        self.measures = QButtonGroup(self)
        self.measure_buttons: dict[str, QPushButton] = {}
        for measure, text in HEAT_MEASURES.items():
            b = QPushButton(text.capitalize())
            b.setCheckable(True)
            b.setProperty("role", "chip")
            b.setAccessibleName(f"Shade the body map by {text} each area was noticed")
            b.clicked.connect(lambda _=False, m=measure: self.set_measure(m))
            self.measures.addButton(b)
            self.measure_buttons[measure] = b
            chips.addWidget(b)
        chips.addStretch(1)
        self.measure_buttons["count"].setChecked(True)
        tab_stop_on_choice(self.measures)
        layout.addLayout(chips)
        row = QHBoxLayout()
        self.figure = HeatFigure(palette)
        self.figure.setMinimumHeight(340)
        self.key = HeatKeyWidget(palette)
        row.addWidget(self.figure, 3)
        self.sentences = label("", "")
        self.sentences.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.sentences.setAccessibleName("Most noticed areas")
        row.addWidget(self.sentences, 2)
        layout.addLayout(row)
        layout.addWidget(self.key)                      # the full width: wraps only if narrow
        self.table = RegionTable()
        layout.addWidget(self.table)

    def set_data(self, heat: Heat, regions: list[RegionTrend]) -> None:
        self.heat, self.regions = heat, regions
        top = [words.region_sentence(r) for r in regions[:5]]
        self.sentences.setText("Most noticed areas:\n" + "\n".join(top) if top
                               else "No body marks in this range.")
        self.table.set_regions(regions)
        self.table.setVisible(bool(regions))
        self._paint()

    def set_measure(self, measure: str) -> None:
        self.measure = measure
        self.measure_buttons[measure].setChecked(True)
        self._paint()

    def _paint(self) -> None:
        key = heat_key(self.heat, self.measure)
        how = HEAT_MEASURES[self.measure]
        unrated = words.rated_note(self.heat.values())
        self.caption.setText(f"Shaded by {how} each area was noticed in this range; the key is "
                             "under the figures, and the table below lists every area."
                             + (f" {unrated}" if unrated else ""))
        summary = "; ".join(words.region_sentence(r) for r in self.regions[:5])
        self.figure.set_heat(self.heat, key, summary or "No body marks in this range.")
        self.key.set_key(key)
        self.key.setVisible(bool(self.heat))
