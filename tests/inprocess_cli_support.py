"""`bgpub ARGS` run through its real entry point in this process, as a subprocess would see it.

A new interpreter per command costs about 0.5 s of CPU (imports), 4-8 s of wall time on a busy
machine, and proves nothing a test of one command's behaviour needs. This runs `bgpub.cli.main` with
the environment, working folder and stdin a subprocess would get, and returns its exit code, stdout and
stderr. An uncaught exception becomes what the interpreter would print (a traceback on stderr, exit
code 1), so "no traceback" assertions still catch crashes. Tests about the process itself (argv bytes,
no terminal, signals) and one test per command group keep a real `python -m bgpub`.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path


def run_bgpub_here(
    args: list[str], *, env: Mapping[str, str], cwd: Path | str | None = None, stdin: str = ""
) -> tuple[int, str, str]:
    """Runs `bgpub ARGS` in this process with exactly ENV as its environment; (exit code, stdout, stderr)."""
    from click.testing import CliRunner

    from bgpub.cli import main
    from bgpub.db.connection import database

    changes: dict[str, str | None] = {k: v for k, v in env.items() if os.environ.get(k) != v}
    changes.update({k: None for k in os.environ if k not in env})
    code = 0
    before = os.getcwd()
    with CliRunner().isolation(input=stdin, env=changes) as (stdout, stderr, _):
        try:
            if cwd is not None:
                os.chdir(cwd)
            main([str(arg) for arg in args])
        except SystemExit as exc:
            if exc.code is None or isinstance(exc.code, int):
                code = exc.code or 0
            else:  # sys.exit("message"): printed, status 1
                sys.stderr.write(f"{exc.code}\n")
                code = 1
        except Exception:  # what the interpreter would print before exiting with 1
            sys.stderr.write(traceback.format_exc())
            code = 1
        finally:
            os.chdir(before)
            if database.obj is not None and not database.is_closed():
                database.close()  # the process would have ended here
            sys.stdout.flush()
            sys.stderr.flush()
        out, err = stdout.getvalue(), stderr.getvalue()
    return code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
