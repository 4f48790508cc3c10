"""Tenancy and site structure: users, organizations, members, projects and pages."""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
    fn,
)

from bgpub.db.enums import ProjectStatus, Role, SubscriptionStatus, SubscriptionTier
from bgpub.db.fields import CheckedEnumField, JSONField
from bgpub.db.models.base import TimestampedModel


class User(TimestampedModel):
    """A person; emails are unique case-insensitively (a lower(email) index backs the Python check)."""

    email = CharField(max_length=254)
    name = CharField(max_length=200, default="")
    avatar_url = CharField(max_length=2000, null=True)
    db_role = CharField(max_length=63, null=True)  # PostgreSQL login created by `bgpub db grant`
    deleted_at = DateTimeField(null=True)  # set when personal data was anonymised

    class Meta:
        table_name = "users"


# A named expression index (not raw SQL), so playhouse.schema_diff pairs it with the database's.
User.add_index(User.index(fn.lower(User.email), unique=True, name="users_email_lower"))


class Organization(TimestampedModel):
    """A tenant: owns projects, assets and saved components, and carries the subscription."""

    name = CharField(max_length=200)
    slug = CharField(max_length=63, unique=True)
    tier = CheckedEnumField(SubscriptionTier, default=SubscriptionTier.FREE, max_length=16)
    subscription_status = CheckedEnumField(
        SubscriptionStatus, default=SubscriptionStatus.ACTIVE, max_length=16
    )
    is_personal = BooleanField(default=False)

    class Meta:
        table_name = "organizations"


class OrganizationMember(TimestampedModel):
    organization_id: str
    organization = ForeignKeyField(Organization, backref="members", on_delete="CASCADE", index=True)
    user_id: str
    user = ForeignKeyField(User, backref="memberships", on_delete="CASCADE", index=True)
    role = CheckedEnumField(Role, default=Role.VIEWER, max_length=16)

    class Meta:
        table_name = "organization_members"
        indexes = ((("organization", "user"), True),)


class Project(TimestampedModel):
    """A website: its theme, domain settings and publication state."""

    organization_id: str
    organization = ForeignKeyField(
        Organization, backref="projects", on_delete="CASCADE", index=True
    )
    created_by_id: str | None
    created_by = ForeignKeyField(
        User, backref="created_projects", null=True, on_delete="SET NULL", index=True
    )
    name = CharField(max_length=100)  # the handle used on the command line, unique per organization
    title = CharField(max_length=200, default="")
    description = TextField(default="")
    language = CharField(max_length=16, default="en")
    theme = CharField(max_length=63, default="aurora")
    theme_overrides = JSONField(default=dict)
    settings = JSONField(
        default=dict
    )  # base_url, seo image, footer text and other site-wide options
    subdomain = CharField(max_length=63, unique=True, null=True)
    custom_domain = CharField(max_length=253, unique=True, null=True)
    status = CheckedEnumField(ProjectStatus, default=ProjectStatus.DRAFT, max_length=16)
    published_at = DateTimeField(null=True)
    revision = IntegerField(
        default=0
    )  # bumped by every content change; the preview polls it on SQLite

    class Meta:
        table_name = "projects"
        indexes = ((("organization", "name"), True),)


class Page(TimestampedModel):
    """A page: SEO fields, its place in the navigation and its ordered component instances (blocks)."""

    project_id: str
    project = ForeignKeyField(Project, backref="pages", on_delete="CASCADE", index=True)
    slug = CharField(max_length=200)
    title = CharField(max_length=200)
    seo_title = CharField(max_length=200, default="")
    seo_description = TextField(default="")
    position = IntegerField(default=0)
    show_in_nav = BooleanField(default=True)
    is_home = BooleanField(default=False)
    noindex = BooleanField(default=False)  # asks search engines to skip the page (0002)
    show_header = BooleanField(default=True)  # shows the project's shared header section (0021)
    show_footer = BooleanField(default=True)  # shows the project's shared footer section (0021)
    social_image = CharField(
        max_length=200, default=""
    )  # asset name of its share image, '' for none (0018)
    canonical_url = CharField(
        max_length=2000, default=""
    )  # the address credited for the page (rel=canonical), '' for its own (0020)
    blocks = JSONField(default=list)  # [{"component": key, "props": {...}}, ...] in page order
    revision = IntegerField(
        default=1
    )  # optimistic concurrency: a save names the revision it edited
    updated_by_id: str | None
    updated_by = ForeignKeyField(
        User, backref="edited_pages", null=True, on_delete="SET NULL", index=True
    )

    class Meta:
        table_name = "pages"
        # The second serves the site's order, and covers what a running preview or editor reads of
        # every page to see which changed (`services.snapshots`): that check reads no row (0022)
        indexes = (
            (("project", "slug"), True),
            (("project", "position", "slug", "id", "revision", "updated_at", "is_home"), False),
        )
