"""Building blocks: the pre-built component library, organizations' saved components, and assets."""

from __future__ import annotations

from peewee import CharField, FloatField, ForeignKeyField, IntegerField, TextField

from bgpub.db.enums import AssetType, ComponentType
from bgpub.db.fields import CheckedEnumField, JSONField
from bgpub.db.models.base import TimestampedModel
from bgpub.db.models.core import Organization, Project, User


class ComponentLibrary(TimestampedModel):
    """One pre-built component as synced from components/: manifest, prop schema and template checksum."""

    key = CharField(max_length=63, unique=True)
    name = CharField(max_length=100)
    type = CheckedEnumField(ComponentType, max_length=16)
    description = TextField(default="")
    schema = JSONField(default=dict)
    checksum = CharField(max_length=64)  # of manifest and template, so `library sync` sees changes

    class Meta:
        table_name = "component_library"


class Component(TimestampedModel):
    """An organization's customised component: a library entry with its own defaults, usable like one."""

    organization_id: str
    organization = ForeignKeyField(
        Organization, backref="components", on_delete="CASCADE", index=True
    )
    library_id: str
    library = ForeignKeyField(
        ComponentLibrary, backref="customisations", on_delete="RESTRICT", index=True
    )
    created_by_id: str | None
    created_by = ForeignKeyField(
        User, backref="saved_components", null=True, on_delete="SET NULL", index=True
    )
    key = CharField(max_length=63)
    name = CharField(max_length=100)
    description = TextField(default="")
    defaults = JSONField(default=dict)

    class Meta:
        table_name = "components"
        indexes = ((("organization", "key"), True),)


class Asset(TimestampedModel):
    """A file used by a project; its bytes live in the content-addressed blob store under `hash`."""

    organization_id: str
    organization = ForeignKeyField(Organization, backref="assets", on_delete="CASCADE", index=True)
    project_id: str
    project = ForeignKeyField(Project, backref="assets", on_delete="CASCADE", index=True)
    uploaded_by_id: str | None
    uploaded_by = ForeignKeyField(
        User, backref="uploaded_assets", null=True, on_delete="SET NULL", index=True
    )
    name = CharField(max_length=200)  # file name, unique per project; props refer to assets by it
    type = CheckedEnumField(AssetType, max_length=16)
    mime = CharField(max_length=100)
    size = IntegerField()
    hash = CharField(max_length=64, index=True)  # sha256 hex of the bytes
    alt = TextField(default="")
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    focus_x = FloatField(
        null=True
    )  # focal point crops centre on, 0..1 from the left; null: the middle
    focus_y = FloatField(null=True)  # 0..1 from the top

    class Meta:
        table_name = "assets"
        indexes = ((("project", "name"), True),)
