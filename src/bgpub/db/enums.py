"""The enums the models store: the domain's closed sets, mapped to CHECK constraints by `db.fields`."""

from bgpub.domain.enums import (
    AssetType,
    CommentStatus,
    ComponentType,
    DeploymentStatus,
    IntegrationType,
    OrderStatus,
    PostStatus,
    ProductStatus,
    ProjectStatus,
    Role,
    SubscriptionStatus,
    SubscriptionTier,
    TargetKind,
)

__all__ = [
    "AssetType",
    "CommentStatus",
    "ComponentType",
    "DeploymentStatus",
    "IntegrationType",
    "OrderStatus",
    "PostStatus",
    "ProductStatus",
    "ProjectStatus",
    "Role",
    "SubscriptionStatus",
    "SubscriptionTier",
    "TargetKind",
]
