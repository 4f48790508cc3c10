"""Asking before a command deletes something: a y/N question on a terminal, `--yes` everywhere else.

Without a terminal nobody can answer, so a deleting command refuses (naming `--yes`) rather than
deleting unasked or waiting on input that never comes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TypeVar

import click

from bgpub.errors import InvalidInput

Command = TypeVar("Command", bound=Callable[..., object])


def yes_option(command: Command) -> Command:
    """The `--yes` flag every deleting command takes."""
    return click.option(
        "--yes", is_flag=True, help="Delete without asking (required when stdin is not a terminal)."
    )(command)


def stdin_is_terminal() -> bool:
    """Whether someone can answer a question typed on stdin."""
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stdin
        return False


def confirm_deletion(what: str, yes: bool) -> None:
    """Returns when deleting `what` is confirmed (`--yes` or a "y" typed); otherwise aborts or refuses."""
    if yes:
        return
    if not stdin_is_terminal():
        raise InvalidInput(
            f"not deleting {what} without confirmation: stdin is not a terminal, pass --yes"
        )
    click.confirm(f"Delete {what}?", abort=True)
