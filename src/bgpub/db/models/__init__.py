"""Every table of bgpub. `MODELS` is in dependency order, the order migrations create them.

Each foreign key's column accessor that peewee adds at run time is declared beside it
(`project_id: str` before `project = ForeignKeyField(...)`) so type checkers know it."""

from bgpub.db.models.activity import (
    ApiKey,
    AuditLog,
    FormSubmission,
    Integration,
    PageView,
    Webhook,
    WebhookDelivery,
)
from bgpub.db.models.base import BaseModel
from bgpub.db.models.blog import BlogCategory, BlogComment, BlogPost, BlogPostTag, BlogTag
from bgpub.db.models.checkout import PublishRequest, StripeEvent
from bgpub.db.models.collector import CollectorKey, CollectorRateCount, VisitorSalt
from bgpub.db.models.core import Organization, OrganizationMember, Page, Project, User
from bgpub.db.models.history import Blob, Deployment, DeployTarget, Version
from bgpub.db.models.keyring import SecretKeyFingerprint
from bgpub.db.models.library import Asset, Component, ComponentLibrary
from bgpub.db.models.page_changes import PageChange
from bgpub.db.models.renditions import ImageRendition
from bgpub.db.models.sections import SharedSection
from bgpub.db.models.shop import Order, OrderItem, Product, ProductVariant
from bgpub.db.models.templates import PageTemplate

MODELS: list[type[BaseModel]] = [
    User,
    Organization,
    OrganizationMember,
    Project,
    Page,
    ComponentLibrary,
    Component,
    Asset,
    Version,
    Integration,
    ApiKey,
    Product,
    ProductVariant,
    Order,
    OrderItem,
    BlogCategory,
    BlogTag,
    BlogPost,
    BlogPostTag,
    BlogComment,
    FormSubmission,
    PageView,
    Webhook,
    WebhookDelivery,
    AuditLog,
    Blob,
    DeployTarget,
    Deployment,
    SecretKeyFingerprint,
    ImageRendition,
    VisitorSalt,
    CollectorKey,
    CollectorRateCount,
    StripeEvent,
    PublishRequest,
    SharedSection,
    PageTemplate,
    PageChange,
]

# Listed by name, not computed from MODELS, so type checkers see every model class.
__all__ = [
    "User",
    "Organization",
    "OrganizationMember",
    "Project",
    "Page",
    "ComponentLibrary",
    "Component",
    "Asset",
    "Version",
    "Integration",
    "ApiKey",
    "Product",
    "ProductVariant",
    "Order",
    "OrderItem",
    "BlogCategory",
    "BlogTag",
    "BlogPost",
    "BlogPostTag",
    "BlogComment",
    "FormSubmission",
    "PageView",
    "Webhook",
    "WebhookDelivery",
    "AuditLog",
    "Blob",
    "DeployTarget",
    "Deployment",
    "SecretKeyFingerprint",
    "ImageRendition",
    "VisitorSalt",
    "CollectorKey",
    "CollectorRateCount",
    "StripeEvent",
    "PublishRequest",
    "SharedSection",
    "PageTemplate",
    "PageChange",
    "BaseModel",
    "MODELS",
]
