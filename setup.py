"""Package layout that pyproject.toml cannot express on its own.

The practice scripts and resources stay at the top of the repository, one copy each (the
project guide wants them there, and tools/ regenerate them in place). A wheel carries them as
package data under app/bundled/, where app.paths finds them beside its own file.
"""
import os

from setuptools import find_packages, setup

BUNDLED = {"app.bundled.scripts": "scripts", "app.bundled.resources": "resources"}


def data_packages() -> dict[str, str]:
    """Every folder of bundled data as a package of its own (setuptools warns otherwise)."""
    found = {}
    for package, top in BUNDLED.items():
        for folder, _dirs, _files in os.walk(top):
            relative = os.path.relpath(folder, top)
            name = package if relative == "." else f"{package}.{relative.replace(os.sep, '.')}"
            found[name] = folder
    return found


DATA = data_packages()

setup(
    packages=find_packages(include=["app", "app.*"]) + sorted(DATA),
    package_dir=DATA,
    package_data={package: ["*"] for package in DATA},
)
