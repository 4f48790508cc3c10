"""A small multi-tenant world for the teams tests, and the table of every mutating service operation.

`OPERATIONS` is data: one `Op` per mutating service function, with the least role that may run it
and a call that performs it on the world. Adding a service operation means adding one line here;
`test_every_mutating_operation_is_walked` fails until it is listed.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from bgpub.config import workspace_dir
from bgpub.db.enums import Role, SubscriptionTier
from bgpub.db.models import BlogPost, Order, Organization, PageView, PublishRequest, User
from bgpub.errors import NotFound, PermissionDenied
from bgpub.services import (
    api_keys,
    asset_names,
    assets,
    blocks,
    importing,
    integrations,
    library,
    link_updates,
    members,
    moderation,
    orders,
    organizations,
    page_copies,
    page_settings,
    page_templates,
    page_view_partitions,
    pages,
    post_imports,
    posts,
    product_csv,
    products,
    projects,
    promotion,
    publishing,
    scheduling,
    section_lift,
    sections,
    sellout_publishing,
    site_analytics,
    site_settings,
    snapshots,
    submissions,
    targets,
    taxonomy,
    variants,
    versions,
    webhooks,
)

ORG = "acme"
PROJECT = "site"
ROLE_EMAILS = {role: f"{role.value.lower()}@acme.test" for role in Role}
OUTSIDER = "outsider@other.test"
TARGET = "target@acme.test"  # a VIEWER that member operations act on
PLANTED_SECRET = "sk_live_PLANTED-9f3c1e7a5b"


@dataclass
class World:
    """Names of everything the operations act on; users are re-read per call (rows may roll back)."""

    org: str = ORG
    project: str = PROJECT

    def user(self, email: str) -> User:
        return User.get(User.email == email)

    def member(self, role: Role) -> User:
        return self.user(ROLE_EMAILS[role])

    def organization(self) -> Organization:
        return Organization.get(Organization.slug == self.org)


def build_world(tier: SubscriptionTier = SubscriptionTier.ENTERPRISE) -> World:
    """acme (owner, admin, editor, viewer, target) with project `site`; outsider owns `other`."""
    owner = User.create(email=ROLE_EMAILS[Role.OWNER], name="Olive Owner")
    organizations.create_organization(owner, ORG, "Acme")
    Organization.update(tier=tier).where(Organization.slug == ORG).execute()
    for role in (Role.ADMIN, Role.EDITOR, Role.VIEWER):
        members.add_member(owner, ORG, ROLE_EMAILS[role], role)
    members.add_member(owner, ORG, TARGET, Role.VIEWER)
    outsider = User.create(email=OUTSIDER, name="Otto Outsider")
    organizations.create_organization(outsider, "other", "Other")
    projects.create_project(outsider, "elsewhere", organization="other")

    projects.create_project(owner, PROJECT, organization=ORG, title="Acme site")
    pages.add_page(owner, PROJECT, "home", "Home")
    pages.add_page(owner, PROJECT, "about", "About")
    blocks.add_block(
        owner,
        PROJECT,
        "home",
        "hero",
        {"heading": "Hello", "primary_label": "About", "primary_url": "/about/"},
    )  # links_to/retarget
    sections.create_section(
        owner, PROJECT, "band", [{"component": "hero", "props": {"heading": "Band"}}]
    )
    page_templates.save_page_template(owner, PROJECT, "home", "starter-page")  # remove/use walk it
    assets.add_asset(owner, PROJECT, b"plain text notes\n", name="notes.txt")
    assets.add_asset(owner, PROJECT, _png(), name="photo.png")  # set_focus needs an image
    library.save_component(owner, "big-hero", "hero", organization=ORG, defaults={"heading": "Big"})
    integrations.add_integration(owner, PROJECT, "STRIPE", "shop", {"api_key": PLANTED_SECRET})
    api_keys.create_api_key(owner, ORG, "ci", ["read"])
    # port 9 (discard) refuses at once, so deliveries during the walk cost nothing
    webhooks.add_webhook(
        owner,
        PROJECT,
        "http://127.0.0.1:9/hook",
        secret=PLANTED_SECRET + "-hook",
        allow_private=True,
    )
    publishing.publish_project(owner, PROJECT, message="first")
    pages.update_page(owner, PROJECT, "about", title="About")
    publishing.publish_project(owner, PROJECT, message="second")
    snapshots.export_project(owner, PROJECT, export_dir())
    _build_blog(owner)
    _build_shop(owner)
    return World()


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 40, 40)).save(out, format="PNG")
    return out.getvalue()


OLD_VIEW_DAY = date(2020, 1, 15)


def _build_shop(owner: User) -> None:
    """A product with one variant, and a page view old enough for prune_views to remove."""
    products.create_product(owner, PROJECT, "Mug", slug="mug", price_cents=900)
    variants.add_variant(owner, PROJECT, "mug", {"Colour": "Red"})
    page_view_partitions.ensure_partitions(
        also=(OLD_VIEW_DAY,)
    )  # PostgreSQL: a partition for 2020-01
    site = projects.find_project(owner, PROJECT).id
    PageView.create(project=site, path="/", timestamp=datetime(2020, 1, 15, 12, tzinfo=UTC))


PRODUCTS_CSV = "Handle,Title,Variant Price\nteapot,Teapot,12.50\n"


def _build_blog(owner: User) -> None:
    """A post with a category, two tags and a pending comment; a scheduled post already due; a form
    submission; and a Markdown folder and a WordPress export to import."""
    taxonomy.add_category(owner, PROJECT, "Notes")
    posts.create_post(
        owner, PROJECT, "Hello", slug="hello", body="Hi.", category="News", tags=["alpha", "beta"]
    )
    moderation.add_comment(owner, PROJECT, "hello", "Reader", "Nice post")
    posts.create_post(owner, PROJECT, "Later", slug="later", status="SCHEDULED", publish_at=FUTURE)
    BlogPost.update(published_at=datetime(2020, 1, 1, tzinfo=UTC)).where(
        BlogPost.slug == "later"
    ).execute()
    submissions.record_submission(
        projects.find_project(owner, PROJECT).id, "contact", {"email": "a@b.test"}
    )
    markdown_dir().mkdir(parents=True, exist_ok=True)
    (markdown_dir() / "imported.md").write_text(
        "---\ntitle: Imported\ndate: 2024-01-02\n---\nFrom Markdown.\n"
    )
    wordpress_export().write_text(WXR, encoding="utf-8")
    # the shop: a sell-out's publish request (orders are made inside each order operation's walk, since a
    # project with orders can never be deleted and the walk deletes the project)
    PublishRequest.create(project=projects.find_project(owner, PROJECT).id, reason="sold out: Mug")


FUTURE = "2099-01-01T00:00:00Z"
WXR = (
    '<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
    'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
    "<channel><title>Old blog</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version>"
    "<item><title>From WordPress</title><link>https://old.example/?p=10</link><dc:creator>ada</dc:creator>"
    "<content:encoded><![CDATA[<p>Hello</p>]]></content:encoded><excerpt:encoded></excerpt:encoded>"
    "<wp:post_id>10</wp:post_id><wp:post_date_gmt>2024-01-02 09:30:00</wp:post_date_gmt>"
    "<wp:post_name>from-wordpress</wp:post_name><wp:status>publish</wp:status>"
    "<wp:post_type>post</wp:post_type></item></channel></rss>"
)


def markdown_dir() -> Path:
    return workspace_dir() / "markdown-posts"


def wordpress_export() -> Path:
    return workspace_dir() / "wordpress.xml"


def export_dir():
    return workspace_dir() / "exported-site"


def _webhook_id(world: World) -> str:
    return webhooks.list_webhooks(world.member(Role.OWNER), PROJECT)[0].id


@dataclass(frozen=True)
class Op:
    """One mutating service operation: who may run it at least, and how to run it on the world."""

    name: str  # module.function, as discovered in bgpub.services
    needs: Role
    run: Callable[[World, User], Any]
    # False for operations on shared data (the synced library) that check the actor's own organization
    outsider_refused: bool = True


def _comment_id(world: World) -> str:
    return moderation.list_comments(world.member(Role.OWNER), PROJECT)[0].id


def _submission_id(world: World) -> str:
    return submissions.list_submissions(world.member(Role.OWNER), PROJECT)[0].id


def _target_name(world: World) -> str:
    return targets.list_targets(world.member(Role.OWNER), PROJECT)[0].name


def _run_due(world: World, actor: User) -> None:
    """run_due reports a refusal in the project's outcome instead of raising: raise it, so the walk sees it;
    the site is not among an outsider's projects at all."""
    outcome = next((o for o in scheduling.run_due(actor) if o.project == PROJECT), None)
    if outcome is None:
        raise NotFound(f"{PROJECT} is not among the actor's projects with due posts")
    if outcome.error:
        raise PermissionDenied(outcome.error)


def _paid_order(world: World) -> int:
    """A PAID order, made in the walk's own transaction (rolled back with it)."""
    site = projects.find_project(world.member(Role.OWNER), PROJECT).id
    Order.create(
        project=site, number=1, customer_email="buyer@example.test", total_cents=900, status="PAID"
    )
    return 1


def _sellout_publish(world: World, actor: User) -> None:
    """Like _run_due: a refusal is reported in the project's outcome; raise it so the walk sees it."""
    outcome = next(
        (o for o in sellout_publishing.run_sellout_publishes(actor) if o.project == PROJECT), None
    )
    if outcome is None:
        raise NotFound(
            f"{PROJECT} is not among the actor's projects with a pending publish request"
        )
    if outcome.error:
        raise PermissionDenied(outcome.error)


def _prefix(world: World) -> str:
    return api_keys.list_api_keys(world.member(Role.OWNER), ORG)[0].prefix


OPERATIONS: list[Op] = [
    # organizations
    Op(
        "organizations.rename_organization",
        Role.OWNER,
        lambda w, a: organizations.rename_organization(a, ORG, "Acme Inc"),
    ),
    Op(
        "organizations.change_tier",
        Role.OWNER,
        lambda w, a: organizations.change_tier(a, ORG, "PRO"),
    ),
    Op(
        "organizations.transfer_organization",
        Role.OWNER,
        lambda w, a: organizations.transfer_organization(a, ORG, TARGET),
    ),
    Op(
        "organizations.delete_organization",
        Role.OWNER,
        lambda w, a: organizations.delete_organization(a, ORG, confirm=ORG),
    ),
    # members
    Op(
        "members.add_member",
        Role.ADMIN,
        lambda w, a: members.add_member(a, ORG, "new@acme.test", "EDITOR"),
    ),
    Op(
        "members.change_role",
        Role.ADMIN,
        lambda w, a: members.change_role(a, ORG, TARGET, "EDITOR"),
    ),
    Op("members.remove_member", Role.ADMIN, lambda w, a: members.remove_member(a, ORG, TARGET)),
    # projects
    Op(
        "projects.create_project",
        Role.ADMIN,
        lambda w, a: projects.create_project(a, "second", organization=ORG),
    ),
    Op(
        "projects.new_project",
        Role.ADMIN,
        lambda w, a: projects.new_project(a, "third", organization=ORG),
    ),
    Op(
        "projects.update_project",
        Role.EDITOR,
        lambda w, a: projects.update_project(a, PROJECT, title="New title"),
    ),
    Op("projects.archive_project", Role.ADMIN, lambda w, a: projects.archive_project(a, PROJECT)),
    Op("projects.delete_project", Role.ADMIN, lambda w, a: projects.delete_project(a, PROJECT)),
    # pages
    Op(
        "pages.add_page", Role.EDITOR, lambda w, a: pages.add_page(a, PROJECT, "contact", "Contact")
    ),
    Op(
        "pages.create_page",
        Role.EDITOR,
        lambda w, a: pages.create_page(a, PROJECT, "visit", "Visit us"),
    ),
    Op(
        "pages.update_page",
        Role.EDITOR,
        lambda w, a: pages.update_page(a, PROJECT, "about", title="About us"),
    ),
    Op(
        "pages.rename_page",
        Role.EDITOR,
        lambda w, a: pages.rename_page(a, PROJECT, "about", "About us"),
    ),
    Op(
        "pages.change_slug",
        Role.EDITOR,
        lambda w, a: pages.change_slug(a, PROJECT, "about", "about-us"),
    ),
    Op("pages.move_page", Role.EDITOR, lambda w, a: pages.move_page(a, PROJECT, "about", 0)),
    Op("pages.set_home", Role.EDITOR, lambda w, a: pages.set_home(a, PROJECT, "about")),
    Op("pages.remove_page", Role.EDITOR, lambda w, a: pages.remove_page(a, PROJECT, "about")),
    # blocks (component instances)
    Op(
        "blocks.add_block",
        Role.EDITOR,
        lambda w, a: blocks.add_block(a, PROJECT, "about", "hero", {"heading": "Hi"}),
    ),
    Op(
        "blocks.set_props",
        Role.EDITOR,
        lambda w, a: blocks.set_props(a, PROJECT, "home", 0, {"heading": "Hey"}),
    ),
    Op("blocks.move_block", Role.EDITOR, lambda w, a: blocks.move_block(a, PROJECT, "home", 0, 0)),
    Op(
        "blocks.duplicate_block",
        Role.EDITOR,
        lambda w, a: blocks.duplicate_block(a, PROJECT, "home", 0),
    ),
    Op("blocks.remove_block", Role.EDITOR, lambda w, a: blocks.remove_block(a, PROJECT, "home", 0)),
    # shared sections (the site header and footer, named sections)
    Op(
        "sections.create_section",
        Role.EDITOR,
        lambda w, a: sections.create_section(a, PROJECT, "promo"),
    ),
    Op(
        "page_templates.save_page_template",
        Role.EDITOR,
        lambda w, a: page_templates.save_page_template(a, PROJECT, "home", "mine"),
    ),
    Op(
        "page_templates.remove_page_template",
        Role.EDITOR,
        lambda w, a: page_templates.remove_page_template(a, PROJECT, "starter-page"),
    ),
    Op(
        "page_templates.add_page_from_template",
        Role.EDITOR,
        lambda w, a: page_templates.add_page_from_template(
            a, PROJECT, "starter-page", "from-template"
        ),
    ),
    Op(
        "sections.set_section_blocks",
        Role.EDITOR,
        lambda w, a: sections.set_section_blocks(
            a, PROJECT, "header", [{"component": "hero", "props": {"heading": "Top"}}]
        ),
    ),
    Op(
        "sections.add_section_block",
        Role.EDITOR,
        lambda w, a: sections.add_section_block(a, PROJECT, "band", "hero", {"heading": "More"}),
    ),
    Op(
        "sections.rename_section",
        Role.EDITOR,
        lambda w, a: sections.rename_section(a, PROJECT, "band", "strip"),
    ),
    Op(
        "sections.delete_section",
        Role.EDITOR,
        lambda w, a: sections.delete_section(a, PROJECT, "band"),
    ),
    Op(
        "sections.place_section",
        Role.EDITOR,
        lambda w, a: sections.place_section(a, PROJECT, "about", "band"),
    ),
    Op(
        "sections.set_page_regions",
        Role.EDITOR,
        lambda w, a: sections.set_page_regions(a, PROJECT, "about", show_header=False),
    ),
    Op(
        "section_lift.lift_sections",
        Role.EDITOR,
        lambda w, a: section_lift.lift_sections(a, PROJECT),
    ),
    # assets
    Op(
        "assets.add_asset",
        Role.EDITOR,
        lambda w, a: assets.add_asset(a, PROJECT, b"more notes\n", name="more.txt"),
    ),
    Op(
        "assets.set_alt", Role.EDITOR, lambda w, a: assets.set_alt(a, PROJECT, "notes.txt", "Notes")
    ),
    Op(
        "assets.remove_asset",
        Role.EDITOR,
        lambda w, a: assets.remove_asset(a, PROJECT, "notes.txt"),
    ),
    Op(
        "asset_names.rename_asset",
        Role.EDITOR,
        lambda w, a: asset_names.rename_asset(a, PROJECT, "notes.txt", "read-me.txt"),
    ),
    Op(
        "page_settings.set_page_settings",
        Role.EDITOR,
        lambda w, a: page_settings.set_page_settings(
            a, PROJECT, "about", seo_title="About Acme", noindex=True
        ),
    ),
    Op(
        "site_analytics.set_site_analytics",
        Role.ADMIN,
        lambda w, a: site_analytics.set_site_analytics(a, PROJECT, "plausible", "acme.example"),
    ),
    Op(  # the fields alone: an EDITOR's; with analytics it takes an ADMIN (tests/services)
        "site_settings.save_site_settings",
        Role.EDITOR,
        lambda w, a: site_settings.save_site_settings(a, PROJECT, fields={"title": "Acme site"}),
    ),
    # the component library and saved components
    Op(
        "library.sync_library",
        Role.EDITOR,
        lambda w, a: library.sync_library(a),
        outsider_refused=False,
    ),
    Op(
        "library.save_component",
        Role.EDITOR,
        lambda w, a: library.save_component(a, "tall-hero", "hero", organization=ORG),
    ),
    Op(
        "library.remove_component",
        Role.EDITOR,
        lambda w, a: library.remove_component(a, "big-hero", organization=ORG),
    ),
    # integrations and API keys
    Op(
        "integrations.add_integration",
        Role.ADMIN,
        lambda w, a: integrations.add_integration(
            a, PROJECT, "PLAUSIBLE", "stats", {"token": "t0k3n"}
        ),
    ),
    Op(
        "integrations.set_integration_enabled",
        Role.ADMIN,
        lambda w, a: integrations.set_integration_enabled(a, PROJECT, "shop", False),
    ),
    Op(
        "integrations.remove_integration",
        Role.ADMIN,
        lambda w, a: integrations.remove_integration(a, PROJECT, "shop"),
    ),
    Op(
        "api_keys.create_api_key",
        Role.ADMIN,
        lambda w, a: api_keys.create_api_key(a, ORG, "deploy", ["write"]),
    ),
    Op(
        "api_keys.revoke_api_key",
        Role.ADMIN,
        lambda w, a: api_keys.revoke_api_key(a, ORG, _prefix(w)),
    ),
    # publishing: versions, targets, webhooks
    Op(
        "publishing.publish_project",
        Role.ADMIN,
        lambda w, a: publishing.publish_project(a, PROJECT),
    ),
    Op(
        "publishing.rollback_project",
        Role.ADMIN,
        lambda w, a: publishing.rollback_project(a, PROJECT, 1),
    ),
    Op("versions.prune_versions", Role.ADMIN, lambda w, a: versions.prune_versions(a, PROJECT, 1)),
    Op(
        "targets.add_target",
        Role.ADMIN,
        lambda w, a: targets.add_target(
            a, PROJECT, "mirror", "dir", path=str(workspace_dir() / "mirror")
        ),
    ),
    Op(
        "targets.update_target",
        Role.ADMIN,
        lambda w, a: targets.update_target(
            a,
            PROJECT,
            targets.list_targets(a, PROJECT)[0].name,
            path=str(workspace_dir() / "moved"),
        ),
    ),
    Op(
        "targets.remove_target",
        Role.ADMIN,
        lambda w, a: targets.remove_target(a, PROJECT, targets.list_targets(a, PROJECT)[0].name),
    ),
    Op(
        "webhooks.add_webhook",
        Role.ADMIN,
        lambda w, a: webhooks.add_webhook(a, PROJECT, "https://example.com/hook"),
    ),
    Op(
        "webhooks.new_webhook",
        Role.ADMIN,
        lambda w, a: webhooks.new_webhook(a, PROJECT, "https://example.com/hook"),
    ),
    Op(
        "webhooks.remove_webhook",
        Role.ADMIN,
        lambda w, a: webhooks.remove_webhook(a, PROJECT, _webhook_id(w)),
    ),
    # import and starters create projects
    Op(
        "importing.import_project",
        Role.ADMIN,
        lambda w, a: importing.import_project(a, export_dir(), "imported", organization=ORG),
    ),
    Op(
        "importing.create_from_starter",
        Role.ADMIN,
        lambda w, a: importing.create_from_starter(a, "started", "landing", organization=ORG),
    ),
    Op(
        "importing.import_snapshot",
        Role.ADMIN,
        lambda w, a: importing.import_snapshot(
            a, *importing.read_export(export_dir()), name="copied", organization=ORG
        ),
    ),
    Op(
        "blocks.replace_blocks",
        Role.EDITOR,
        lambda w, a: blocks.replace_blocks(
            a, PROJECT, "about", [{"component": "hero", "props": {}}]
        ),
    ),
    Op(
        "blocks.save_blocks",
        Role.EDITOR,
        lambda w, a: blocks.save_blocks(a, PROJECT, "about", [{"component": "hero", "props": {}}]),
    ),
    # blog posts, their taxonomy and comments
    Op("posts.create_post", Role.EDITOR, lambda w, a: posts.create_post(a, PROJECT, "Second post")),
    Op(
        "posts.update_post",
        Role.EDITOR,
        lambda w, a: posts.update_post(a, PROJECT, "hello", title="Hello again"),
    ),
    Op("posts.publish_post", Role.EDITOR, lambda w, a: posts.publish_post(a, PROJECT, "hello")),
    Op("posts.unpublish_post", Role.EDITOR, lambda w, a: posts.unpublish_post(a, PROJECT, "later")),
    Op(
        "posts.schedule_post",
        Role.EDITOR,
        lambda w, a: posts.schedule_post(a, PROJECT, "hello", FUTURE),
    ),
    Op("posts.remove_post", Role.EDITOR, lambda w, a: posts.remove_post(a, PROJECT, "hello")),
    Op(
        "taxonomy.add_category", Role.EDITOR, lambda w, a: taxonomy.add_category(a, PROJECT, "Life")
    ),
    Op(
        "taxonomy.rename_category",
        Role.EDITOR,
        lambda w, a: taxonomy.rename_category(a, PROJECT, "News", "Updates"),
    ),
    Op(
        "taxonomy.remove_category",
        Role.EDITOR,
        lambda w, a: taxonomy.remove_category(a, PROJECT, "News"),
    ),
    Op(
        "taxonomy.rename_tag",
        Role.EDITOR,
        lambda w, a: taxonomy.rename_tag(a, PROJECT, "alpha", "gamma"),
    ),
    Op(
        "taxonomy.merge_tags",
        Role.EDITOR,
        lambda w, a: taxonomy.merge_tags(a, PROJECT, "alpha", "beta"),
    ),
    Op(
        "moderation.add_comment",
        Role.EDITOR,
        lambda w, a: moderation.add_comment(a, PROJECT, "hello", "Editor", "Thanks"),
    ),
    Op(
        "moderation.set_comment_status",
        Role.EDITOR,
        lambda w, a: moderation.set_comment_status(a, PROJECT, _comment_id(w), "SPAM"),
    ),
    Op(
        "moderation.approve_comment",
        Role.EDITOR,
        lambda w, a: moderation.approve_comment(a, PROJECT, _comment_id(w)),
    ),
    Op(
        "moderation.mark_spam",
        Role.EDITOR,
        lambda w, a: moderation.mark_spam(a, PROJECT, _comment_id(w)),
    ),
    Op(
        "moderation.remove_comment",
        Role.EDITOR,
        lambda w, a: moderation.remove_comment(a, PROJECT, _comment_id(w)),
    ),
    Op(
        "post_imports.import_posts",
        Role.EDITOR,
        lambda w, a: post_imports.import_posts(a, PROJECT, markdown_dir()),
    ),
    Op(
        "post_imports.import_wordpress",
        Role.EDITOR,
        lambda w, a: post_imports.import_wordpress(a, PROJECT, wordpress_export()),
    ),
    Op(
        "submissions.mark_handled",
        Role.EDITOR,
        lambda w, a: submissions.mark_handled(a, PROJECT, _submission_id(w)),
    ),
    Op(
        "promotion.promote_version",
        Role.ADMIN,
        lambda w, a: promotion.promote_version(a, PROJECT, 1, to=_target_name(w)),
    ),
    Op("scheduling.run_due", Role.ADMIN, _run_due),
    Op(
        "orders.fulfil_order",
        Role.EDITOR,
        lambda w, a: orders.fulfil_order(a, PROJECT, _paid_order(w)),
    ),
    Op(
        "orders.note_refund",
        Role.ADMIN,
        lambda w, a: orders.note_refund(a, PROJECT, _paid_order(w), "Refunded in Stripe"),
    ),
    Op(
        "orders.forget_buyer",
        Role.ADMIN,
        lambda w, a: (_paid_order(w), orders.forget_buyer(a, PROJECT, "buyer@example.test")),
    ),
    Op("sellout_publishing.run_sellout_publishes", Role.ADMIN, _sellout_publish),
    # this session's operations: focal points, links, page copies, view retention, the catalogue
    Op(
        "assets.set_focus",
        Role.EDITOR,
        lambda w, a: assets.set_focus(a, PROJECT, "photo.png", 0.25, 0.75),
    ),
    Op(
        "link_updates.retarget_links",
        Role.EDITOR,
        lambda w, a: link_updates.retarget_links(a, PROJECT, "about", "company"),
    ),
    Op(
        "page_copies.duplicate_page",
        Role.EDITOR,
        lambda w, a: page_copies.duplicate_page(a, PROJECT, "home", "home-copy"),
    ),
    Op(
        "page_copies.copy_page",
        Role.EDITOR,
        lambda w, a: page_copies.copy_page(a, PROJECT, "home", "home-copy"),
    ),
    Op(
        "page_view_partitions.prune_views",
        Role.ADMIN,
        lambda w, a: page_view_partitions.prune_views(a, 1),
    ),
    Op(
        "product_csv.import_products",
        Role.EDITOR,
        lambda w, a: product_csv.import_products(a, PROJECT, PRODUCTS_CSV),
    ),
    Op(
        "products.create_product",
        Role.EDITOR,
        lambda w, a: products.create_product(a, PROJECT, "Plate", price_cents=500),
    ),
    Op(
        "products.update_product",
        Role.EDITOR,
        lambda w, a: products.update_product(a, PROJECT, "mug", title="Big mug"),
    ),
    Op(
        "products.archive_product",
        Role.EDITOR,
        lambda w, a: products.archive_product(a, PROJECT, "mug"),
    ),
    Op(
        "products.remove_product",
        Role.EDITOR,
        lambda w, a: products.remove_product(a, PROJECT, "mug"),
    ),
    Op(
        "variants.add_variant",
        Role.EDITOR,
        lambda w, a: variants.add_variant(a, PROJECT, "mug", {"Colour": "Blue"}),
    ),
    Op(
        "variants.update_variant",
        Role.EDITOR,
        lambda w, a: variants.update_variant(a, PROJECT, "mug", "1", stock=3),
    ),
    Op(
        "variants.remove_variant",
        Role.EDITOR,
        lambda w, a: variants.remove_variant(a, PROJECT, "mug", "1"),
    ),
]

# Mutating functions that take the actor but are not organization-scoped, each with its reason and its own test.
NOT_ROLE_SCOPED: dict[str, str] = {
    "organizations.create_organization": "anyone may create an organization; they become its OWNER",
    "users.delete_user": "personal data: only the user themselves (tests/teams/test_teams_personal_data.py)",
    "users.rename_user": "the actor changes only their own email address: no organization, no role",
    "audit.record": "the audit writer every operation calls inside its own transaction",
    "publishing.deploy_version": "an internal step of publish_project/rollback_project, which check PUBLISH",
    "database_logins.grant_database_login": "PostgreSQL only: tests/teams/test_teams_rls.py",
    "database_logins.revoke_database_login": "PostgreSQL only: tests/teams/test_teams_rls.py",
    "integrations.rotate_secrets": "the key holder's operation across every organization (test_teams_secrets.py)",
    "publishing.announce": "an internal step of publish_project/rollback_project/promote_version, after their checks",
    "scheduling.due_projects": "a query: the actor's own projects with due posts; run_due checks PUBLISH on each",
    "orders.delete_order": "refused for everyone, whatever the role: orders are financial records (tests/orders)",
}

# Function-name prefixes of operations that read only (they may still check READ).
READ_ONLY_PREFIXES = (
    "list_",
    "get_",
    "find_",
    "show_",
    "summarize",
    "export_",
    "read_",
    "load_",
    "render_",
    "diff_",
    "check_",
    "verify_",
    "resolve_",
    "count_",
    "search_",
    "parse_",
    "describe_",
    "asset_bytes",
    "integration_config",
    "preview_",
    "build_",
    "snapshot_",
    "usage",
    "saved_components_of",
    "current_",
    "member_organizations",
    "page_count",
    "pages_using",
    "project_snapshot",
    # reads that check READ through list_pages/find_project+project_snapshot, not in their own source
    "links_to",
    "run_checks",
    "checkout_warnings",
    # the asset's bytes copied into the editor's own folder for its preview: checks READ, no row written
    "asset_file",
)
