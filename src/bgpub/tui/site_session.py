"""The calls of the Targets screen, the publish dialog's target and dry run, the site settings and the
page settings: one service call each, as the workspace's actor.

Kept beside the EditorSession protocol (as blog_session.py is) so these screens stay self-contained;
every method runs in a worker thread on that thread's connection and returns plain records.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgpub.domain.page_fields import PageSettings
from bgpub.domain.progress import Progress
from bgpub.domain.versions import PublishOutcome
from bgpub.tui.service_session import ServiceSession, connected


@dataclass(frozen=True)
class OptionField:
    """One option of a target kind, as the target form shows it (from the kind registry)."""

    name: str
    help: str
    required: bool = False
    is_flag: bool = False


@dataclass(frozen=True)
class TargetKindInfo:
    name: str
    summary: str
    options: tuple[OptionField, ...] = ()


@dataclass(frozen=True)
class TargetRow:
    name: str
    kind: str
    location: str
    config: dict[str, Any] = field(default_factory=dict)
    live_version: int | None = None
    base_url: str = ""


@dataclass(frozen=True)
class TargetReport:
    """What `bgpub target test` says: checks passed, warnings, where it deploys."""

    name: str
    kind: str
    location: str
    checks: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TargetPlan:
    """A dry run's list for one target: what a publish would send (new, changed) and delete."""

    target: str
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class DryRun:
    files: int
    bytes: int
    rendered: int
    plans: tuple[TargetPlan, ...] = ()
    warnings: tuple[str, ...] = ()
    base_url: str = ""


@dataclass(frozen=True)
class SiteForm:
    """Every site-wide setting the settings dialog edits, as text (empty: not set)."""

    title: str = ""
    description: str = ""
    language: str = "en"
    base_url: str = ""
    custom_domain: str = ""
    seo_image: str = ""
    icon: str = ""
    footer_note: str = ""
    analytics: str = ""  # '' (none), 'plausible' or 'ga4'
    analytics_id: str = ""  # Plausible's domain or the GA4 measurement ID
    other_analytics: tuple[str, ...] = ()  # analytics integrations added with `bgpub integration`


@dataclass(frozen=True)
class PageForm:
    """A page's settings as the page settings dialog edits them (every `domain.page_fields` field)."""

    slug: str
    title: str
    settings: PageSettings = PageSettings()
    revision: int = 0


def _row(view: Any) -> TargetRow:
    return TargetRow(
        view.name, view.kind, view.location, dict(view.config), view.live_version, view.base_url
    )


class SiteSession:
    """Targets, publishing choices, site and page settings over bgpub.services."""

    def __init__(self, actor: Any, workspace: Path | None = None) -> None:
        self.actor = actor
        self.workspace = workspace  # where the default target's folder and the render cache live

    # targets
    def target_kinds(self) -> list[TargetKindInfo]:
        from bgpub.services.target_kinds import kind_names, kind_options, kind_summary

        return [
            TargetKindInfo(
                name,
                kind_summary(name),
                tuple(
                    OptionField(o.name, o.help, o.required, o.is_flag) for o in kind_options(name)
                ),
            )
            for name in kind_names()
        ]

    @connected
    def targets(self, project: str) -> list[TargetRow]:
        from bgpub.services.targets import list_targets

        return [_row(v) for v in list_targets(self.actor, project, self.workspace)]

    @connected
    def add_target(self, project: str, name: str, kind: str, options: dict[str, Any]) -> None:
        from bgpub.services.targets import add_target

        add_target(self.actor, project, name, kind, **options)

    @connected
    def update_target(self, project: str, name: str, options: dict[str, Any]) -> None:
        from bgpub.services.targets import update_target

        update_target(self.actor, project, name, **options)

    @connected
    def remove_target(self, project: str, name: str) -> None:
        from bgpub.services.targets import remove_target

        remove_target(self.actor, project, name)

    @connected
    def test_target(self, project: str, name: str) -> TargetReport:
        from bgpub.services.targets import check_target

        report = check_target(self.actor, project, name, self.workspace)
        return TargetReport(
            name, report.kind, report.location, tuple(report.checks), tuple(report.warnings)
        )

    # publishing
    @connected
    def dry_run(self, project: str, target: str | None) -> DryRun:
        """What publishing to `target` would send and delete; nothing is changed (`bgpub publish --dry-run`)."""
        from bgpub.services.publishing import publish_project

        result = publish_project(
            self.actor, project, target=target, dry_run=True, workspace=self.workspace
        )
        plans = tuple(
            TargetPlan(
                name,
                tuple(d.get("added", ())),
                tuple(d.get("changed", ())),
                tuple(d.get("removed", ())),
            )
            for name, d in result.diff.items()
        )
        return DryRun(
            result.files,
            result.bytes,
            result.rendered,
            plans,
            tuple(result.warnings),
            result.base_url,
        )

    @connected
    def publish(
        self, project: str, message: str, target: str | None, progress: Progress | None = None
    ) -> PublishOutcome:
        from bgpub.services.publishing import publish_project

        result = publish_project(
            self.actor,
            project,
            target=target,
            message=message,
            progress=progress,
            workspace=self.workspace,
        )
        return ServiceSession._outcome(result)

    # site settings
    @connected
    def site_form(self, project: str) -> SiteForm:
        from bgpub.services.projects import show_project
        from bgpub.services.site_analytics import site_analytics

        p = show_project(self.actor, project)
        settings = p.settings or {}
        analytics = site_analytics(self.actor, project)
        return SiteForm(
            p.title,
            p.description or "",
            p.language or "en",
            str(settings.get("base_url") or ""),
            p.custom_domain or "",
            str(settings.get("seo_image") or ""),
            str(settings.get("icon") or ""),
            str(settings.get("footer_note") or ""),
            analytics.kind,
            analytics.value,
            analytics.others,
        )

    @connected
    def save_site_form(self, project: str, form: SiteForm, before: SiteForm) -> None:
        """Writes the project's fields and, when they changed, the analytics (an ADMIN's change: it
        is an integration) in one transaction: a refused analytics change saves nothing."""
        from bgpub.services.site_settings import save_site_settings

        analytics = (form.analytics, form.analytics_id.strip())
        changed = analytics != (before.analytics, before.analytics_id)
        save_site_settings(
            self.actor,
            project,
            fields={
                "title": form.title,
                "description": form.description,
                "language": form.language,
                "custom_domain": form.custom_domain,
                "settings": {
                    "base_url": form.base_url or None,
                    "seo_image": form.seo_image or None,
                    "icon": form.icon or None,
                    "footer_note": form.footer_note or None,
                },
            },
            analytics=analytics if changed else None,
        )

    @connected
    def images(self, project: str) -> list[tuple[str, str]]:
        """(name, label) of the project's image assets: the asset pickers' choices."""
        from bgpub.services.assets import list_assets

        return [
            (a.name, f"{a.name}  ({a.width or '?'}x{a.height or '?'})")
            for a in list_assets(self.actor, project)
            if str(a.type) == "IMAGE"
        ]

    # page settings
    @connected
    def page_form(self, project: str, slug: str) -> PageForm:
        from bgpub.services.page_settings import page_settings

        v = page_settings(self.actor, project, slug)
        return PageForm(v.slug, v.title, v.settings, v.revision)

    @connected
    def save_page_form(self, project: str, form: PageForm) -> PageForm:
        from bgpub.services.page_settings import set_page_settings

        v = set_page_settings(
            self.actor,
            project,
            form.slug,
            expected_revision=form.revision or None,
            **dataclasses.asdict(form.settings),
        )
        return PageForm(v.slug, v.title, v.settings, v.revision)


def site_of(app: Any) -> SiteSession:
    """The site calls of the app's session (the real one carries the workspace and its actor)."""
    site = getattr(app, "_bgpub_site", None)
    if site is None:
        session = app.session
        site = SiteSession(session.actor, getattr(session, "home", None))
        app._bgpub_site = site
    return site
