"""The editor's session on the real service layer: each call is one service call as the workspace's actor.

Calls run in worker threads; each opens (and closes) that thread's database connection, and turns the
services' results into plain records so no model crosses into a widget.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from bgpub.domain.assets import AssetRow
from bgpub.domain.blocks import Block
from bgpub.domain.components import ComponentInfo
from bgpub.domain.enums import DeploymentStatus
from bgpub.domain.locations import Location
from bgpub.domain.organizations import OrganizationRow
from bgpub.domain.pages import PageDocument, PageRow, PageWindow
from bgpub.domain.progress import Progress
from bgpub.domain.projects import ProjectRow, SiteSettings
from bgpub.domain.props import PropSpec
from bgpub.domain.themes import ThemeInfo
from bgpub.domain.versions import DiffSummary, PublishOutcome, VersionRow
from bgpub.errors import BgpubError, PublishError
from bgpub.tui.session import jsonable

if TYPE_CHECKING:
    from bgpub.domain.assets import AssetRenamed
    from bgpub.domain.themes import FontChoice
    from bgpub.services.asset_files import AssetFile
    from bgpub.services.library import Library
    from bgpub.services.workspace import Workspace

T = TypeVar("T")


class PreviewHandle(Protocol):
    """A running preview (bgpub.preview.session.PreviewServer), as the editor uses it."""

    @property
    def url(self) -> str: ...

    def start(self) -> PreviewHandle: ...

    def stop(self) -> None: ...


# Makes a project's preview server: the launcher (bgpub.cli) passes bgpub.preview's, so the editor and
# the preview stay independent front ends, each above services only.
PreviewFactory = Callable[["Workspace", str], PreviewHandle]


def connected(method: Callable[..., T]) -> Callable[..., T]:
    """Runs the call on this thread's connection, closing it afterwards if the call opened it."""

    @functools.wraps(method)
    def wrapper(self: ServiceSession, *args: Any, **kwargs: Any) -> T:
        from bgpub.services.workspace import thread_connection

        with thread_connection():
            return method(self, *args, **kwargs)

    return wrapper


def project_limit_text(org: Any) -> str:
    """Why one more project would be refused in an organization summary (empty when there is room)."""
    if org.projects_allowed is None or org.projects < org.projects_allowed:
        return ""
    return (
        f"{org.slug} is on the {org.tier} tier: {org.projects} of {org.projects_allowed} project(s) used; "
        f"an OWNER lifts it with 'bgpub org tier {org.slug} TIER' (e.g. STARTER, PRO, ENTERPRISE)"
    )


def _spec(prop: PropSpec | dict[str, Any]) -> PropSpec:
    """A prop spec, or its plain form (a stored schema's), as the props form's spec."""
    return prop if isinstance(prop, PropSpec) else PropSpec.from_dict(prop)


class ServiceSession:
    """EditorSession over bgpub.services, acting as `workspace.actor`."""

    def __init__(self, workspace: Workspace, preview: PreviewFactory | None = None) -> None:
        self.workspace = workspace
        self._preview = preview  # the launcher's preview server (the editor does not import it)
        self.actor = workspace.actor
        self.actor_label = self.actor.email
        self._previews: dict[str, PreviewHandle] = {}  # one live preview per project, by reference
        self._lock = threading.Lock()
        self._library: Library | None = None

    @property
    def home(self) -> Path:
        return self.workspace.settings.workspace

    # workspace
    @connected
    def organizations(self) -> list[OrganizationRow]:
        from bgpub.services.organizations import list_organizations

        return [
            OrganizationRow(o.slug, o.name, o.role, project_limit_text(o))
            for o in list_organizations(self.actor)
        ]

    @connected
    def projects(self) -> list[ProjectRow]:
        from bgpub.services.projects import list_projects

        return [
            ProjectRow(
                p.organization, p.name, p.title, p.status, p.pages, p.published_at, p.last_author
            )
            for p in list_projects(self.actor)
        ]

    def starters(self) -> list[str]:
        from bgpub.services.importing import list_starters

        return list_starters()

    @connected
    def create_project(
        self, organization: str, name: str, title: str, starter: str | None
    ) -> ProjectRow:
        from bgpub.services.projects import new_project

        project = new_project(
            self.actor, name, title=title, organization=organization, starter=starter
        )
        return ProjectRow(organization, project.name, project.title, project.status.value, 0)

    @connected
    def archive_project(self, project: str) -> None:
        from bgpub.services.projects import archive_project

        archive_project(self.actor, project)

    @connected
    def delete_project(self, project: str) -> None:
        from bgpub.services.projects import delete_project

        delete_project(self.actor, project)

    # pages
    @connected
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
        from bgpub.services.page_windows import page_window

        return page_window(
            self.actor,
            project,
            text=text,
            start=start,
            limit=limit,
            keep=keep,
            total=total,
            shown=shown,
        )

    def reading_pages(self) -> AbstractContextManager[object]:
        from bgpub.services.workspace import thread_connection

        return thread_connection()

    @connected
    def add_page(self, project: str, slug: str, title: str) -> PageRow:
        from bgpub.services.pages import create_page

        page = create_page(self.actor, project, slug, title)
        return PageRow(page.slug, page.title, page.is_home, page.show_in_nav)

    @connected
    def rename_page(self, project: str, slug: str, title: str) -> None:
        from bgpub.services.pages import rename_page

        rename_page(self.actor, project, slug, title)

    @connected
    def change_slug(self, project: str, slug: str, new_slug: str) -> None:
        from bgpub.services.pages import change_slug

        change_slug(self.actor, project, slug, new_slug)

    @connected
    def duplicate_page(self, project: str, slug: str, new_slug: str, title: str) -> None:
        from bgpub.services.page_copies import copy_page

        copy_page(self.actor, project, slug, new_slug, title)

    @connected
    def site_checks(self, project: str) -> list[Any]:
        from bgpub.services.site_checks import run_checks

        return run_checks(self.actor, project)

    @connected
    def links_to(self, project: str, slug: str) -> int:
        from bgpub.services.link_updates import links_to

        return len(links_to(self.actor, project, slug))

    @connected
    def retarget_links(self, project: str, old_slug: str, new_slug: str) -> int:
        from bgpub.services.link_updates import retarget_links

        return retarget_links(self.actor, project, old_slug, new_slug)

    @connected
    def move_page(self, project: str, slug: str, position: int) -> None:
        from bgpub.services.pages import move_page

        move_page(self.actor, project, slug, position)

    @connected
    def set_home(self, project: str, slug: str) -> None:
        from bgpub.services.pages import set_home

        set_home(self.actor, project, slug)

    @connected
    def delete_page(self, project: str, slug: str) -> None:
        from bgpub.services.pages import remove_page

        remove_page(self.actor, project, slug)

    def check_slug(self, value: str) -> str | None:
        """The services' slug rule, for checking as the user types."""
        from bgpub.errors import InvalidInput
        from bgpub.services.validation import page_slug

        try:
            page_slug(value)
        except InvalidInput as exc:
            return exc.message
        return None

    # site
    @connected
    def site_settings(self, project: str) -> SiteSettings:
        from bgpub.services.projects import show_project

        p = show_project(self.actor, project)
        return SiteSettings(
            title=p.title,
            description=p.description,
            custom_domain=p.custom_domain,
            seo_image=str(p.settings.get("seo_image") or ""),
            theme=p.theme,
            theme_overrides=dict(p.theme_overrides),
        )

    @connected
    def update_site_settings(self, project: str, settings: SiteSettings) -> None:
        from bgpub.services.projects import show_project, update_project

        current = show_project(self.actor, project)
        removed = {k: None for k in current.theme_overrides if k not in settings.theme_overrides}
        update_project(
            self.actor,
            project,
            title=settings.title,
            description=settings.description,
            custom_domain=settings.custom_domain,
            settings={"seo_image": settings.seo_image or None},
            theme=settings.theme or None,
            theme_overrides={**removed, **settings.theme_overrides},
        )

    def themes(self) -> list[ThemeInfo]:
        from bgpub.services.library import current_themes

        themes = current_themes()
        return [
            ThemeInfo(t.name, t.label, t.description, dict(themes.tokens(t.name)))
            for t in themes.values()
        ]

    def token_problem(self, value: str) -> str | None:
        from bgpub.services.library import token_problem

        return token_problem(value) if value else None

    def theme_fonts(self, theme: str) -> dict[str, tuple[FontChoice, ...]]:
        from bgpub.services.theme_fonts import font_choices

        return font_choices(theme)

    # page editing
    def _loaded_library(self) -> Library:
        with self._lock:
            if self._library is None:
                from bgpub.services.library import current_library

                self._library = current_library()
            return self._library

    def components_path(self) -> str:
        """Where the editor reads the components from (the renderer's files, not the database table)."""
        import os

        from bgpub.services.sources import components_dirs

        return os.pathsep.join(str(d) for d in components_dirs())

    @connected
    def components(self, project: str) -> list[ComponentInfo]:
        from bgpub.services.library import list_library

        library = self._loaded_library()
        found = [
            ComponentInfo(
                spec.key,
                spec.name,
                spec.type,
                spec.description,
                tuple(_spec(p) for p in spec.props),
                str(getattr(spec, "summary", "") or ""),
            )
            for spec in sorted(library.values(), key=lambda s: s.name)
        ]
        org = project.split("/", 1)[0] if "/" in project else None
        for entry in list_library(self.actor):
            if entry.base and entry.base in library and (org is None or entry.organization == org):
                base = found_by_key(found, entry.base)
                if base is not None:
                    props = tuple(
                        dataclasses.replace(p, default=entry.defaults.get(p.name, p.default))
                        for p in library[entry.base].props
                    )
                    found.append(
                        ComponentInfo(
                            entry.key, entry.name, base.type, entry.description, props, base.summary
                        )
                    )
        return found

    @connected
    def load_page(self, project: str, slug: str) -> PageDocument:
        from bgpub.services.pages import load_page

        return load_page(self.actor, project, slug)

    @connected
    def save_page(
        self, project: str, slug: str, blocks: Sequence[Block], expected_revision: int | None
    ) -> PageDocument:
        from bgpub.services.blocks import save_blocks

        data = [{"component": b.component, "props": jsonable(b.props)} for b in blocks]
        return save_blocks(self.actor, project, slug, data, expected_revision=expected_revision)

    @connected
    def check_block(self, project: str, slug: str, index: int, block: Block) -> list[BgpubError]:
        from bgpub.services.blocks import block_problems
        from bgpub.services.library import saved_components_of
        from bgpub.services.projects import show_project

        record = show_project(self.actor, project)
        assets = {
            a.name: a.type for a in self.assets(project)
        }  # types: image props refuse other files
        where = Location(record.name, slug, index + 1, block.component)
        return list(
            block_problems(
                self._loaded_library(),
                block.component,
                jsonable(block.props),
                where,
                saved_components_of(record.organization_id),
                assets,
            )
        )

    # assets
    @connected
    def assets(self, project: str) -> list[AssetRow]:
        from bgpub.services.assets import list_assets

        return list_assets(self.actor, project)

    @connected
    def set_asset_focus(self, project: str, name: str, x: float, y: float) -> None:
        from bgpub.services.assets import set_focus

        set_focus(self.actor, project, name, x, y)

    @connected
    def set_asset_alt(self, project: str, name: str, alt: str) -> None:
        from bgpub.services.assets import set_alt

        set_alt(self.actor, project, name, alt)

    @connected
    def rename_asset(self, project: str, name: str, new: str) -> AssetRenamed:
        from bgpub.services.asset_names import rename_asset

        return rename_asset(self.actor, project, name, new)

    @connected
    def asset_file(self, project: str, name: str) -> AssetFile:
        from bgpub.services.asset_files import asset_file

        return asset_file(self.actor, project, name, self.home / "asset-files")

    @connected
    def add_asset(self, project: str, path: Path, alt: str = "") -> AssetRow:
        from bgpub.services.assets import add_asset

        return add_asset(self.actor, project, path, alt=alt)

    @connected
    def delete_asset(self, project: str, name: str) -> None:
        from bgpub.services.assets import remove_asset

        remove_asset(self.actor, project, name)

    # publishing
    @connected
    def publish(
        self, project: str, message: str, progress: Progress | None = None
    ) -> PublishOutcome:
        from bgpub.services.publishing import publish_project

        result = publish_project(
            self.actor, project, message=message, progress=progress, workspace=self.home
        )
        return self._outcome(result)

    @connected
    def rollback(self, project: str, number: int) -> PublishOutcome:
        from bgpub.services.publishing import rollback_project

        return self._outcome(rollback_project(self.actor, project, number, workspace=self.home))

    @staticmethod
    def _outcome(result: Any) -> PublishOutcome:
        failed = [d for d in result.deployments if d.status != DeploymentStatus.SUCCEEDED]
        if failed or not result.deployments:
            detail = (
                "; ".join(f"{d.target}: {d.error or d.status.lower()}" for d in failed)
                or "no target"
            )
            raise PublishError(
                f"version {result.version} was recorded but not deployed ({detail})",
                where=f"project {result.project}",
            )
        first = result.deployments[0]
        diff = result.diff.get(first.target, {})
        changed = sum(len(diff.get(k, ())) for k in ("added", "changed", "removed"))
        return PublishOutcome(
            result.version, first.target, first.location, changed, float(result.seconds)
        )

    def _version_rows(self, project: str) -> list[VersionRow]:
        from bgpub.services.versions import list_versions

        return [
            VersionRow(
                v.number, v.created_at, v.author, v.message, bool(v.live_on), v.pages, v.files
            )
            for v in list_versions(self.actor, project)
        ]

    @connected
    def versions(self, project: str) -> list[VersionRow]:
        return self._version_rows(project)

    @connected
    def stats(self, project: str, days: int = 30) -> Any:
        from bgpub.services.stats import project_stats

        return project_stats(self.actor, project, days)

    @connected
    def diff(self, project: str, old: int, new: int) -> DiffSummary:
        from bgpub.services.versions import diff_versions

        d = diff_versions(self.actor, project, old, new)
        return DiffSummary(
            tuple(d.pages.get("added", ())),
            tuple(d.pages.get("removed", ())),
            tuple(d.pages.get("changed", ())),
            len(d.files.get("added", ())),
            len(d.files.get("changed", ())),
            len(d.files.get("removed", ())),
            tuple(d.pages.get("site", ())),
            tuple(
                (mark, path)
                for mark, key in (("~", "changed"), ("+", "added"), ("-", "removed"))
                for path in d.files.get(key, ())
            ),
        )

    @connected
    def file_diff(self, project: str, old: int, new: int, path: str) -> str:
        from bgpub.services.version_files import file_diff

        return file_diff(self.actor, project, old, new, path)

    # preview
    def start_preview(self, project: str) -> str:
        """Starts this project's preview (others keep running: several projects may be previewed)."""
        if self._preview is None:
            raise BgpubError(
                "this editor was started without a preview server", where=f"project {project}"
            )
        with self._lock:
            if project not in self._previews:
                self._previews[project] = self._preview(self.workspace, project).start()
            return self._previews[project].url

    def stop_preview(self, project: str) -> bool:
        """Stops this project's preview; False when it had none."""
        with self._lock:
            server = self._previews.pop(project, None)
        if server is None:
            return False
        server.stop()
        return True

    def preview_url(self, project: str) -> str | None:
        server = self._previews.get(project)
        return server.url if server is not None else None

    def close(self) -> None:
        for project in list(self._previews):
            self.stop_preview(project)


def found_by_key(components: list[ComponentInfo], key: str) -> ComponentInfo | None:
    return next((c for c in components if c.key == key), None)
