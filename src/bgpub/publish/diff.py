"""Page-level diff between two versions' snapshot records (see publish/history.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bgpub.publish.history import record_page_hashes


def _posts(record: Mapping[str, Any] | None) -> dict[str, Any]:
    site = (record or {}).get("site", {})
    return {f"blog/{post['slug']}": post for post in site.get("posts", [])}


def diff_pages(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> dict[str, list[str]]:
    """Slugs added, removed and changed (content or place in the navigation), blog posts as
    `blog/<slug>`, and the names of site-wide fields that changed (theme, settings...)."""
    a, b = record_page_hashes(old), record_page_hashes(new)
    order_a = {slug: i for i, (slug, _) in enumerate((old or {}).get("pages", []))}
    order_b = {slug: i for i, (slug, _) in enumerate((new or {}).get("pages", []))}
    changed = {s for s in b if s in a and (a[s] != b[s] or order_a[s] != order_b[s])}
    posts_a, posts_b = _posts(old), _posts(new)
    changed |= {s for s in posts_b if s in posts_a and posts_a[s] != posts_b[s]}
    site_a, site_b = (old or {}).get("site", {}), (new or {}).get("site", {})
    site = sorted(
        k for k in set(site_a) | set(site_b) if k != "posts" and site_a.get(k) != site_b.get(k)
    )
    return {
        "added": sorted([s for s in b if s not in a] + [s for s in posts_b if s not in posts_a]),
        "removed": sorted([s for s in a if s not in b] + [s for s in posts_a if s not in posts_b]),
        "changed": sorted(changed),
        "site": site,
    }
