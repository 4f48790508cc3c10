"""How the `list` commands answer: every row as JSON with --json, a hint on what to do when there are
no rows, otherwise the caller prints its own text lines."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import click


def echo_json(data: Any) -> None:
    """Prints `data` as indented JSON, non-ASCII text kept readable."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def rows_to_print(rows: Sequence[Any], as_json: bool, empty: str) -> bool:
    """True when the caller still prints `rows` as text; with --json they went out as JSON (each row's
    `as_json()`), and without rows `empty` was said instead."""
    if as_json:
        echo_json([row.as_json() for row in rows])
        return False
    if not rows:
        click.echo(empty)
        return False
    return True
