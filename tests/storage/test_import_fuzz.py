"""Fuzzing JSON import: whatever the file holds, a plain ImportProblem or a clean import."""
from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.records import BodyMark, CheckIn
from app.storage.export import export_json
from app.storage.importer import ImportProblem, import_json
from app.storage.journal import Journal

FUZZ = settings(max_examples=1000, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)


def attempt(tmp_path, payload: bytes) -> None:
    path = tmp_path / "import.json"
    path.write_bytes(payload)
    journal = Journal(":memory:")
    try:
        import_json(journal, path)
    except ImportProblem as problem:
        assert str(problem).strip() and "Traceback" not in str(problem)
    finally:
        journal.close()


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes(tmp_path, data):
    attempt(tmp_path, data)


@FUZZ
@given(json_values)
def test_any_json(tmp_path, value):
    attempt(tmp_path, json.dumps(value).encode())


def _real_export(tmp_path) -> dict:
    journal = Journal(":memory:")
    session = journal.start_session("unblending", "Unblending")
    journal.add_checkin(CheckIn("before", 5, {"calm": 4}, session_id=session))
    journal.log_step(session, "arrive", "started")
    journal.add_body_mark(BodyMark("front", "throat", 3, 0.5, 0.2, ("tight",),
                                   session_id=session))
    out = tmp_path / "real.json"
    export_json(journal, out)
    return json.loads(out.read_text())


@FUZZ
@given(st.data())
def test_mutated_real_export(tmp_path, data):
    document = _real_export(tmp_path)
    tables = document.get("tables", {})
    table = data.draw(st.sampled_from(sorted(tables)))
    rows = tables[table]
    if rows:
        row = rows[0]
        column = data.draw(st.sampled_from(sorted(row)))
        row[column] = data.draw(json_values)
    else:
        tables[table] = data.draw(json_values)
    attempt(tmp_path, json.dumps(document).encode())
