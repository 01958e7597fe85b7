import os
import pathlib
import shutil

import pytest

import corridor

ROOT = pathlib.Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def engine():
    return corridor.Engine()


@pytest.fixture(scope="session")
def cli():
    """The corridor binary of this workspace (built by `cargo build -p corridor-cli`)."""
    exe = os.environ.get("CORRIDOR_BIN") or str(ROOT / "target" / "debug" / "corridor")
    if not os.path.exists(exe):
        exe = shutil.which("corridor")
    if not exe:
        pytest.skip("no corridor binary: cargo build -p corridor-cli, or set CORRIDOR_BIN")
    return exe


@pytest.fixture(scope="session")
def reference_dir():
    d = os.environ.get("CORRIDOR_REFERENCE_DIR") or str(ROOT.parent / "shared" / "reference")
    if not os.path.isdir(d):
        pytest.skip("no shared reference folder (CORRIDOR_REFERENCE_DIR)")
    return pathlib.Path(d)
