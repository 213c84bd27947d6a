"""`securebase new-practice | export-practice | import-practice`."""
from __future__ import annotations

from app.__main__ import main
from app.storage import user_practices as up
from tests.storage.test_cli import run


def test_new_practice_writes_a_template_that_checks_clean(capsys):
    code, out, _ = run(capsys, "new-practice", "evening-rest")
    path = up.script_path("evening-rest")
    assert code == 0 and str(path) in out and path.read_text().startswith("# A practice")
    code, out, err = run(capsys, "check", str(path))
    assert code == 0 and out.strip() == "The practice script looks good." and err == ""
    code, _, err = run(capsys, "new-practice", "evening-rest")
    assert code == 1 and "exists already" in err
    code, _, err = run(capsys, "new-practice", "grounding")
    assert code == 1 and "comes with the app" in err


def test_new_practice_from_a_title_and_to_a_file(capsys, tmp_path):
    assert run(capsys, "new-practice", "My Calm Place")[0] == 0
    assert 'title = "My Calm Place"' in up.script_path("my-calm-place").read_text()
    target = tmp_path / "walk.toml"
    assert run(capsys, "new-practice", "walk", "--out", str(target))[0] == 0
    assert run(capsys, "check", str(target))[0] == 0


def test_export_then_import_with_a_clash(capsys, tmp_path, monkeypatch):
    run(capsys, "new-practice", "evening")
    out = tmp_path / "evening"
    code, text, _ = run(capsys, "export-practice", "evening", "--out", str(out),
                        "--note", "With care")
    assert code == 0 and "evening.sbpractice" in text
    code, text, err = run(capsys, "import-practice", str(out) + ".sbpractice", stdin="",
                          monkeypatch=monkeypatch)
    assert code == 1 and "A note from its author: With care" in text
    assert "--keep-both or --replace" in err
    code, text, _ = run(capsys, "import-practice", "--keep-both", str(out) + ".sbpractice")
    assert code == 0 and up.script_path("evening-2").exists()
    code, _, err = run(capsys, "export-practice", "nothing-here", "--out", str(out))
    assert code == 1 and "no practice with the id" in err


def test_import_refuses_a_hostile_file_plainly(capsys, tmp_path):
    bad = tmp_path / "bad.sbpractice"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, _, err = run(capsys, "import-practice", str(bad))
    assert code == 1 and err.startswith("securebase: bad.sbpractice is not a shared practice")
    assert main(["import-practice", str(tmp_path / "missing.sbpractice")]) == 1
