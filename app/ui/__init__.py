"""The window's widgets. Imported before any of them: PySide6 reads no module's source."""
from app.qt.pyside_sources import read_no_sources

read_no_sources()
