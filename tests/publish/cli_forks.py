"""`python -m bgpub ARGS` in a process of its own that a test can SIGKILL, without paying for a new
interpreter and its imports each time.

The kill tests start dozens of publishes only to kill them: each new interpreter spent about half a
second of CPU importing bgpub (seconds of wall time on a busy machine), and the timed kills mostly
landed in those imports. Run as a script, this module is a fork server: it imports what a publish
imports, opens no database and starts no thread, then for each command it reads forks a child that
runs `python -m bgpub ARGS` (`runpy`, as the interpreter does) with exactly the given environment,
its output in files, and `os._exit`s with the command's status after the interpreter's exit handlers.
The child is a process of its own as before: its crashpoints SIGKILL it, a test may SIGKILL it, and
its database connections, locks and files are its own. `tests/publish/test_failures.py`'s second
publish keeps a real `python -m bgpub`. The collector tests keep new interpreters: uvicorn spawns
its workers as new interpreters of the running `__main__`, and a SIGTERM to two workers once stored
six views whose clients saw an error when the supervisor was a forked child of this server.

The server runs one command at a time (a command a failed test left running is killed when the next
starts): it answers `{"pid": n}` when the child starts and `{"returncode": r}` when it ends (-N:
killed by signal N). It reaps the child only when the next command comes, so the pid a test may
signal is never another process's.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# what `bgpub publish` and `bgpub rollback` import, loaded once in the server (a child imports
# anything else itself, as a new interpreter would)
PUBLISH_IMPORTS = (
    "bgpub.cli",
    "bgpub.cli.context",
    "bgpub.cli.publish",
    "bgpub.services.publishing",
    "bgpub.services.workspace",
    "bgpub.publish.targets",
    "bgpub.db.connection",
    "psycopg2",
    "rich.progress",
)


@dataclass(frozen=True)
class Finished:
    """What `subprocess.run` would have handed back: the returncode is -N when killed by signal N."""

    returncode: int
    stdout: str
    stderr: str


class ForkedRun:
    """One command in its own (forked) process, with the parts of `subprocess.Popen` the tests use."""

    def __init__(self, server: ForkServer, pid: int, output: Path):
        self._server = server
        self.pid = pid
        self.output = output
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            ended = self._server.returncode(timeout=0)
            if ended is not None:
                self._ended(ended)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            ended = self._server.returncode(timeout=timeout)
            if ended is None:
                raise subprocess.TimeoutExpired(f"bgpub (pid {self.pid})", timeout or 0)
            self._ended(ended)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """Signals the command unless it is known to have ended (ended, it is a zombie until the
        server reaps it at the next command, so the pid is still its own)."""
        if self.returncode is None:
            os.kill(self.pid, sig)

    def communicate(self, timeout: float | None = 120) -> tuple[str, str]:
        self.wait(timeout)
        return self._read("stdout"), self._read("stderr")

    def finished(self, timeout: float | None = 120) -> Finished:
        out, err = self.communicate(timeout)
        assert self.returncode is not None
        return Finished(self.returncode, out, err)

    def _ended(self, returncode: int) -> None:
        self.returncode = returncode
        self._server.running = None

    def _read(self, name: str) -> str:
        return (self.output / name).read_text("utf-8", "replace")


class ForkServer:
    """The fork server process (this module run as a script) and the one command it may be running."""

    def __init__(self, imports: tuple[str, ...] = PUBLISH_IMPORTS) -> None:
        """Starts the server, which imports IMPORTS (the modules its commands need) before forking."""
        self._process = subprocess.Popen(
            [sys.executable, __file__, *imports],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=os.environ.copy(),
        )
        self._pending = b""
        self.running: ForkedRun | None = None
        self._outputs = Path(tempfile.mkdtemp(prefix="bgpub-forks-"))
        self._count = 0
        ready = self._line(timeout=120)
        if ready != {"ready": True}:
            raise RuntimeError(f"the fork server did not start: {ready}")

    def start(
        self, args: list[str], env: Mapping[str, str], *, combined: bool = False
    ) -> ForkedRun:
        """Starts `python -m bgpub ARGS` with exactly ENV; returns at once. COMBINED: stderr goes
        to the stdout file too (`stderr=subprocess.STDOUT`)."""
        if self.running is not None and self.running.poll() is None:
            # left running by a test that failed before waiting for it: its test is over
            self.running.send_signal(signal.SIGKILL)
            self.running.wait(timeout=30)
        self._count += 1
        output = self._outputs / str(self._count)
        output.mkdir()
        command = {
            "args": list(args),
            "env": dict(env),
            "output": str(output),
            "combined": combined,
        }
        assert self._process.stdin is not None
        self._process.stdin.write(json.dumps(command).encode() + b"\n")
        self._process.stdin.flush()
        answer = self._line(timeout=60)
        if answer is None or "pid" not in answer:
            raise RuntimeError(f"the fork server did not start the command: {answer}")
        self.running = ForkedRun(self, answer["pid"], output)
        return self.running

    def returncode(self, timeout: float | None) -> int | None:
        """The running command's return code once it has ended (None: still running at the timeout)."""
        answer = self._line(timeout)
        return None if answer is None else int(answer["returncode"])

    def close(self) -> None:
        if self.running is not None and self.running.returncode is None:
            self.running.send_signal(signal.SIGKILL)
            self.running.wait(timeout=30)
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=30)
        shutil.rmtree(self._outputs, ignore_errors=True)

    def _line(self, timeout: float | None) -> dict[str, Any] | None:
        """The server's next answer; None if none came within `timeout` seconds."""
        assert self._process.stdout is not None
        fd = self._process.stdout.fileno()
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"the fork server exited ({self._process.wait()})")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        answer: dict[str, Any] = json.loads(line)
        return answer


def _child(command: dict[str, Any], files: list[int]) -> None:
    """In the forked child: `python -m bgpub ARGS` as the interpreter would run it, FILES as its
    stdin, stdout and stderr; never returns."""
    import atexit
    import runpy
    import traceback

    for fd, opened in enumerate(files):
        os.dup2(opened, fd)
        os.close(opened)
    os.environ.clear()
    os.environ.update(command["env"])
    signal.signal(signal.SIGINT, signal.default_int_handler)
    code = 0
    try:
        sys.argv = ["-m", *command["args"]]
        runpy.run_module("bgpub", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            code = exc.code or 0
        else:  # sys.exit("message"): printed, status 1
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:  # what the interpreter prints before exiting with 1
        traceback.print_exc()
        code = 1
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _serve() -> None:
    import importlib

    sys.path[0] = os.getcwd()  # as under `python -m`: the folder of this script is not on the path
    for name in sys.argv[1:]:
        importlib.import_module(name)
    answers = sys.stdout
    answers.write(json.dumps({"ready": True}) + "\n")
    answers.flush()
    ended = None
    for line in sys.stdin:
        if (
            ended is not None
        ):  # reaped only now: until the test knew it had ended, its pid was its own
            os.waitpid(ended, 0)
        command = json.loads(line)
        output = Path(command["output"])
        files = [os.open(os.devnull, os.O_RDONLY)] + [  # made here: a child killed at once has them
            os.open(output / name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            for name in ("stdout", "stderr")
        ]
        if command["combined"]:
            os.close(files[2])
            files[2] = os.dup(files[1])
        pid = os.fork()
        if pid == 0:
            _child(command, files)
        for opened in files:
            os.close(opened)
        answers.write(json.dumps({"pid": pid}) + "\n")
        answers.flush()
        info = os.waitid(
            os.P_PID, pid, os.WEXITED | os.WNOWAIT
        )  # left a zombie: a kill is harmless
        assert info is not None
        killed = info.si_code in (os.CLD_KILLED, os.CLD_DUMPED)
        answers.write(
            json.dumps({"returncode": -info.si_status if killed else info.si_status}) + "\n"
        )
        answers.flush()
        ended = pid
    if ended is not None:
        os.waitpid(ended, 0)


if __name__ == "__main__":
    _serve()
