"""Demo data for a new workspace: users in every role, an organization, a small bakery site, and (see
`seed_content`) a blog, a shop and the activity around them, so every user-visible table has rows.

Idempotent: rows are looked up by their natural keys (email, slug, name) and only missing ones are
created; existing rows, even edited ones, are left alone, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from peewee import IntegrityError

from bgpub.db.connection import database
from bgpub.db.enums import ProjectStatus, Role, SubscriptionStatus, SubscriptionTier
from bgpub.db.models import BaseModel, Organization, OrganizationMember, Page, Project, User
from bgpub.errors import Conflict
from bgpub.services import audit, validation

_Row = TypeVar("_Row", bound=BaseModel)

OWNER_EMAIL = "demo@example.com"
MEMBERS = [  # (email, name, role): one member in each role
    (OWNER_EMAIL, "Demo Owner", "OWNER"),
    ("ada@example.com", "Ada Admin", "ADMIN"),
    ("eddie@example.com", "Eddie Editor", "EDITOR"),
    ("vera@example.com", "Vera Viewer", "VIEWER"),
]
ORGANIZATION = {"name": "Demo Studio", "slug": "demo-studio", "tier": "PRO"}
PROJECT: dict[str, Any] = {
    "name": "bakery",
    "title": "Rosemary Bakery",
    "description": "Sourdough, pastries and coffee in the old town, baked fresh every morning.",
    "theme": "aurora",
    "subdomain": "rosemary-bakery",
    "settings": {
        "base_url": "https://rosemary-bakery.example.com",
        "footer_note": "© Rosemary Bakery",
    },
}

NAVBAR = {
    "component": "navbar",
    "props": {"brand": "Rosemary Bakery", "cta_label": "Order", "cta_url": "/contact/"},
}
FOOTER = {
    "component": "footer",
    "props": {
        "tagline": "Baked fresh every morning since 1998.",
        "columns": [{"heading": "Visit", "links": "- [Menu](/menu/)\n- [Contact](/contact/)"}],
        "social": [{"network": "instagram", "url": "https://instagram.com/rosemary.bakery"}],
        "note": "© Rosemary Bakery",
    },
}
PAGES: list[dict[str, Any]] = [
    {
        "slug": "home",
        "title": "Home",
        "seo_description": "Sourdough and pastries in the old town.",
        "blocks": [
            NAVBAR,
            {
                "component": "hero",
                "props": {
                    "heading": "Bread worth getting up for",
                    "text": "Slow-fermented sourdough, flaky pastries and good coffee, from 7 am.",
                    "primary_label": "See the menu",
                    "primary_url": "/menu/",
                    "secondary_label": "Find us",
                    "secondary_url": "/contact/",
                },
            },
            {
                "component": "feature-grid",
                "props": {
                    "heading": "Why people come back",
                    "features": [
                        {
                            "icon": "leaf",
                            "title": "Organic flour",
                            "text": "Milled in the valley, 30 km away.",
                        },
                        {
                            "icon": "clock",
                            "title": "48-hour dough",
                            "text": "Time does what additives can't.",
                        },
                        {
                            "icon": "heart",
                            "title": "Made by hand",
                            "text": "Shaped and scored by our bakers.",
                        },
                    ],
                },
            },
            {
                "component": "cta",
                "props": {
                    "heading": "Cakes for your celebration",
                    "text": "Order two days ahead.",
                    "button_label": "Order a cake",
                    "button_url": "/contact/",
                },
            },
            FOOTER,
        ],
    },
    {
        "slug": "about",
        "title": "About us",
        "blocks": [
            NAVBAR,
            {
                "component": "rich-text",
                "props": {
                    "body": "## Our story\n\nRosa opened the bakery in 1998 with "
                    "one oven and a sourdough starter she still feeds every day."
                },
            },
            FOOTER,
        ],
    },
    {
        "slug": "menu",
        "title": "Menu",
        "blocks": [
            NAVBAR,
            {
                "component": "rich-text",
                "props": {
                    "body": "## Breads\n\n- Country sourdough: 6.50\n"
                    "- Rye with seeds: 7.00\n- Baguette: 2.80",
                    "width": "wide",
                },
            },
            {
                "component": "feature-grid",
                "props": {
                    "heading": "Pastries",
                    "columns": 2,
                    "features": [
                        {
                            "icon": "star",
                            "title": "Croissant",
                            "text": "Butter from the dairy next door.",
                        },
                        {
                            "icon": "gift",
                            "title": "Cinnamon bun",
                            "text": "Our best seller since day one.",
                        },
                    ],
                },
            },
            FOOTER,
        ],
    },
    {
        "slug": "contact",
        "title": "Contact",
        "blocks": [
            NAVBAR,
            {
                "component": "rich-text",
                "props": {
                    "body": "## Visit us\n\n12 Market Street, open Tuesday to Sunday, 7 am to 2 pm."
                },
            },
            {
                "component": "cta",
                "props": {
                    "heading": "Questions?",
                    "button_label": "Email us",
                    "button_url": "mailto:hello@example.com",
                    "tone": "subtle",
                },
            },
            FOOTER,
        ],
    },
]


@dataclass
class SeedReport:
    """What a run created, per table; empty when the demo data was already complete."""

    created: dict[str, int] = field(default_factory=dict)

    def add(self, table: str) -> None:
        self.created[table] = self.created.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _check_all() -> None:
    """Validates every value with the same checks as user input, before anything is written."""
    for email, name, role in MEMBERS:
        validation.email(email, where="seed")
        validation.required_text(name, "name", where="seed")
        validation.enum_value(Role, role, "role", where="seed")
    validation.slug(ORGANIZATION["slug"], where="seed")
    validation.enum_value(SubscriptionTier, ORGANIZATION["tier"], "tier", where="seed")
    validation.slug(PROJECT["name"], "name", where="seed")
    validation.subdomain(PROJECT["subdomain"], where="seed")
    for page in PAGES:
        validation.page_slug(page["slug"], where=f"seed, project {PROJECT['name']}")
    _check_blocks()


def _check_blocks() -> None:
    """Every block's props against the component library, like the block services do."""
    from bgpub.render import block_where, validate_props
    from bgpub.services.library import current_library

    library = current_library()
    for page in PAGES:
        for n, block in enumerate(page["blocks"]):
            where = block_where(PROJECT["name"], page["slug"], n, block["component"])
            validate_props(library, block["component"], block["props"], where, assets=())


def _ensure(report: SeedReport, model: type[_Row], defaults: dict[str, Any], **key: Any) -> _Row:
    """The row with this natural key, created with `defaults` when missing."""
    row: _Row
    row, made = model.get_or_create(**key, defaults=defaults)  # type: ignore[no-untyped-call]  # peewee stubs: untyped
    if made:
        report.add(model._meta.table_name)
    return row


def seed_demo(workspace: Path | None = None) -> SeedReport:
    """Creates whatever part of the demo data is missing: the rows in one transaction, then page views,
    a publish into `workspace`'s default folder target (skipped without a workspace) and a webhook."""
    from bgpub.db.models import MODELS
    from bgpub.services.seed_content import add_demo_activity

    _check_all()
    report = SeedReport()
    before = {m._meta.table_name: m.select().count() for m in MODELS}
    try:
        _create_missing(report)
        owner = User.get(User.email == OWNER_EMAIL)
        org = Organization.get(Organization.slug == ORGANIZATION["slug"])
        project = Project.get((Project.organization == org) & (Project.name == PROJECT["name"]))
        add_demo_activity(owner, org, project, workspace)
    except IntegrityError as exc:  # e.g. the subdomain is taken by another organization's project
        detail = (str(exc).strip().splitlines() or ["duplicate value"])[0]
        raise Conflict(
            f"the demo data collides with existing rows ({detail}); nothing was written",
            where="seed",
        ) from exc
    after = {m._meta.table_name: m.select().count() for m in MODELS}
    report.created = {t: after[t] - before[t] for t in after if after[t] > before[t]}
    return report


def _create_missing(report: SeedReport) -> SeedReport:
    with database.atomic():
        users = {
            email: _ensure(report, User, {"name": name}, email=email) for email, name, _ in MEMBERS
        }
        owner = users[OWNER_EMAIL]
        org = _ensure(
            report,
            Organization,
            {
                "name": ORGANIZATION["name"],
                "tier": SubscriptionTier(ORGANIZATION["tier"]),
                "subscription_status": SubscriptionStatus.ACTIVE,
            },
            slug=ORGANIZATION["slug"],
        )
        for email, _, role in MEMBERS:
            _ensure(
                report,
                OrganizationMember,
                {"role": Role(role)},
                organization=org,
                user=users[email],
            )
        project = _ensure(
            report,
            Project,
            {
                **{k: v for k, v in PROJECT.items() if k != "name"},
                "created_by": owner,
                "status": ProjectStatus.DRAFT,
            },
            organization=org,
            name=PROJECT["name"],
        )
        for position, spec in enumerate(PAGES):
            _ensure(
                report,
                Page,
                {
                    "title": spec["title"],
                    "seo_description": spec.get("seo_description", ""),
                    "position": position,
                    "is_home": position == 0,
                    "blocks": spec["blocks"],
                    "updated_by": owner,
                },
                project=project,
                slug=spec["slug"],
            )
        from bgpub.services.seed_content import add_demo_content

        add_demo_content(owner, org, project)
        if report.changed:
            audit.record(owner, org, "db.seed", "organization", org.id, {"created": report.created})
    return report
