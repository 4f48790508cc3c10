"""The shop's check before publishing: products on sale that nobody can pay for.

A product can be bought through its (or each variant's) Stripe Payment Link, or through the
collector's /checkout when the project has a Stripe integration and a collector URL. Without either,
its page only offers "ask for this item" by e-mail: worth a warning at `bgpub check` and publish.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgpub.db.models import Project, User
from bgpub.domain.checks import WARNING, Finding
from bgpub.render.shop import checkout_mode
from bgpub.services.site_checks import SiteFacts, run_checks, site_check
from bgpub.snapshot import ProductSnapshot

CHECK = "shop-checkout"


def _payable(product: ProductSnapshot) -> bool:
    if product.payment_link:
        return True
    return bool(product.variants) and all(v.payment_link for v in product.variants)


@site_check(CHECK, "Products on sale can be bought")
def no_checkout(facts: SiteFacts) -> Iterator[Finding]:
    active = [p for p in facts.snapshot.products if p.status == "ACTIVE"]
    if not active or checkout_mode(facts.snapshot.settings) == "collector":
        return
    unpaid = [p.slug for p in active if not _payable(p)]
    if not unpaid:
        return
    shown = ", ".join(unpaid[:5]) + ("…" if len(unpaid) > 5 else "")
    yield Finding(
        CHECK,
        WARNING,
        f"project {facts.project.name}",
        f"no checkout for {len(unpaid)} product(s) on sale ({shown}): their pages only offer 'ask for this "
        "item' by e-mail; give each a Stripe Payment Link (bgpub product edit ... --payment-link "
        "https://buy.stripe.com/...), or add a Stripe integration and a collector URL",
    )


def checkout_warnings(actor: User, project: str | Project) -> list[str]:
    """The shop's publish warnings as text (what `bgpub publish` prints after publishing)."""
    return [f.message for f in run_checks(actor, project, only=[CHECK])]
