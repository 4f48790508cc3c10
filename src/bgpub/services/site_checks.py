"""What to fix before publishing: one registry of checks, run by `bgpub check PROJECT` and shown by the
editor before it publishes.

A check is a function of `SiteFacts` yielding `Finding`s; `@site_check("id", "title")` registers it, so a
feature adds its own (e.g. the shop's "no checkout configured") without touching the front ends.
Errors mean the published site would be broken or would publish sample content; warnings are worth
a look. Checks read the project's snapshot (what would be published), never the rendered files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bgpub.db.models import Project, User
from bgpub.domain.blocks import Block
from bgpub.domain.checks import ERROR, WARNING, Finding
from bgpub.domain.props import PropSpec
from bgpub.render.components import ComponentLibrary, ComponentSpec
from bgpub.render.site_files import is_site_file
from bgpub.services.library import current_library
from bgpub.services.lookup import find_project
from bgpub.services.snapshots import project_snapshot
from bgpub.services.targets import project_targets, site_address, sites_domain
from bgpub.snapshot import ProjectSnapshot


@dataclass(frozen=True)
class SiteFacts:
    """What checks read: the project row, its snapshot, the component library and its base URL."""

    project: Project
    snapshot: ProjectSnapshot
    library: ComponentLibrary
    base_url: str

    def blocks(self) -> Iterator[tuple[str, int, Block, ComponentSpec | None, dict[str, Any]]]:
        """(place, 1-based position, block, component, props as published: defaults filled in).

        The place is "page SLUG" for a page's own blocks and "section NAME" for a shared section's:
        a section's block is checked once, where it is edited, never once per page showing it (the
        header a lifted project shows on 40 pages is one fix, not 40 findings).
        """
        owners = [(f"page {p.slug}", p.blocks) for p in self.snapshot.pages]
        owners += [(f"section {s.name}", s.blocks) for s in self.snapshot.sections]
        for place, blocks in owners:
            yield from self._published(place, blocks)

    def _published(
        self, place: str, blocks: Iterable[Block]
    ) -> Iterator[tuple[str, int, Block, ComponentSpec | None, dict[str, Any]]]:
        saved = {c.key: c for c in self.snapshot.components}
        for index, block in enumerate(blocks, start=1):
            key, defaults = block.component, {}
            if key not in self.library and key in saved:
                key, defaults = saved[key].base, dict(saved[key].defaults)
            spec = self.library[key] if key in self.library else None
            published = {p.name: p.default_value() for p in spec.props} if spec is not None else {}
            yield place, index, block, spec, {**published, **defaults, **block.props}


CheckFunction = Callable[[SiteFacts], Iterable[Finding]]


@dataclass(frozen=True)
class RegisteredCheck:
    name: str
    title: str
    run: CheckFunction


CHECKS: dict[str, RegisteredCheck] = {}


def site_check(name: str, title: str) -> Callable[[CheckFunction], CheckFunction]:
    """Registers a check under `name` (its findings carry that name)."""

    def register(function: CheckFunction) -> CheckFunction:
        CHECKS[name] = RegisteredCheck(name, title, function)
        return function

    return register


def project_base_url(project: Project) -> str:
    """The base URL a publish would render for (the first target's, else the project's own), '' if none."""
    targets = project_targets(project)
    if targets:
        return site_address(project, targets[0]).base_url
    setting = (project.settings or {}).get("base_url")
    if setting:
        return str(setting).rstrip("/")
    if project.custom_domain:
        return f"https://{project.custom_domain}"
    domain = sites_domain()
    return f"https://{project.subdomain}.{domain}" if project.subdomain and domain else ""


def run_checks(
    actor: User, project: str | Project, *, only: Iterable[str] | None = None
) -> list[Finding]:
    """Every finding of every registered check (or of `only`), errors first, in page order."""
    record = find_project(actor, project)
    facts = SiteFacts(
        record, project_snapshot(actor, record), current_library(), project_base_url(record)
    )
    wanted = set(only) if only is not None else set(CHECKS)
    findings = [
        finding for name, check in CHECKS.items() if name in wanted for finding in check.run(facts)
    ]
    return sorted(findings, key=lambda f: f.severity != ERROR)


def where_of(place: str, index: int, block: Block, prop: str = "") -> str:
    """`page about, block 3 (hero), prop cta_url` (or `section header, block 1 (navbar)`)."""
    where = f"{place}, block {index} ({block.component})"
    return f"{where}, prop {prop}" if prop else where


# -- the checks -----------------------------------------------------------------------------------
@site_check("base-url", "A base URL is set")
def no_base_url(facts: SiteFacts) -> Iterator[Finding]:
    if not facts.base_url:
        yield Finding(
            "base-url",
            WARNING,
            f"project {facts.project.name}",
            "no base URL: sitemap.xml <loc>, canonical links, og:url and og:image are written relative, which "
            f"search engines and social sites reject; set one with 'bgpub project set {facts.project.name} "
            "--domain www.example.com' or a target's --base-url",
        )


PLACEHOLDER_HOST = re.compile(
    r"(^|\.)(example)\.[a-z.]+$|\.(example|invalid|test|localhost)$|^localhost$"
)


def placeholder_address(value: str) -> bool:
    """An address nobody receives at: example.com/.org/.net (any subdomain), reserved test domains."""
    host = (urlsplit(value.strip()).hostname or "").lower()
    return bool(host) and bool(PLACEHOLDER_HOST.search(host))


@site_check("form-address", "Forms post to a real address")
def forms_to_placeholders(facts: SiteFacts) -> Iterator[Finding]:
    for place, index, block, spec, props in facts.blocks():
        if spec is None:
            continue
        for prop in spec.props:
            if prop.name != "action" or prop.type != "url":
                continue
            value = str(props.get(prop.name) or "")
            if not value.strip():
                yield Finding(
                    "form-address",
                    ERROR,
                    where_of(place, index, block, prop.name),
                    "the form has no address to send to: visitors' messages would be lost",
                )
            elif placeholder_address(value):
                yield Finding(
                    "form-address",
                    ERROR,
                    where_of(place, index, block, prop.name),
                    f"the form posts to {value}, a placeholder address: visitors' messages would be "
                    "lost; use your form service's endpoint",
                )


SAMPLE_MIN_WORDS = 4


def _sample_texts(prop: PropSpec, value: Any) -> bool:
    """Whether a text or list prop still holds the component's sample content."""
    if (
        prop.type in ("text", "multiline", "markdown")
        and isinstance(prop.default, str)
        and prop.default.strip()
    ):
        # copy, not a short label: "Send" or "Subscribe" may well be what the owner wants
        copy = prop.type != "text" or len(prop.default.split()) >= SAMPLE_MIN_WORDS
        same: bool = copy and isinstance(value, str) and value.strip() == prop.default.strip()
        return same
    if prop.type == "list" and isinstance(prop.default, list) and prop.default:
        equal: bool = value == prop.default
        return equal
    return False


@site_check("placeholder-text", "No sample text is published")
def placeholder_text(facts: SiteFacts) -> Iterator[Finding]:
    for place, index, block, spec, props in facts.blocks():
        if spec is None:
            continue
        for prop in spec.props:
            if prop.name == "action" or not _sample_texts(prop, props.get(prop.name)):
                continue
            # required text left as the sample is an error; a list (plans, form fields) may be a fair
            # start, so it is a warning to look at
            severity = ERROR if prop.required and prop.type != "list" else WARNING
            yield Finding(
                "placeholder-text",
                severity,
                where_of(place, index, block, prop.name),
                "still the component's sample content (it would be published as is); write your own"
                + (" — required, so publishing waits for it" if severity == ERROR else ""),
            )


def _internal_links(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("/") and not text.startswith("//"):
            yield path, text
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _internal_links(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _internal_links(item, f"{path}[{i + 1}]")


@site_check("broken-link", "Internal links lead to a page")
def broken_links(facts: SiteFacts) -> Iterator[Finding]:
    # the home page is written at the root (index.html), never at its slug
    slugs = {page.slug for page in facts.snapshot.pages if not page.is_home}
    for place, index, block, _, props in facts.blocks():
        for prop, link in _internal_links(props):
            target = urlsplit(link).path.strip("/")
            first = target.split("/", 1)[0]
            if not target or target in slugs or is_site_file(first):
                continue
            yield Finding(
                "broken-link",
                ERROR,
                where_of(place, index, block, prop),
                f"links to {link}, but the site has no such page"
                + (
                    f" (pages: {', '.join(sorted(slugs)[:5])}{'…' if len(slugs) > 5 else ''})"
                    if slugs
                    else ""
                ),
            )


from bgpub.services import shop_checks  # noqa: E402, F401  (registers the shop's check)
