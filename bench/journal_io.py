"""The journal's file work that a person waits for, each beside a plain baseline in the same run.

    .venv/bin/python bench/journal_io.py            # print the figures
    .venv/bin/python bench/journal_io.py --check    # also exit 1 if a goal is missed

- Scanning a 4 MB left-over write-ahead log before the window opens after a crash
  (app/storage/wal.py), against SQLite's own replay of a copy of the same log — goal < 2 s.
- Exporting ten years (3,650 sessions, ~36,000 marks) as JSON, CSV folder and zip, against
  reading every row with plain sqlite3 and `json.dumps` of them — goal < 5 s each.
- Refusing an import whose note is 5 MB long (it names the field), against `json.loads` of
  the same file — goal < 3 s.
These were wall-clock limits inside unit tests, which a busy machine could fail with the code
right; the tests now count the work (bytes summed, lines of Python, text laid out) and the time
is measured here. Medians of 3 runs, baseline and ours interleaved.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from _common import finish, median, parser  # (puts the repository on sys.path)
from progress import make_journal

from tests.support.big_files import fill_wal, write_note_file

WAL_GOAL_S, EXPORT_GOAL_S, NOTE_GOAL_S = 2.0, 5.0, 3.0
ROUNDS = 3


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def pair(ours, baseline) -> tuple[float, float]:
    """Medians of interleaved runs: load on the machine hits both alike."""
    mine, base = [], []
    for _ in range(ROUNDS):
        base.append(timed(baseline))
        mine.append(timed(ours))
    return median(mine), median(base)


def wal_figures(folder: Path) -> tuple[float, float]:
    from app.storage import wal
    from app.storage.journal import Journal

    path = folder / "wal" / "journal.db"
    path.parent.mkdir()
    journal = Journal(path)
    log = fill_wal(journal, 4_000_000)
    copy = folder / "wal-copy"
    copy.mkdir()
    shutil.copy(path, copy / "journal.db")
    shutil.copy(log, copy / "journal.db-wal")
    journal.close()

    def sqlite_replay() -> None:
        trial = folder / "wal-trial"
        shutil.rmtree(trial, ignore_errors=True)
        shutil.copytree(copy, trial)
        with sqlite3.connect(trial / "journal.db") as db:
            db.execute("SELECT count(*) FROM settings").fetchone()
        db.close()

    return pair(lambda: wal.scan(copy / "journal.db-wal"), sqlite_replay)


def export_figures(folder: Path) -> dict[str, tuple[float, float]]:
    from app.storage.export import export_csv, export_json
    from app.storage.journal import Journal

    started = time.perf_counter()
    path = make_journal(folder)
    print(f"10-year demo journal filled in {time.perf_counter() - started:.1f} s")
    journal = Journal(path)

    def plain_dump() -> None:
        with sqlite3.connect(path) as db:
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            rows = {t: db.execute(f'SELECT * FROM "{t}"').fetchall() for t in tables}
        db.close()
        (folder / "plain.json").write_text(json.dumps(rows))

    figures = {}
    for name, export, out in (("JSON", export_json, "all.json"), ("CSV folder", export_csv, "csv"),
                              ("zip", export_csv, "all.zip")):
        def ours(export=export, out=out) -> None:
            target = folder / out
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
            export(journal, target)
        figures[name] = pair(ours, plain_dump)
    journal.close()
    return figures


def note_figures(folder: Path) -> tuple[float, float]:
    from app.storage.importer import ImportProblem, import_json
    from app.storage.journal import Journal

    path = write_note_file(folder / "note.json", 5_000_000)
    journal = Journal(folder / "import.db")

    def ours() -> None:
        try:
            import_json(journal, path)
        except ImportProblem as problem:
            if "is too long" not in str(problem):
                raise SystemExit(f"the import was refused for another reason: {problem}"
                                 ) from problem
        else:
            raise SystemExit("the 5 MB note was imported")

    try:
        return pair(ours, lambda: json.loads(path.read_text(encoding="utf-8")))
    finally:
        journal.close()


def main() -> int:
    args = parser(__doc__).parse_args()
    print(f"load average: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SECUREBASE_HOME"] = tmp            # backups etc. never touch a real home
        wal_s, replay_s = wal_figures(folder)
        exports = export_figures(folder)
        note_s, loads_s = note_figures(folder)
    print(f"4 MB log scan: {wal_s:.2f} s; SQLite's own replay of it {replay_s:.2f} s "
          f"({wal_s / replay_s:.1f}×)")
    for name, (ours, plain) in exports.items():
        print(f"10-year export, {name}: {ours:.2f} s; plain rows + json.dumps {plain:.2f} s "
              f"({ours / plain:.1f}×)")
    print(f"5 MB note refused: {note_s:.2f} s; json.loads of the file {loads_s:.2f} s "
          f"({note_s / loads_s:.1f}×)")
    slowest = max(exports, key=lambda n: exports[n][0])
    return finish(args.check, [
        ("4 MB log scan (s)", wal_s, f"< {WAL_GOAL_S:.0f}", wal_s < WAL_GOAL_S),
        (f"slowest export, {slowest} (s)", exports[slowest][0], f"< {EXPORT_GOAL_S:.0f}",
         exports[slowest][0] < EXPORT_GOAL_S),
        ("5 MB note refused (s)", note_s, f"< {NOTE_GOAL_S:.0f}", note_s < NOTE_GOAL_S),
    ])


if __name__ == "__main__":
    sys.exit(main())
