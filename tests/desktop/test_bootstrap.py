"""tools/bootstrap.sh for someone without administrator rights: the packages to ask for."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from app import paths

BOOTSTRAP = paths.PROJECT_ROOT / "tools" / "bootstrap.sh"
NOBODY = 65534


@pytest.fixture
def fake_bin():
    """dpkg-query that finds nothing installed, and a sudo that refuses, as Debian's does for
    someone outside the sudo group; in a folder the unprivileged user can read."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run as an unprivileged user")
    top = Path(tempfile.mkdtemp(prefix="securebase-bootstrap-"))
    top.chmod(0o755)
    # The script stops before it reads anything else, so a copy of it alone will do: the
    # checkout itself may be in a folder the unprivileged user cannot enter (/root on CI).
    (top / "project" / "tools").mkdir(parents=True)
    shutil.copy(BOOTSTRAP, top / "project" / "tools" / "bootstrap.sh")
    folder = top / "bin"
    folder.mkdir()
    (folder / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (folder / "sudo").write_text("#!/bin/sh\necho \"$(id -un) is not in the sudoers file.\" >&2"
                                 "\nexit 1\n")
    for path in [*top.rglob("*")]:
        path.chmod(0o755)
    yield folder
    shutil.rmtree(top)


@pytest.mark.parametrize("with_sudo", [True, False])
def test_no_sudo_rights_names_the_packages_to_ask_for(fake_bin: Path, with_sudo: bool) -> None:
    if not with_sudo:
        (fake_bin / "sudo").unlink()
    result = subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
         "bash", str(fake_bin.parent / "project" / "tools" / "bootstrap.sh"), "run"],
        env={"PATH": f"{fake_bin}:/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C.UTF-8"},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "ask an administrator to run" in result.stderr
    assert "sudo apt-get install libgl1 libegl1" in result.stderr and "libpulse0" in result.stderr
    assert "sudoers" not in result.stderr and "terminal is required" not in result.stderr
    assert result.stdout == ""
