"""Named points of a publish where a test can have the process SIGKILLed (BGPUB_CRASH_AT=name[:n])
or held (BGPUB_STALL_AT=name: create the file BGPUB_STALL_FILE, then wait until it is deleted).

Only tests set these variables: they prove a publish killed at any of these points leaves the live
site wholly old or wholly new, that the next publish needs no repair, and that a second publish of
the same project is refused while the first holds its lock.
"""

from __future__ import annotations

import os
import signal
import time

ENV = "BGPUB_CRASH_AT"
_hits: dict[str, int] = {}


def crashpoint(name: str) -> None:
    """Kills this process at the n-th time (default the first) it passes the point named in BGPUB_CRASH_AT."""
    spec = os.environ.get(ENV)
    if spec:
        wanted, _, nth = spec.partition(":")
        if wanted == name:
            _hits[name] = _hits.get(name, 0) + 1
            if _hits[name] >= int(nth or 1):
                os.kill(os.getpid(), signal.SIGKILL)
    _stall(name)


def _stall(name: str) -> None:
    if os.environ.get("BGPUB_STALL_AT") != name or not os.environ.get("BGPUB_STALL_FILE"):
        return
    flag = os.environ["BGPUB_STALL_FILE"]
    with open(flag, "w") as handle:
        handle.write(str(os.getpid()))
    deadline = time.monotonic() + 60
    while os.path.exists(flag) and time.monotonic() < deadline:
        time.sleep(0.02)
