"""What was published: versions, deploy targets, deployments and the content-addressed blob store."""

from __future__ import annotations

from peewee import (
    BigIntegerField,
    BlobField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from bgpub.db.enums import DeploymentStatus, TargetKind
from bgpub.db.fields import CheckedEnumField, JSONField, utcnow
from bgpub.db.models.base import BaseModel, TimestampedModel
from bgpub.db.models.core import Project, User


class Blob(BaseModel):
    """Bytes stored once by sha256, shared by assets and published files across versions and projects."""

    id = CharField(max_length=64, primary_key=True)  # sha256 hex of data
    size = BigIntegerField()
    data = BlobField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "blobs"


class Version(BaseModel):
    """One publish: the snapshot that went live and the manifest {path: [sha256, size]} of its files."""

    project_id: str
    project = ForeignKeyField(Project, backref="versions", on_delete="CASCADE", index=True)
    number = IntegerField()
    author_id: str | None
    author = ForeignKeyField(User, backref="versions", null=True, on_delete="SET NULL", index=True)
    message = TextField(default="")
    snapshot = JSONField()
    manifest = JSONField()
    page_count = IntegerField(default=0)
    file_count = IntegerField(default=0)
    total_bytes = BigIntegerField(default=0)
    created_at = DateTimeField(default=utcnow, index=True)
    base_url = CharField(
        max_length=2000, default=""
    )  # the public URL it was rendered for ('' if none)

    class Meta:
        table_name = "versions"
        indexes = ((("project", "number"), True),)


class DeployTarget(TimestampedModel):
    """Where a project's versions go: a folder, a git branch or remote, rsync, an S3 bucket, an rclone remote."""

    project_id: str
    project = ForeignKeyField(Project, backref="targets", on_delete="CASCADE", index=True)
    name = CharField(max_length=63)
    kind = CheckedEnumField(TargetKind, max_length=16)
    config = JSONField(default=dict)

    class Meta:
        table_name = "deploy_targets"
        indexes = ((("project", "name"), True),)


class Deployment(BaseModel):
    """One deploy of a version to a target, with its outcome; rollbacks are deployments too."""

    project_id: str
    project = ForeignKeyField(Project, backref="deployments", on_delete="CASCADE", index=True)
    version_id: str
    version = ForeignKeyField(Version, backref="deployments", on_delete="CASCADE", index=True)
    target_id: str | None
    target = ForeignKeyField(
        DeployTarget, backref="deployments", null=True, on_delete="SET NULL", index=True
    )
    target_name = CharField(max_length=63)
    actor_id: str | None
    actor = ForeignKeyField(
        User, backref="deployments", null=True, on_delete="SET NULL", index=True
    )
    status = CheckedEnumField(DeploymentStatus, default=DeploymentStatus.PENDING, max_length=16)
    started_at = DateTimeField(default=utcnow)
    finished_at = DateTimeField(null=True)
    files_sent = IntegerField(default=0)
    bytes_sent = BigIntegerField(default=0)
    error = TextField(null=True)
    is_rollback = BooleanField(default=False)
    remote_ref = CharField(
        max_length=64, null=True
    )  # what the next deploy must find there (a pushed commit)

    class Meta:
        table_name = "deployments"
