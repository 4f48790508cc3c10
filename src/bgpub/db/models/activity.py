"""What happens around a site: integrations, API keys, webhooks, form entries, page views and the audit log."""

from __future__ import annotations

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from bgpub.db.enums import IntegrationType
from bgpub.db.fields import CheckedEnumField, JSONField, TextArrayField, utcnow
from bgpub.db.models.base import BaseModel, TimestampedModel
from bgpub.db.models.core import Organization, Page, Project, User


class Integration(TimestampedModel):
    """A third-party service; `config_encrypted` is a Fernet token, never plain text."""

    project_id: str
    project = ForeignKeyField(Project, backref="integrations", on_delete="CASCADE", index=True)
    type = CheckedEnumField(IntegrationType, max_length=32)
    name = CharField(max_length=100)
    config_encrypted = TextField(default="")
    enabled = BooleanField(default=True)

    class Meta:
        table_name = "integrations"
        indexes = ((("project", "name"), True),)


class ApiKey(TimestampedModel):
    """An API key: only a prefix (to find it) and an Argon2 hash (to check it) are stored."""

    organization_id: str
    organization = ForeignKeyField(
        Organization, backref="api_keys", on_delete="CASCADE", index=True
    )
    created_by_id: str | None
    created_by = ForeignKeyField(
        User, backref="api_keys", null=True, on_delete="SET NULL", index=True
    )
    name = CharField(max_length=100)
    prefix = CharField(max_length=16, unique=True)
    key_hash = CharField(max_length=255)
    permissions = TextArrayField(default=list)  # read, write, delete
    project_id: str | None
    project = ForeignKeyField(
        Project, backref="api_keys", null=True, on_delete="CASCADE", index=True
    )  # only this project (0012)
    last_used_at = DateTimeField(null=True)
    expires_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)

    class Meta:
        table_name = "api_keys"


class Webhook(TimestampedModel):
    """A URL told about publishes; `secret_encrypted` seals the URL and signing secret, `url` is masked."""

    project_id: str
    project = ForeignKeyField(Project, backref="webhooks", on_delete="CASCADE", index=True)
    url = CharField(max_length=2000)
    events = TextArrayField(default=list)
    secret_encrypted = TextField(default="")
    active = BooleanField(default=True)
    allow_private = BooleanField(default=False)  # may resolve to loopback/private addresses (0010)

    class Meta:
        table_name = "webhooks"


class WebhookDelivery(BaseModel):
    webhook_id: str
    webhook = ForeignKeyField(Webhook, backref="deliveries", on_delete="CASCADE", index=True)
    event = CharField(max_length=63)
    status_code = IntegerField(null=True)
    error = TextField(null=True)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "webhook_deliveries"


class FormSubmission(BaseModel):
    project_id: str
    project = ForeignKeyField(Project, backref="form_submissions", on_delete="CASCADE", index=True)
    page_id: str | None
    page = ForeignKeyField(
        Page, backref="form_submissions", null=True, on_delete="SET NULL", index=True
    )
    form_name = CharField(max_length=100)
    data = JSONField(default=dict)
    created_at = DateTimeField(default=utcnow, index=True)
    handled_at = DateTimeField(null=True)  # marked handled by a person (0012)

    class Meta:
        table_name = "form_submissions"


class PageView(BaseModel):
    project_id: str
    project = ForeignKeyField(Project, backref="page_views", on_delete="CASCADE", index=True)
    path = CharField(max_length=2000)
    referrer = CharField(max_length=2000, null=True)
    country = CharField(max_length=2, null=True)
    session_id = CharField(max_length=64, null=True)  # the day's visitor hash, never an address
    utm_source = CharField(max_length=100, null=True)  # (0012)
    device = CharField(max_length=16, null=True)  # desktop, mobile or tablet (0012)
    timestamp = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "page_views"
        indexes = ((("project", "timestamp"), False),)  # views of a project over time (0002)


class AuditLog(BaseModel):
    """Who did what; kept when the actor is deleted (actor set null, label anonymised)."""

    organization_id: str | None
    organization = ForeignKeyField(
        Organization, backref="audit_logs", null=True, on_delete="SET NULL", index=True
    )
    actor_id: str | None
    actor = ForeignKeyField(User, backref="audit_logs", null=True, on_delete="SET NULL", index=True)
    actor_label = CharField(max_length=254, default="")
    action = CharField(max_length=63)
    target_type = CharField(max_length=63, default="")
    target_id = CharField(max_length=64, default="")
    summary = JSONField(default=dict)
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        table_name = "audit_logs"
