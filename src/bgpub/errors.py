"""The errors users can read: every failure that reaches the CLI, the TUI or the preview is one of these."""

from __future__ import annotations


class BgpubError(Exception):
    """Base of every error meant for a person: the message says what is wrong and where."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, field: str | None = None):
        self.message = message
        self.where = where
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class NotFound(BgpubError):
    """A named thing (project, page, user, version...) does not exist."""


class Conflict(BgpubError):
    """The change collides with existing data: a duplicate, a stale edit, a publish already running."""


class InvalidInput(BgpubError):
    """A value given by the user is malformed or outside what is allowed."""

    exit_code = 2


class PermissionDenied(BgpubError):
    """The acting user's role (or the organization's subscription) does not allow the operation."""


class LimitExceeded(PermissionDenied):
    """A subscription limit (projects, storage) would be exceeded."""


class RenderError(BgpubError):
    """A project cannot be rendered: a bad prop, a missing asset, a broken template."""


class PublishError(BgpubError):
    """A deploy could not be completed or verified."""


class DatabaseUnavailable(BgpubError):
    """The configured database cannot be reached or is not migrated."""
