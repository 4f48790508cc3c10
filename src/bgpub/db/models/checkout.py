"""What the shop's checkout keeps beside the orders: Stripe events already handled, and the publishes
a sell-out asked for."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from bgpub.db.fields import utcnow
from bgpub.db.models.base import BaseModel
from bgpub.db.models.core import Project


class StripeEvent(BaseModel):
    """A Stripe event id a project has handled: Stripe retries, so a second delivery changes nothing."""

    project_id: str
    project = ForeignKeyField(Project, backref="stripe_events", on_delete="CASCADE", index=True)
    event_id = CharField(max_length=255)
    type = CharField(max_length=100)
    outcome = CharField(max_length=32)
    received_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "stripe_events"
        indexes = ((("project", "event_id"), True),)


class PublishRequest(BaseModel):
    """A publish asked for by a product selling out (the project's `publish_on_sellout` setting);
    `bgpub order publish-due` carries it out and records the version or the error."""

    project_id: str
    project = ForeignKeyField(Project, backref="publish_requests", on_delete="CASCADE", index=True)
    reason = TextField(default="")
    requested_at = DateTimeField(default=utcnow)
    done_at = DateTimeField(null=True)
    version = IntegerField(null=True)
    error = TextField(default="")

    class Meta:
        table_name = "publish_requests"
