"""A `bgpub` process ends without the interpreter's last garbage collection over everything a
command left alive (seconds after a large build); the exit is otherwise the usual one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SOURCE = str(Path(__file__).resolve().parents[2] / "src")

# an unreachable cycle whose finalizer only the exit's collection would run
CYCLE = """
import os
class Cycle:
    def __del__(self):
        os.write(1, b"collected by the exit\\n")
c = Cycle(); c.me = c; del c
"""


def _run(code: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SOURCE}
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )


def test_the_exit_of_a_bgpub_process_skips_the_last_collection() -> None:
    assert _run(CYCLE).stdout == "collected by the exit\n"  # a plain interpreter collects it
    done = _run("import bgpub.cli\n" + CYCLE)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""


def test_a_command_still_exits_with_its_code_and_its_output_flushed(tmp_path: Path) -> None:
    code = (
        "import sys\nfrom bgpub.cli import main\n"
        "sys.argv = ['bgpub', '--version']\nmain()\n"
        "sys.stdout.write('buffered, not flushed')\n"
    )
    done = _run(code)
    assert done.returncode == 0
    assert done.stdout.endswith("buffered, not flushed") and "bgpub" in done.stdout
    failed = _run("import sys\nfrom bgpub.cli import main\nmain(['page', 'list', '--bogus'])\n")
    assert (
        failed.returncode == 2 and "--bogus" in failed.stderr and "Traceback" not in failed.stderr
    )
