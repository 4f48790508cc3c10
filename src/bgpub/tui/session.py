"""What the editor asks of the service layer, as one protocol: the real one wraps bgpub.services.

Screens call these methods only from worker threads and get plain records back (the `bgpub.domain` types);
tests and the benchmark can hand the app another implementation (services are injected).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bgpub.domain.assets import AssetRow
from bgpub.domain.blocks import Block
from bgpub.domain.components import ComponentInfo
from bgpub.domain.organizations import OrganizationRow
from bgpub.domain.pages import PageDocument, PageRow, PageWindow
from bgpub.domain.progress import Progress
from bgpub.domain.projects import ProjectRow, SiteSettings
from bgpub.domain.themes import ThemeInfo
from bgpub.domain.versions import DiffSummary, PublishOutcome, VersionRow
from bgpub.errors import BgpubError

if TYPE_CHECKING:
    from bgpub.domain.assets import AssetRenamed
    from bgpub.domain.themes import FontChoice
    from bgpub.services.asset_files import AssetFile


class EditorSession(Protocol):
    """Every operation the editor offers; each raises bgpub.errors.* with a readable message."""

    actor_label: str

    # workspace
    def organizations(self) -> list[OrganizationRow]: ...
    def projects(self) -> list[ProjectRow]: ...
    def starters(self) -> list[str]: ...
    def create_project(
        self, organization: str, name: str, title: str, starter: str | None
    ) -> ProjectRow: ...
    def archive_project(self, project: str) -> None: ...
    def delete_project(self, project: str) -> None: ...

    # pages
    def page_window(
        self,
        project: str,
        text: str,
        start: int,
        limit: int,
        keep: str | None,
        total: int | None = None,
        shown: int | None = None,
    ) -> PageWindow:
        """Rows `start`.. of the pages matching `text` with the counts (the window holding `keep`);
        `total`/`shown` are counts read before, not counted again when they can be trusted."""
        ...

    def reading_pages(self) -> AbstractContextManager[object]:
        """Holds this thread's connection across a run of `page_window` calls (the page list's
        reader), instead of one connection per call."""
        ...

    def add_page(self, project: str, slug: str, title: str) -> PageRow: ...
    def rename_page(self, project: str, slug: str, title: str) -> None: ...
    def change_slug(self, project: str, slug: str, new_slug: str) -> None: ...
    def duplicate_page(self, project: str, slug: str, new_slug: str, title: str) -> None:
        """A copy of the page (blocks included) at `new_slug`, right after it."""
        ...

    def links_to(self, project: str, slug: str) -> int:
        """How many block props of the project link to `/slug/`."""
        ...

    def retarget_links(self, project: str, old_slug: str, new_slug: str) -> int:
        """Points internal links at the new slug; returns how many changed."""
        ...

    def move_page(self, project: str, slug: str, position: int) -> None: ...
    def set_home(self, project: str, slug: str) -> None: ...
    def delete_page(self, project: str, slug: str) -> None: ...

    # site
    def site_settings(self, project: str) -> SiteSettings: ...
    def update_site_settings(self, project: str, settings: SiteSettings) -> None: ...
    def themes(self) -> list[ThemeInfo]: ...
    def token_problem(self, value: str) -> str | None: ...
    def theme_fonts(self, theme: str) -> dict[str, tuple[FontChoice, ...]]:
        """The families the theme ships, as values of each font token (the theme picker's fonts)."""
        ...

    def check_slug(self, value: str) -> str | None: ...

    # page editing
    def components(self, project: str) -> list[ComponentInfo]: ...
    def components_path(self) -> str:
        """The folders the component library is read from (BGPUB_COMPONENTS_PATH or the default)."""
        ...

    def load_page(self, project: str, slug: str) -> PageDocument: ...
    def save_page(
        self, project: str, slug: str, blocks: Sequence[Block], expected_revision: int | None
    ) -> PageDocument: ...
    def check_block(self, project: str, slug: str, index: int, block: Block) -> list[BgpubError]:
        """Every problem of the block, one per invalid field (empty when valid)."""
        ...

    # assets
    def assets(self, project: str) -> list[AssetRow]: ...
    def add_asset(self, project: str, path: Path, alt: str = "") -> AssetRow: ...
    def delete_asset(self, project: str, name: str) -> None: ...
    def set_asset_focus(self, project: str, name: str, x: float, y: float) -> None: ...
    def set_asset_alt(self, project: str, name: str, alt: str) -> None: ...
    def rename_asset(self, project: str, name: str, new: str) -> AssetRenamed:
        """Renames the asset and points its uses (blocks, settings, posts, products) at the new name."""
        ...

    def asset_file(self, project: str, name: str) -> AssetFile:
        """The asset's facts and a copy of its bytes in the workspace (for the preview and its file:// link)."""
        ...

    # publishing
    def site_checks(self, project: str) -> list[Any]:
        """What `bgpub check` finds (domain.checks.Finding), errors first."""
        ...

    def publish(
        self, project: str, message: str, progress: Progress | None = None
    ) -> PublishOutcome: ...
    def versions(self, project: str) -> list[VersionRow]: ...
    def stats(self, project: str, days: int = 30) -> Any:
        """What `bgpub collect` counted (a domain.stats.ProjectStats)."""
        ...

    def diff(self, project: str, old: int, new: int) -> DiffSummary: ...
    def rollback(self, project: str, number: int) -> PublishOutcome: ...
    def file_diff(self, project: str, old: int, new: int, path: str) -> str:
        """A unified diff of one published file between two versions."""
        ...

    # preview
    def start_preview(self, project: str) -> str:
        """Starts (or finds) the preview of `project`; several projects may be previewed at once."""
        ...

    def stop_preview(self, project: str) -> bool:
        """Stops the preview of `project`; False when it had none."""
        ...

    def preview_url(self, project: str) -> str | None: ...

    def close(self) -> None: ...


def jsonable(value: Any) -> Any:
    """Props as JSON-ready data (tuples become lists), the form services store."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value
