# Generated from a schema diff on 2026-11-26 09:51.
from peewee import *

from bgpub.db.fields import CuidField, JSONField, TextArrayField


def up(migrator, db):
    class Organization(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        name = CharField(max_length=200)
        slug = CharField(unique=True, max_length=63)
        tier = CharField(max_length=16, default='FREE')
        subscription_status = CharField(max_length=16, default='ACTIVE')
        is_personal = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'organizations'
    db.create_tables([Organization])

    class User(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        email = CharField(max_length=254)
        name = CharField(max_length=200, default='')
        avatar_url = CharField(null=True, max_length=2000)
        db_role = CharField(null=True, max_length=63)
        deleted_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'users'
    db.create_tables([User])

    class ApiKey(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        name = CharField(max_length=100)
        prefix = CharField(unique=True, max_length=16)
        key_hash = CharField()
        permissions = TextArrayField(default=list)
        last_used_at = DateTimeField(null=True)
        expires_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'api_keys'
    db.create_tables([ApiKey])

    class Project(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        name = CharField(max_length=100)
        title = CharField(max_length=200, default='')
        description = TextField(default='')
        language = CharField(max_length=16, default='en')
        theme = CharField(max_length=63, default='aurora')
        theme_overrides = JSONField(default=dict)
        settings = JSONField(default=dict)
        subdomain = CharField(unique=True, null=True, max_length=63)
        custom_domain = CharField(unique=True, null=True, max_length=253)
        status = CharField(max_length=16, default='DRAFT')
        published_at = DateTimeField(null=True)
        revision = IntegerField(default=0)
        class Meta:
            database = db
            table_name = 'projects'
            indexes = ((('organization', 'name'), True),)
    db.create_tables([Project])

    class Asset(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        project = ForeignKeyField(Project, on_delete='CASCADE')
        uploaded_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        name = CharField(max_length=200)
        type = CharField(max_length=16)
        mime = CharField(max_length=100)
        size = IntegerField()
        hash = CharField(index=True, max_length=64)
        alt = TextField(default='')
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        class Meta:
            database = db
            table_name = 'assets'
            indexes = ((('project', 'name'), True),)
    db.create_tables([Asset])

    class AuditLog(Model):
        id = CuidField(primary_key=True, max_length=32)
        organization = ForeignKeyField(Organization, null=True, on_delete='SET NULL')
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        actor_label = CharField(max_length=254, default='')
        action = CharField(max_length=63)
        target_type = CharField(max_length=63, default='')
        target_id = CharField(max_length=64, default='')
        summary = JSONField(default=dict)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'audit_logs'
    db.create_tables([AuditLog])

    class Blob(Model):
        id = CharField(primary_key=True, max_length=64)
        size = BigIntegerField()
        data = BlobField()
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'blobs'
    db.create_tables([Blob])

    class BlogCategory(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        name = CharField(max_length=100)
        slug = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'blog_categories'
            indexes = ((('project', 'slug'), True),)
    db.create_tables([BlogCategory])

    class BlogPost(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        category = ForeignKeyField(BlogCategory, null=True, on_delete='SET NULL')
        title = CharField(max_length=200)
        slug = CharField(max_length=200)
        excerpt = TextField(default='')
        body = TextField(default='')
        cover_asset = CharField(null=True, max_length=200)
        keywords = TextArrayField(default=list)
        status = CharField(max_length=16, default='DRAFT')
        published_at = DateTimeField(null=True)
        class Meta:
            database = db
            table_name = 'blog_posts'
            indexes = ((('project', 'slug'), True),)
    db.create_tables([BlogPost])

    class BlogComment(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        post = ForeignKeyField(BlogPost, on_delete='CASCADE')
        author_name = CharField(max_length=100)
        author_email = CharField(null=True, max_length=254)
        body = TextField()
        status = CharField(max_length=16, default='PENDING')
        class Meta:
            database = db
            table_name = 'blog_comments'
    db.create_tables([BlogComment])

    class BlogTag(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        name = CharField(max_length=100)
        slug = CharField(max_length=100)
        class Meta:
            database = db
            table_name = 'blog_tags'
            indexes = ((('project', 'slug'), True),)
    db.create_tables([BlogTag])

    class BlogPostTag(Model):
        id = CuidField(primary_key=True, max_length=32)
        post = ForeignKeyField(BlogPost, on_delete='CASCADE')
        tag = ForeignKeyField(BlogTag, on_delete='CASCADE')
        class Meta:
            database = db
            table_name = 'blog_post_tags'
            indexes = ((('post', 'tag'), True),)
    db.create_tables([BlogPostTag])

    class ComponentLibrary(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        key = CharField(unique=True, max_length=63)
        name = CharField(max_length=100)
        type = CharField(max_length=16)
        description = TextField(default='')
        schema = JSONField(default=dict)
        checksum = CharField(max_length=64)
        class Meta:
            database = db
            table_name = 'component_library'
    db.create_tables([ComponentLibrary])

    class Component(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        library = ForeignKeyField(ComponentLibrary, on_delete='RESTRICT')
        created_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        key = CharField(max_length=63)
        name = CharField(max_length=100)
        description = TextField(default='')
        defaults = JSONField(default=dict)
        class Meta:
            database = db
            table_name = 'components'
            indexes = ((('organization', 'key'), True),)
    db.create_tables([Component])

    class Version(Model):
        id = CuidField(primary_key=True, max_length=32)
        project = ForeignKeyField(Project, on_delete='CASCADE')
        number = IntegerField()
        author = ForeignKeyField(User, null=True, on_delete='SET NULL')
        message = TextField(default='')
        snapshot = JSONField()
        manifest = JSONField()
        page_count = IntegerField(default=0)
        file_count = IntegerField(default=0)
        total_bytes = BigIntegerField(default=0)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'versions'
            indexes = ((('project', 'number'), True),)
    db.create_tables([Version])

    class DeployTarget(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        name = CharField(max_length=63)
        kind = CharField(max_length=16)
        config = JSONField(default=dict)
        class Meta:
            database = db
            table_name = 'deploy_targets'
            indexes = ((('project', 'name'), True),)
    db.create_tables([DeployTarget])

    class Deployment(Model):
        id = CuidField(primary_key=True, max_length=32)
        project = ForeignKeyField(Project, on_delete='CASCADE')
        version = ForeignKeyField(Version, on_delete='CASCADE')
        target = ForeignKeyField(DeployTarget, null=True, on_delete='SET NULL')
        target_name = CharField(max_length=63)
        actor = ForeignKeyField(User, null=True, on_delete='SET NULL')
        status = CharField(max_length=16, default='PENDING')
        started_at = DateTimeField()
        finished_at = DateTimeField(null=True)
        files_sent = IntegerField(default=0)
        bytes_sent = BigIntegerField(default=0)
        error = TextField(null=True)
        is_rollback = BooleanField(default=False)
        class Meta:
            database = db
            table_name = 'deployments'
    db.create_tables([Deployment])

    class Page(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        slug = CharField(max_length=200)
        title = CharField(max_length=200)
        seo_title = CharField(max_length=200, default='')
        seo_description = TextField(default='')
        position = IntegerField(default=0)
        show_in_nav = BooleanField(default=True)
        is_home = BooleanField(default=False)
        blocks = JSONField(default=list)
        revision = IntegerField(default=1)
        updated_by = ForeignKeyField(User, null=True, on_delete='SET NULL')
        class Meta:
            database = db
            table_name = 'pages'
            indexes = ((('project', 'slug'), True), (('project', 'position'), False))
    db.create_tables([Page])

    class FormSubmission(Model):
        id = CuidField(primary_key=True, max_length=32)
        project = ForeignKeyField(Project, on_delete='CASCADE')
        page = ForeignKeyField(Page, null=True, on_delete='SET NULL')
        form_name = CharField(max_length=100)
        data = JSONField(default=dict)
        created_at = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'form_submissions'
    db.create_tables([FormSubmission])

    class Integration(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        type = CharField(max_length=32)
        name = CharField(max_length=100)
        config_encrypted = TextField(default='')
        enabled = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'integrations'
            indexes = ((('project', 'name'), True),)
    db.create_tables([Integration])

    class Order(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='RESTRICT')
        number = IntegerField()
        customer_email = CharField(max_length=254)
        customer_name = CharField(max_length=200, default='')
        status = CharField(max_length=16, default='PENDING')
        total_cents = IntegerField()
        currency = CharField(max_length=3, default='EUR')
        class Meta:
            database = db
            table_name = 'orders'
            indexes = ((('project', 'number'), True),)
    db.create_tables([Order])

    class Product(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        name = CharField(max_length=200)
        slug = CharField(max_length=200)
        description = TextField(default='')
        price_cents = IntegerField()
        currency = CharField(max_length=3, default='EUR')
        images = TextArrayField(default=list)
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'products'
            indexes = ((('project', 'slug'), True),)
    db.create_tables([Product])

    class ProductVariant(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        product = ForeignKeyField(Product, on_delete='CASCADE')
        name = CharField(max_length=200)
        sku = CharField(null=True, max_length=64)
        price_cents = IntegerField(null=True)
        stock = IntegerField(default=0)
        options = JSONField(default=dict)
        class Meta:
            database = db
            table_name = 'product_variants'
            indexes = ((('product', 'sku'), True),)
    db.create_tables([ProductVariant])

    class OrderItem(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        order = ForeignKeyField(Order, on_delete='CASCADE')
        product = ForeignKeyField(Product, null=True, on_delete='SET NULL')
        variant = ForeignKeyField(ProductVariant, null=True, on_delete='SET NULL')
        name = CharField(max_length=200)
        quantity = IntegerField()
        unit_price_cents = IntegerField()
        class Meta:
            database = db
            table_name = 'order_items'
    db.create_tables([OrderItem])

    class OrganizationMember(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete='CASCADE')
        user = ForeignKeyField(User, on_delete='CASCADE')
        role = CharField(max_length=16, default='VIEWER')
        class Meta:
            database = db
            table_name = 'organization_members'
            indexes = ((('organization', 'user'), True),)
    db.create_tables([OrganizationMember])

    class PageView(Model):
        id = CuidField(primary_key=True, max_length=32)
        project = ForeignKeyField(Project, on_delete='CASCADE')
        path = CharField(max_length=2000)
        referrer = CharField(null=True, max_length=2000)
        country = CharField(null=True, max_length=2)
        session_id = CharField(null=True, max_length=64)
        timestamp = DateTimeField(index=True)
        class Meta:
            database = db
            table_name = 'page_views'
    db.create_tables([PageView])

    class Webhook(Model):
        id = CuidField(primary_key=True, max_length=32)
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete='CASCADE')
        url = CharField(max_length=2000)
        events = TextArrayField(default=list)
        secret_encrypted = TextField(default='')
        active = BooleanField(default=True)
        class Meta:
            database = db
            table_name = 'webhooks'
    db.create_tables([Webhook])

    class WebhookDelivery(Model):
        id = CuidField(primary_key=True, max_length=32)
        webhook = ForeignKeyField(Webhook, on_delete='CASCADE')
        event = CharField(max_length=63)
        status_code = IntegerField(null=True)
        error = TextField(null=True)
        created_at = DateTimeField()
        class Meta:
            database = db
            table_name = 'webhook_deliveries'
    db.create_tables([WebhookDelivery])


def down(migrator, db):
    migrator.migrate(migrator.drop_table('webhook_deliveries'))
    migrator.migrate(migrator.drop_table('webhooks'))
    migrator.migrate(migrator.drop_table('page_views'))
    migrator.migrate(migrator.drop_table('organization_members'))
    migrator.migrate(migrator.drop_table('order_items'))
    migrator.migrate(migrator.drop_table('product_variants'))
    migrator.migrate(migrator.drop_table('products'))
    migrator.migrate(migrator.drop_table('orders'))
    migrator.migrate(migrator.drop_table('integrations'))
    migrator.migrate(migrator.drop_table('form_submissions'))
    migrator.migrate(migrator.drop_table('pages'))
    migrator.migrate(migrator.drop_table('deployments'))
    migrator.migrate(migrator.drop_table('deploy_targets'))
    migrator.migrate(migrator.drop_table('versions'))
    migrator.migrate(migrator.drop_table('components'))
    migrator.migrate(migrator.drop_table('component_library'))
    migrator.migrate(migrator.drop_table('blog_post_tags'))
    migrator.migrate(migrator.drop_table('blog_tags'))
    migrator.migrate(migrator.drop_table('blog_comments'))
    migrator.migrate(migrator.drop_table('blog_posts'))
    migrator.migrate(migrator.drop_table('blog_categories'))
    migrator.migrate(migrator.drop_table('blobs'))
    migrator.migrate(migrator.drop_table('audit_logs'))
    migrator.migrate(migrator.drop_table('assets'))
    migrator.migrate(migrator.drop_table('projects'))
    migrator.migrate(migrator.drop_table('api_keys'))
    migrator.migrate(migrator.drop_table('users'))
    migrator.migrate(migrator.drop_table('organizations'))
