"""The blog: posts, categories, tags (with their link table) and moderated comments."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from bgpub.db.enums import CommentStatus, PostStatus
from bgpub.db.fields import CheckedEnumField, TextArrayField
from bgpub.db.models.base import BaseModel, TimestampedModel
from bgpub.db.models.core import Project, User


class BlogCategory(TimestampedModel):
    project_id: str
    project = ForeignKeyField(Project, backref="blog_categories", on_delete="CASCADE", index=True)
    name = CharField(max_length=100)
    slug = CharField(max_length=100)

    class Meta:
        table_name = "blog_categories"
        indexes = ((("project", "slug"), True),)


class BlogTag(TimestampedModel):
    project_id: str
    project = ForeignKeyField(Project, backref="blog_tags", on_delete="CASCADE", index=True)
    name = CharField(max_length=100)
    slug = CharField(max_length=100)

    class Meta:
        table_name = "blog_tags"
        indexes = ((("project", "slug"), True),)


class BlogPost(TimestampedModel):
    project_id: str
    project = ForeignKeyField(Project, backref="blog_posts", on_delete="CASCADE", index=True)
    author_id: str | None
    author = ForeignKeyField(
        User, backref="blog_posts", null=True, on_delete="SET NULL", index=True
    )
    author_name = CharField(
        max_length=200, default=""
    )  # the byline as written; else the author's name (0007)
    category_id: str | None
    category = ForeignKeyField(
        BlogCategory, backref="posts", null=True, on_delete="SET NULL", index=True
    )
    title = CharField(max_length=200)
    slug = CharField(max_length=200)
    excerpt = TextField(default="")
    body = TextField(default="")  # Markdown
    cover_asset = CharField(max_length=200, null=True)  # asset name
    keywords = TextArrayField(default=list)
    status = CheckedEnumField(PostStatus, default=PostStatus.DRAFT, max_length=16)
    published_at = DateTimeField(null=True)
    aliases = TextArrayField(default=list)  # earlier slugs, each redirected to the post (0013)
    edited_at = DateTimeField(null=True)  # last content edit after publishing (0013)

    class Meta:
        table_name = "blog_posts"
        indexes = ((("project", "slug"), True),)


class BlogPostTag(BaseModel):
    post_id: str
    post = ForeignKeyField(BlogPost, backref="post_tags", on_delete="CASCADE", index=True)
    tag_id: str
    tag = ForeignKeyField(BlogTag, backref="post_tags", on_delete="CASCADE", index=True)

    class Meta:
        table_name = "blog_post_tags"
        indexes = ((("post", "tag"), True),)


class BlogComment(TimestampedModel):
    post_id: str
    post = ForeignKeyField(BlogPost, backref="comments", on_delete="CASCADE", index=True)
    author_name = CharField(max_length=100)
    author_email = CharField(max_length=254, null=True)
    body = TextField()
    status = CheckedEnumField(CommentStatus, default=CommentStatus.PENDING, max_length=16)

    class Meta:
        table_name = "blog_comments"
