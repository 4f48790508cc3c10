"""Messages workers post back to their screen: results (past tense) and failures, never exceptions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

from bgpub.domain.assets import AssetRow
from bgpub.domain.components import ComponentInfo
from bgpub.domain.organizations import OrganizationRow
from bgpub.domain.pages import PageDocument, PageWindow
from bgpub.domain.projects import ProjectRow, SiteSettings
from bgpub.domain.themes import ThemeInfo
from bgpub.domain.versions import DiffSummary, PublishOutcome, VersionRow

if TYPE_CHECKING:
    from bgpub.tui.widgets.page_list import PageList


class OperationFailed(Message):
    """A service refused or failed; `text` is the readable message shown as a notification."""

    def __init__(self, text: str, *, what: str = "") -> None:
        self.text = text
        self.what = what
        super().__init__()


class WorkspaceLoaded(Message):
    def __init__(
        self,
        organizations: Sequence[OrganizationRow],
        projects: Sequence[ProjectRow],
        starters: Sequence[str],
    ) -> None:
        self.organizations = tuple(organizations)
        self.projects = tuple(projects)
        self.starters = tuple(starters)
        super().__init__()


class ProjectCreated(Message):
    def __init__(self, project: ProjectRow) -> None:
        self.project = project
        super().__init__()


class PagesRead(Message):
    """A window of the page list read for the list's request; None when the read failed."""

    def __init__(self, window: PageWindow | None, wanted: PageList.RowsWanted) -> None:
        self.window = window
        self.wanted = wanted
        super().__init__()


class SiteLoaded(Message):
    def __init__(self, settings: SiteSettings, themes: Sequence[ThemeInfo]) -> None:
        self.settings = settings
        self.themes = tuple(themes)
        super().__init__()


class PageLoaded(Message):
    def __init__(
        self,
        document: PageDocument,
        components: Sequence[ComponentInfo],
        assets: Sequence[AssetRow],
    ) -> None:
        self.document = document
        self.components = tuple(components)
        self.assets = tuple(assets)
        super().__init__()


class PageSaved(Message):
    def __init__(self, document: PageDocument) -> None:
        self.document = document
        super().__init__()


class SaveConflicted(Message):
    """Someone else saved the page since it was loaded; the user chooses reload or overwrite."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class AssetsLoaded(Message):
    def __init__(self, assets: Sequence[AssetRow]) -> None:
        self.assets = tuple(assets)
        super().__init__()


class PublishProgressed(Message):
    def __init__(self, done: int, total: int, what: str) -> None:
        self.done = done
        self.total = total
        self.what = what
        super().__init__()


class Published(Message):
    def __init__(self, outcome: PublishOutcome, *, rollback: bool = False) -> None:
        self.outcome = outcome
        self.rollback = rollback
        super().__init__()


class VersionsLoaded(Message):
    def __init__(self, versions: Sequence[VersionRow]) -> None:
        self.versions = tuple(versions)
        super().__init__()


class DiffLoaded(Message):
    def __init__(self, old: int, new: int, summary: DiffSummary) -> None:
        self.old = old
        self.new = new
        self.summary = summary
        super().__init__()


class PreviewStarted(Message):
    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__()


class SlugChanged(Message):
    """A page moved from `old` to `new`; `links` block props still point at the old address."""

    def __init__(self, old: str, new: str, links: int) -> None:
        self.old = old
        self.new = new
        self.links = links
        super().__init__()


class Done(Message):
    """A mutating operation succeeded; `text` is shown, and the screen reloads what it shows."""

    def __init__(self, text: str, *, keep: str | None = None) -> None:
        self.text = text
        self.keep = keep
        super().__init__()
