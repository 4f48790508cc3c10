"""A lost or locked database while the preview rebuilds is one readable line in the page, never a traceback."""

from __future__ import annotations

import sqlite3

import peewee
import psycopg2
import pytest

from bgpub.errors import DatabaseUnavailable
from bgpub.preview.site import PreviewSite

FAULTS = [
    peewee.OperationalError("database is locked"),
    sqlite3.OperationalError("database is locked"),
    psycopg2.OperationalError("server closed the connection unexpectedly"),
    peewee.InterfaceError("connection already closed"),
    psycopg2.InterfaceError("connection already closed"),
]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f"{type(f).__module__}.{type(f).__name__}")
def test_a_database_fault_keeps_the_last_site_and_shows_one_line(fault, capsys):
    calls = {"n": 0}

    def build() -> dict[str, bytes]:
        calls["n"] += 1
        if calls["n"] > 1:
            raise fault
        return {"index.html": b"<p>ok</p>"}

    site = PreviewSite(build)
    first = site.rebuild()
    state = site.rebuild()
    assert state.files == first.files, "the last good site must stay served"
    assert isinstance(state.error, DatabaseUnavailable)
    assert "database" in str(state.error) and "\n" not in str(state.error)
    assert "Traceback" not in capsys.readouterr().err


def test_a_bug_is_still_logged_with_its_traceback(capsys):
    def build() -> dict[str, bytes]:
        raise KeyError("boom")

    state = PreviewSite(build).rebuild()
    assert "KeyError" in str(state.error)
    assert "Traceback" in capsys.readouterr().err
