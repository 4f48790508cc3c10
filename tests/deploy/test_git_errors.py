"""A failed git transport names its cause (ssh's or git's line), not git's closing advice."""

from __future__ import annotations

import subprocess

import pytest

from bgpub.publish.targets.git_remote import _failure_cause

ADVICE = (
    "fatal: Could not read from remote repository.\n\n"
    "Please make sure you have the correct access rights\nand the repository exists.\n"
)


@pytest.mark.parametrize(
    "stderr, cause",
    [
        (f"git@host: Permission denied (publickey).\r\n{ADVICE}", "Permission denied (publickey)"),
        (f"ssh: connect to host h port 22: Connection refused\r\n{ADVICE}", "Connection refused"),
        ("fatal: repository 'x' not found\n", "repository 'x' not found"),
        (ADVICE, "and the repository exists."),
        ("", "exit code 128"),
    ],
)
def test_the_cause_is_named(stderr, cause):
    done = subprocess.CompletedProcess([], 128, b"", stderr.encode())
    assert cause in _failure_cause(done)
