"""The initial schema: 28 tables with their keys, deletion rules, CHECK constraints and indexes.

Frozen copies of the models as they were at 0001: nothing here imports bgpub, so later model
changes never alter what this migration creates. Enum columns carry their allowed values as
literal CHECK lists; a new enum member needs a new migration.
"""

import json

from peewee import *


def _column_types(db):
    """JSON is JSONB on PostgreSQL and JSON text on SQLite; string arrays are TEXT[] on PostgreSQL."""
    pg = isinstance(getattr(db, "obj", db), PostgresqlDatabase)

    class JSONColumn(Field):
        def ddl_datatype(self, ctx):  # literal: immune to the database's field_types mapping
            return SQL("JSONB" if pg else "JSON")

        def db_value(self, value):
            return (
                None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))
            )

        def python_value(self, value):
            return json.loads(value) if isinstance(value, (str, bytes)) else value

    class TextArrayColumn(JSONColumn):
        def ddl_datatype(self, ctx):
            return SQL("TEXT[]" if pg else "JSON")

        def db_value(self, value):
            return list(value) if pg and value is not None else super().db_value(value)

    return JSONColumn, TextArrayColumn


def one_of(column, *values):
    """The CHECK constraint of an enum column (same text as bgpub.db.fields.CheckedEnumField)."""
    return [Check('"%s" IN (%s)' % (column, ", ".join("'%s'" % v for v in values)))]


def check(sql):
    return [Check(sql)]


COMPONENT_TYPES = ("LAYOUT", "CONTENT", "MEDIA", "FORM", "NAVIGATION", "BLOG", "COMMERCE", "SOCIAL")
INTEGRATION_TYPES = ("STRIPE", "GOOGLE_ANALYTICS", "PLAUSIBLE", "MAILCHIMP", "ZAPIER", "CUSTOM")


def frozen_models(db):
    """The 0001 tables in dependency order."""
    JSONColumn, TextArrayColumn = _column_types(db)

    class Base(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            legacy_table_names = False  # index names follow table_name, as in the models

    class Stamped(Base):
        created_at = DateTimeField()
        updated_at = DateTimeField()

    class User(Stamped):
        email = CharField(max_length=254)
        name = CharField(max_length=200)
        avatar_url = CharField(max_length=2000, null=True)
        db_role = CharField(max_length=63, null=True)
        deleted_at = DateTimeField(null=True)

        class Meta:
            table_name = "users"

    User.add_index(User.index(fn.lower(User.email), unique=True, name="users_email_lower"))

    class Organization(Stamped):
        name = CharField(max_length=200)
        slug = CharField(max_length=63, unique=True)
        tier = CharField(
            max_length=16, constraints=one_of("tier", "FREE", "STARTER", "PRO", "ENTERPRISE")
        )
        subscription_status = CharField(
            max_length=16,
            constraints=one_of("subscription_status", "ACTIVE", "CANCELED", "PAST_DUE", "TRIALING"),
        )
        is_personal = BooleanField()

        class Meta:
            table_name = "organizations"

    class OrganizationMember(Stamped):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        user = ForeignKeyField(User, on_delete="CASCADE")
        role = CharField(
            max_length=16, constraints=one_of("role", "OWNER", "ADMIN", "EDITOR", "VIEWER")
        )

        class Meta:
            table_name = "organization_members"
            indexes = ((("organization", "user"), True),)

    class Project(Stamped):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        name = CharField(max_length=100)
        title = CharField(max_length=200)
        description = TextField()
        language = CharField(max_length=16)
        theme = CharField(max_length=63)
        theme_overrides = JSONColumn()
        settings = JSONColumn()
        subdomain = CharField(max_length=63, unique=True, null=True)
        custom_domain = CharField(max_length=253, unique=True, null=True)
        status = CharField(
            max_length=16, constraints=one_of("status", "DRAFT", "PUBLISHED", "ARCHIVED")
        )
        published_at = DateTimeField(null=True)
        revision = IntegerField()

        class Meta:
            table_name = "projects"
            indexes = ((("organization", "name"), True),)

    class Page(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        slug = CharField(max_length=200)
        title = CharField(max_length=200)
        seo_title = CharField(max_length=200)
        seo_description = TextField()
        position = IntegerField()
        show_in_nav = BooleanField()
        is_home = BooleanField()
        blocks = JSONColumn()
        revision = IntegerField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL")

        class Meta:
            table_name = "pages"
            indexes = ((("project", "slug"), True), (("project", "position"), False))

    class ComponentLibrary(Stamped):
        key = CharField(max_length=63, unique=True)
        name = CharField(max_length=100)
        type = CharField(max_length=16, constraints=one_of("type", *COMPONENT_TYPES))
        description = TextField()
        schema = JSONColumn()
        checksum = CharField(max_length=64)

        class Meta:
            table_name = "component_library"

    class Component(Stamped):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        library = ForeignKeyField(ComponentLibrary, on_delete="RESTRICT")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        key = CharField(max_length=63)
        name = CharField(max_length=100)
        description = TextField()
        defaults = JSONColumn()

        class Meta:
            table_name = "components"
            indexes = ((("organization", "key"), True),)

    class Asset(Stamped):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        project = ForeignKeyField(Project, on_delete="CASCADE")
        uploaded_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        name = CharField(max_length=200)
        type = CharField(
            max_length=16, constraints=one_of("type", "IMAGE", "VIDEO", "DOCUMENT", "FONT", "ICON")
        )
        mime = CharField(max_length=100)
        size = IntegerField()
        hash = CharField(max_length=64, index=True)
        alt = TextField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)

        class Meta:
            table_name = "assets"
            indexes = ((("project", "name"), True),)

    class Version(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        number = IntegerField()
        author = ForeignKeyField(User, null=True, on_delete="SET NULL")
        message = TextField()
        snapshot = JSONColumn()
        manifest = JSONColumn()
        page_count = IntegerField()
        file_count = IntegerField()
        total_bytes = BigIntegerField()
        created_at = DateTimeField(index=True)

        class Meta:
            table_name = "versions"
            indexes = ((("project", "number"), True),)

    class Integration(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        type = CharField(max_length=32, constraints=one_of("type", *INTEGRATION_TYPES))
        name = CharField(max_length=100)
        config_encrypted = TextField()
        enabled = BooleanField()

        class Meta:
            table_name = "integrations"
            indexes = ((("project", "name"), True),)

    class ApiKey(Stamped):
        organization = ForeignKeyField(Organization, on_delete="CASCADE")
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
        name = CharField(max_length=100)
        prefix = CharField(max_length=16, unique=True)
        key_hash = CharField(max_length=255)
        permissions = TextArrayColumn()
        last_used_at = DateTimeField(null=True)
        expires_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            table_name = "api_keys"

    class Product(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        name = CharField(max_length=200)
        slug = CharField(max_length=200)
        description = TextField()
        price_cents = IntegerField(constraints=check('"price_cents" >= 0'))
        currency = CharField(max_length=3)
        images = TextArrayColumn()
        active = BooleanField()

        class Meta:
            table_name = "products"
            indexes = ((("project", "slug"), True),)

    class ProductVariant(Stamped):
        product = ForeignKeyField(Product, on_delete="CASCADE")
        name = CharField(max_length=200)
        sku = CharField(max_length=64, null=True)
        price_cents = IntegerField(null=True, constraints=check('"price_cents" >= 0'))
        stock = IntegerField()
        options = JSONColumn()

        class Meta:
            table_name = "product_variants"
            indexes = ((("product", "sku"), True),)

    class Order(Stamped):
        project = ForeignKeyField(Project, on_delete="RESTRICT")
        number = IntegerField()
        customer_email = CharField(max_length=254)
        customer_name = CharField(max_length=200)
        status = CharField(
            max_length=16,
            constraints=one_of("status", "PENDING", "PAID", "FULFILLED", "CANCELED", "REFUNDED"),
        )
        total_cents = IntegerField(constraints=check('"total_cents" >= 0'))
        currency = CharField(max_length=3)

        class Meta:
            table_name = "orders"
            indexes = ((("project", "number"), True),)

    class OrderItem(Stamped):
        order = ForeignKeyField(Order, on_delete="CASCADE")
        product = ForeignKeyField(Product, null=True, on_delete="SET NULL")
        variant = ForeignKeyField(ProductVariant, null=True, on_delete="SET NULL")
        name = CharField(max_length=200)
        quantity = IntegerField(constraints=check('"quantity" > 0'))
        unit_price_cents = IntegerField(constraints=check('"unit_price_cents" >= 0'))

        class Meta:
            table_name = "order_items"

    class BlogCategory(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        name = CharField(max_length=100)
        slug = CharField(max_length=100)

        class Meta:
            table_name = "blog_categories"
            indexes = ((("project", "slug"), True),)

    class BlogTag(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        name = CharField(max_length=100)
        slug = CharField(max_length=100)

        class Meta:
            table_name = "blog_tags"
            indexes = ((("project", "slug"), True),)

    class BlogPost(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        author = ForeignKeyField(User, null=True, on_delete="SET NULL")
        category = ForeignKeyField(BlogCategory, null=True, on_delete="SET NULL")
        title = CharField(max_length=200)
        slug = CharField(max_length=200)
        excerpt = TextField()
        body = TextField()
        cover_asset = CharField(max_length=200, null=True)
        keywords = TextArrayColumn()
        status = CharField(
            max_length=16,
            constraints=one_of("status", "DRAFT", "SCHEDULED", "PUBLISHED", "ARCHIVED"),
        )
        published_at = DateTimeField(null=True)

        class Meta:
            table_name = "blog_posts"
            indexes = ((("project", "slug"), True),)

    class BlogPostTag(Base):
        post = ForeignKeyField(BlogPost, on_delete="CASCADE")
        tag = ForeignKeyField(BlogTag, on_delete="CASCADE")

        class Meta:
            table_name = "blog_post_tags"
            indexes = ((("post", "tag"), True),)

    class BlogComment(Stamped):
        post = ForeignKeyField(BlogPost, on_delete="CASCADE")
        author_name = CharField(max_length=100)
        author_email = CharField(max_length=254, null=True)
        body = TextField()
        status = CharField(
            max_length=16, constraints=one_of("status", "PENDING", "APPROVED", "SPAM")
        )

        class Meta:
            table_name = "blog_comments"

    class FormSubmission(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        page = ForeignKeyField(Page, null=True, on_delete="SET NULL")
        form_name = CharField(max_length=100)
        data = JSONColumn()
        created_at = DateTimeField(index=True)

        class Meta:
            table_name = "form_submissions"

    class PageView(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        path = CharField(max_length=2000)
        referrer = CharField(max_length=2000, null=True)
        country = CharField(max_length=2, null=True)
        session_id = CharField(max_length=64, null=True)
        timestamp = DateTimeField(index=True)

        class Meta:
            table_name = "page_views"

    class Webhook(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        url = CharField(max_length=2000)
        events = TextArrayColumn()
        secret_encrypted = TextField()
        active = BooleanField()

        class Meta:
            table_name = "webhooks"

    class WebhookDelivery(Base):
        webhook = ForeignKeyField(Webhook, on_delete="CASCADE")
        event = CharField(max_length=63)
        status_code = IntegerField(null=True)
        error = TextField(null=True)
        created_at = DateTimeField()

        class Meta:
            table_name = "webhook_deliveries"

    class AuditLog(Base):
        organization = ForeignKeyField(Organization, null=True, on_delete="SET NULL")
        actor = ForeignKeyField(User, null=True, on_delete="SET NULL")
        actor_label = CharField(max_length=254)
        action = CharField(max_length=63)
        target_type = CharField(max_length=63)
        target_id = CharField(max_length=64)
        summary = JSONColumn()
        created_at = DateTimeField(index=True)

        class Meta:
            table_name = "audit_logs"

    class Blob(Model):
        id = CharField(max_length=64, primary_key=True)
        size = BigIntegerField()
        data = BlobField()
        created_at = DateTimeField()

        class Meta:
            database = db
            legacy_table_names = False
            table_name = "blobs"

    class DeployTarget(Stamped):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        name = CharField(max_length=63)
        kind = CharField(max_length=16, constraints=one_of("kind", "dir", "git", "rsync"))
        config = JSONColumn()

        class Meta:
            table_name = "deploy_targets"
            indexes = ((("project", "name"), True),)

    class Deployment(Base):
        project = ForeignKeyField(Project, on_delete="CASCADE")
        version = ForeignKeyField(Version, on_delete="CASCADE")
        target = ForeignKeyField(DeployTarget, null=True, on_delete="SET NULL")
        target_name = CharField(max_length=63)
        actor = ForeignKeyField(User, null=True, on_delete="SET NULL")
        status = CharField(
            max_length=16, constraints=one_of("status", "PENDING", "RUNNING", "SUCCEEDED", "FAILED")
        )
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        files_sent = IntegerField()
        bytes_sent = BigIntegerField()
        error = TextField(null=True)
        is_rollback = BooleanField()

        class Meta:
            table_name = "deployments"

    return [
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
    ]


def up(migrator, db):
    db.create_tables(frozen_models(db), safe=False)


def down(migrator, db):
    for model in reversed(frozen_models(db)):
        migrator.migrate(migrator.drop_table(model._meta.table_name))
