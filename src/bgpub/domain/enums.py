"""The closed sets of values the data model uses: shared by every layer; `db` enforces them with CHECK constraints."""

from enum import StrEnum


class Role(StrEnum):
    OWNER = "OWNER"
    ADMIN = "ADMIN"
    EDITOR = "EDITOR"
    VIEWER = "VIEWER"


class SubscriptionTier(StrEnum):
    FREE = "FREE"
    STARTER = "STARTER"
    PRO = "PRO"
    ENTERPRISE = "ENTERPRISE"


class SubscriptionStatus(StrEnum):
    ACTIVE = "ACTIVE"
    CANCELED = "CANCELED"
    PAST_DUE = "PAST_DUE"
    TRIALING = "TRIALING"


class ProjectStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class ComponentType(StrEnum):
    LAYOUT = "LAYOUT"
    CONTENT = "CONTENT"
    MEDIA = "MEDIA"
    FORM = "FORM"
    NAVIGATION = "NAVIGATION"
    BLOG = "BLOG"
    COMMERCE = "COMMERCE"
    SOCIAL = "SOCIAL"


class AssetType(StrEnum):
    IMAGE = "IMAGE"
    VIDEO = "VIDEO"
    DOCUMENT = "DOCUMENT"
    FONT = "FONT"
    ICON = "ICON"


class IntegrationType(StrEnum):
    STRIPE = "STRIPE"
    GOOGLE_ANALYTICS = "GOOGLE_ANALYTICS"
    PLAUSIBLE = "PLAUSIBLE"
    MAILCHIMP = "MAILCHIMP"
    ZAPIER = "ZAPIER"
    CUSTOM = "CUSTOM"


class OrderStatus(StrEnum):
    PENDING = "PENDING"
    PAID = "PAID"
    FULFILLED = "FULFILLED"
    CANCELED = "CANCELED"
    REFUNDED = "REFUNDED"


class PostStatus(StrEnum):
    DRAFT = "DRAFT"
    SCHEDULED = "SCHEDULED"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class CommentStatus(StrEnum):
    PENDING = "PENDING"
    APPROVED = "APPROVED"
    SPAM = "SPAM"


class ProductStatus(StrEnum):
    DRAFT = "DRAFT"  # being written: never published
    ACTIVE = "ACTIVE"  # on sale: a product page, in grids and collections
    ARCHIVED = "ARCHIVED"  # no longer sold, kept for the orders that name it


class DeploymentStatus(StrEnum):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class TargetKind(StrEnum):
    DIR = "dir"
    GIT = "git"
    RSYNC = "rsync"
    S3 = "s3"
    RCLONE = "rclone"
