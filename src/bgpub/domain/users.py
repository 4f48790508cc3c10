"""A user as front ends see them: the address they act under and whether their personal data was
anonymised; a plain value, so no user row crosses into the CLI or the editor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class User:
    """A user just renamed, checked for deletion or anonymised (what `bgpub config user.email
    --rename` and `bgpub user delete` report back)."""

    id: str
    email: str
    name: str
    deleted_at: datetime | None = None

    @property
    def deleted(self) -> bool:
        """Whether the personal data is gone (the row stays for the audit trail)."""
        return self.deleted_at is not None
