from __future__ import annotations

import itertools
from pathlib import Path

import pytest

_runs = itertools.count()


@pytest.fixture
def run_dir(data_dir: Path) -> Path:
    """A fresh folder for one ``recoloca dev`` (the session's data dir is enterable by the
    unprivileged user the embedded PostgreSQL runs as under root)."""
    path = data_dir / "runs" / f"run-{next(_runs)}"
    path.mkdir(parents=True)
    path.parent.chmod(0o755)
    path.chmod(0o755)
    return path
