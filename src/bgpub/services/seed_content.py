"""The demo's content beyond the bakery's pages: a blog with posts, categories, tags and comments, a shop
with products, variants and an order, assets, a saved component, a page template, the shared header
and footer, a form submission, page views, an integration, an API key, a published version on a
folder target and a webhook, so every screen of the editor and every example of the docs shows
real data.

Made through the services as the demo's owner (the same checks as user input), each part only when
it is missing, so a second seed changes nothing. The blog and the shop are the repository's starters.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bgpub.db.fields import utcnow
from bgpub.db.models import (
    ApiKey,
    BlogComment,
    BlogPost,
    Component,
    FormSubmission,
    Integration,
    Order,
    OrderItem,
    Organization,
    PageTemplate,
    PageView,
    Product,
    ProductVariant,
    Project,
    SharedSection,
    User,
    Version,
    Webhook,
)

JOURNAL = ("journal", "blog", "Slow Miles")  # (project name, starter, title)
SHOP = ("pottery", "shop", "Kiln & Co.")
COMMENTS = [  # (author, body, status)
    (
        "Marta",
        "We rode the same pass last June: the descent is worth every switchback.",
        "APPROVED",
    ),
    ("Tom", "Which tent did you take? The packing list does not say.", "PENDING"),
]
SAVED_COMPONENT = (
    "order-cta",
    "cta",
    "Order a cake",
    {
        "heading": "Cakes for your celebration",
        "button_label": "Order a cake",
        "button_url": "/contact/",
    },
)
TEMPLATE = ("menu", "menu-page", "A menu: prices in a list, specials as cards")
SUBMISSION = {
    "name": "Lena Fischer",
    "email": "lena@example.org",
    "message": "Do you bake a gluten-free loaf on Saturdays?",
}
VIEWED = ["/", "/", "/menu/", "/about/", "/contact/"]
INTEGRATION = ("PLAUSIBLE", "analytics", {"domain": "rosemary-bakery.example.com"})
API_KEY = "deploy-bot"
WEBHOOK = "https://hooks.rosemary-bakery.invalid/bgpub"  # never resolves: seeding delivers nothing


def _project(org: Organization, name: str) -> Project | None:
    return Project.get_or_none((Project.organization == org) & (Project.name == name))


def add_demo_content(owner: User, org: Organization, bakery: Project) -> None:
    """The parts that live in the database, inside the seed's transaction."""
    from bgpub.services.api_keys import create_api_key
    from bgpub.services.integrations import add_integration
    from bgpub.services.library import save_component
    from bgpub.services.moderation import add_comment
    from bgpub.services.page_templates import save_page_template
    from bgpub.services.projects import create_project
    from bgpub.services.section_lift import lift_project

    unlifted = not SharedSection.select().where(SharedSection.project == bakery).exists()
    if (
        unlifted and lift_project(bakery, owner, dry_run=True).changes
    ):  # a second seed changes nothing
        lift_project(bakery, owner)  # the navbar and footer every bakery page repeats
    for name, starter, title in (JOURNAL, SHOP):
        if _project(org, name) is None:
            create_project(owner, name, title=title, organization=org, starter=starter)
    journal = _project(org, JOURNAL[0])
    assert journal is not None  # made above
    posts = BlogPost.select().where(BlogPost.project == journal).order_by(BlogPost.slug)
    if (
        posts.exists()
        and not BlogComment.select().join(BlogPost).where(BlogPost.project == journal).exists()
    ):
        first = posts.first()
        for author, body, status in COMMENTS:
            add_comment(owner, journal, first.slug, author, body, status=status)
    shop = _project(org, SHOP[0])
    assert shop is not None  # made above
    if not Order.select().where(Order.project == shop).exists():
        _order(shop)
    key, base, label, defaults = SAVED_COMPONENT
    if (
        not Component.select()
        .where((Component.organization == org) & (Component.key == key))
        .exists()
    ):
        save_component(owner, key, base, name=label, defaults=defaults, organization=org)
    page, name, description = TEMPLATE
    if (
        not PageTemplate.select()
        .where((PageTemplate.organization == org) & (PageTemplate.name == name))
        .exists()
    ):
        save_page_template(owner, bakery, page, name, description=description)
    if not FormSubmission.select().where(FormSubmission.project == bakery).exists():
        from bgpub.services.submissions import record_submission

        record_submission(bakery.id, "contact", SUBMISSION, page_path="/contact/")
    kind, label, config = INTEGRATION
    if not Integration.select().where(Integration.project == bakery).exists():
        add_integration(owner, bakery, kind, label, dict(config))
    if not ApiKey.select().where(ApiKey.organization == org).exists():
        create_api_key(owner, org, API_KEY)


def _order(shop: Project) -> None:
    """One paid order of a product with variants (orders come from Stripe; none is faked as paid)."""
    variant = (
        ProductVariant.select()
        .join(Product)
        .where(Product.project == shop)
        .order_by(Product.slug, ProductVariant.position)
        .first()
    )
    if variant is None:
        return
    product = variant.product
    price = variant.price_cents if variant.price_cents is not None else product.price_cents
    order = Order.create(
        project=shop,
        number=1,
        customer_email="sam@example.org",
        customer_name="Sam Lee",
        status="PENDING",
        total_cents=price * 2,
        currency=product.currency,
    )
    OrderItem.create(
        order=order,
        product=product,
        variant=variant,
        name=f"{product.name} ({variant.name})",
        quantity=2,
        unit_price_cents=price,
        sku=variant.sku,
    )


def add_demo_activity(
    owner: User, org: Organization, bakery: Project, workspace: Path | None
) -> None:
    """The parts with their own transactions or files, after the seed's transaction: page views (a
    month's partition may be made first), a published version on the default folder target, and a
    webhook (added after publishing, so seeding never delivers)."""
    from bgpub.domain.collector import ViewRecord
    from bgpub.services.page_view_partitions import ensure_partitions
    from bgpub.services.page_views import new_view_id, record_views

    if not PageView.select().where(PageView.project == bakery).exists():
        now = utcnow()
        stamps = [now - timedelta(hours=3 * i) for i in range(len(VIEWED))]
        ensure_partitions(also=tuple({s.date() for s in stamps}))
        record_views(
            [
                ViewRecord(
                    new_view_id(),
                    bakery.id,
                    path,
                    None,
                    None,
                    "desktop" if i % 2 else "mobile",
                    f"demo-visitor-{i % 3}",
                    stamp,
                )
                for i, (path, stamp) in enumerate(zip(VIEWED, stamps, strict=True))
            ]
        )
    if workspace is not None and not Version.select().where(Version.project == bakery).exists():
        from bgpub.services.publishing import publish_project

        publish_project(owner, bakery, message="Demo: first publish", workspace=workspace)
    if not Webhook.select().where(Webhook.project == bakery).exists():
        from bgpub.services.webhooks import add_webhook

        add_webhook(owner, bakery, WEBHOOK, secret=None)
