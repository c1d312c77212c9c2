"""The README's examples, run as written against a live ``recoloca dev``.

Every ```sh block of the README is an example to run against a running system; blocks
that start or build the system itself are ```bash and are not run here. The only change
made to a block is the API's port, since the test's run listens on a free one.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.support.dev_run import ROOT, DevRun

README = ROOT / "README.md"
_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.DOTALL | re.MULTILINE)


def sh_blocks() -> list[str]:
    return _BLOCK.findall(README.read_text())


def test_the_readme_has_runnable_examples() -> None:
    blocks = sh_blocks()
    assert len(blocks) >= 2
    assert any("/v1/cvs" in block for block in blocks)
    assert any("recoloca topics list" in block for block in blocks)


@pytest.fixture(scope="module")
def live(data_dir: Path):
    path = data_dir / "readme"
    path.mkdir(parents=True, exist_ok=True)
    path.chmod(0o755)
    run = DevRun(path / "data").start()
    run.wait_ready()
    yield run
    assert run.interrupt() == 0, run.output


def _run_block(block: str, run: DevRun, folder: Path) -> subprocess.CompletedProcess[str]:
    """Run ``block`` as a reader would from a clone, but in ``folder``: what the examples
    download (``-o report.pdf``) lands there, not in the repository."""
    for name in ("examples", ".venv"):
        if not (folder / name).exists():
            (folder / name).symlink_to(ROOT / name)
    script = block.replace("http://127.0.0.1:8000", run.base_url)
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECOLOCA_")}
    env["RECOLOCA_DATA_DIR"] = str(run.data_dir)
    return subprocess.run(
        # Background jobs of a failed example must not hold the pipes open.
        [
            "bash",
            "-euo",
            "pipefail",
            "-c",
            "trap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script,
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("index", range(len(sh_blocks())))
def test_readme_example_runs_verbatim(live: DevRun, index: int, tmp_path: Path) -> None:
    block = sh_blocks()[index]
    done = _run_block(block, live, tmp_path)
    assert done.returncode == 0, f"{block}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    if "/v1/cvs" in block:
        # The upload was analysed, the stream showed it, and the match was accepted.
        assert '"status":"scored"' in done.stdout, done.stdout
        assert "event: cv.scored" in done.stdout, done.stdout
        assert '"status":"queued"' in done.stdout or "match" in done.stdout
    if "topics list" in block:
        assert "cv.uploaded" in done.stdout
