"""Do the editor's PostgreSQL test cases reach any query the rest of the suite leaves untested there?

The editor tests (tests/tui, and the Pilot tests of other areas' screens, marked `editor`) run on
SQLite only, apart from a few kept on both databases (tests/conftest.py, `_editor_on_sqlite`),
because the editor reaches the database only through services. This script checks that choice: it
runs every PostgreSQL test case not marked `editor`, then the editor tests' PostgreSQL cases with the
deselection turned off, both under coverage of `bgpub.services` and `bgpub.db`, and prints one JSON
line with the lines only the editor's PostgreSQL cases run (empty means nothing is lost). Needs PostgreSQL (BGPUB_TEST_POSTGRES_URL) and pytest-cov; takes about as
long as the PostgreSQL half of the suite.

    python bench/front_end_pg_coverage.py [--workers 2] [--rest FOLDER ...] [--editor FOLDER ...]

`--rest` and `--editor` narrow either side to some test folders or files (both default to tests).
Narrowing the rest can only add lines to the answer, so an empty answer still holds for the whole
suite: a quick check of a few editor tests against the areas they exercise.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURED = ("--cov=bgpub.services", "--cov=bgpub.db", "--cov-report=")


def covered(data: Path, *selection: str, workers: int, env: dict[str, str]) -> dict[str, set[int]]:
    """Lines of src/bgpub run by the selected tests: {path under src: line numbers}."""
    import coverage

    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(workers)]
    subprocess.run(
        [*command, *MEASURED, *selection],
        cwd=ROOT,
        env={**env, "COVERAGE_FILE": str(data)},
        check=False,  # a failing test does not stop the comparison; its lines simply count less
        stdout=subprocess.DEVNULL,
    )
    found = coverage.CoverageData(basename=str(data))
    found.read()
    return {f.split("/src/")[-1]: set(found.lines(f) or ()) for f in found.measured_files()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rest", nargs="+", default=["tests"], help="where the other tests are")
    parser.add_argument("--editor", nargs="+", default=["tests"], help="where the editor tests are")
    args = parser.parse_args()
    env = {**os.environ, "BGPUB_REQUIRE_POSTGRES": "1"}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rest = covered(
            Path(folder) / "rest",
            "-m",
            "not editor",
            "-k",
            "postgres",
            *args.rest,
            workers=args.workers,
            env=env,
        )
        editor = covered(
            Path(folder) / "editor",
            "-m",
            "editor",
            "-k",
            "postgres",
            *args.editor,
            workers=args.workers,
            env={**env, "BGPUB_TUI_BOTH_DATABASES": "1"},
        )
    only_editor = {
        path: sorted(lines - rest.get(path, set()))
        for path, lines in sorted(editor.items())
        if lines - rest.get(path, set())
    }
    print(
        json.dumps(
            {
                "bench": "front_end_pg_coverage",
                "lines_rest": sum(map(len, rest.values())),
                "lines_editor": sum(map(len, editor.values())),
                "rest": args.rest,
                "editor": args.editor,
                "only_editor": only_editor,
                "seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
