"""What every command needs, opened lazily: settings, the database and the acting user."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from bgpub.services.workspace import Workspace


@dataclass
class CliContext:
    database_url: str | None = None
    as_email: str | None = None
    _workspace: Workspace | None = field(default=None, repr=False)

    def workspace(self, *, migrate_new: bool = True, check_migrations: bool = True) -> Workspace:
        """Opens the database once per command; a brand-new SQLite file is migrated on first use."""
        if self._workspace is None:
            from bgpub.services.workspace import open_workspace

            self._workspace = open_workspace(
                database_url=self.database_url,
                as_email=self.as_email,
                migrate_new=migrate_new,
                check_migrations=check_migrations,
            )
        return self._workspace


pass_cli = click.make_pass_decorator(CliContext)
