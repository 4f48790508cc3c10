"""`bgpub db`: migrations, seed data and the ER diagram."""

from __future__ import annotations

import click


@click.group()
def db() -> None:
    """Manage the database: migrate, status, rollback, seed, erd."""
