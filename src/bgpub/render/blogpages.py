"""Blog HTML: post pages (neighbours, related posts, comments), paginated listings, the archive, alias
redirects, and the feed links every page's head carries; each with the dependency key it renders from."""

from __future__ import annotations

import hashlib
import re
from importlib import metadata
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from bgpub.render.beacon import THANKS_URL, with_beacon, with_comment_form
from bgpub.render.blog import FEED_FILES, BlogPlan, Listing, Output, iso, reading_minutes
from bgpub.render.jsonld import blog_jsonld, posting_jsonld

if TYPE_CHECKING:
    from bgpub.render.plan import SitePlan
    from bgpub.render.site import PageRenderer

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
FEED_TYPES = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}
_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$")
_FEEDGEN = f"feedgen-{metadata.version('feedgen')}"  # a new feedgen may write other bytes
PAGE_WINDOW = 2
HEADINGS = {"index": "Blog", "category": "Category: {}", "tag": "Tag: {}", "author": "Posts by {}"}


def absolute(plan: SitePlan, url: str) -> str:
    """An absolute URL for feeds and JSON-LD: the base URL, else https:// and the project's custom
    domain; with neither, the site-relative URL (readers resolve it against the feed's own address)."""
    found = plan.canonical(url)
    if found:
        return found
    domain = (plan.snapshot.custom_domain or "").lower()
    return f"https://{domain}{url}" if _HOST.fullmatch(domain) else url


def human_date(day: str) -> str:
    parts = day.split("-")
    if len(parts) == 3 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12 and parts[2].isdigit():
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return day


def feed_links(plan: SitePlan, listing: Listing | None) -> list[tuple[str, str, str]]:
    """(type, title, url) of the feeds a page's head announces: the blog's, and the listing's own."""
    if not plan.blog.enabled:
        return []
    memo = plan.blog.feed_links.get(id(listing))
    if memo is not None:
        return memo
    memo = plan.blog.feed_links[id(listing)] = _feed_links(plan, listing)
    return memo


def _feed_links(plan: SitePlan, listing: Listing | None) -> list[tuple[str, str, str]]:
    site = plan.site_base["title"]
    found = []
    for lst in dict.fromkeys(x for x in (plan.blog.listings[0], listing) if x is not None):
        if lst.kind == "author":
            continue
        label = site if lst.kind == "index" else f"{site}: {lst.name}"
        for kind, name in FEED_FILES:
            found.append(
                (
                    FEED_TYPES[kind],
                    f"{label} ({ {'atom': 'Atom', 'rss': 'RSS', 'json': 'JSON Feed'}[kind] })",
                    plan.url(f"/{lst.base}/{name}"),
                )
            )
    return found


def with_head(html: str, plan: SitePlan, listing: Listing | None = None, extra: str = "") -> str:
    """Adds the feed links (and `extra`: rel prev/next, JSON-LD) before `</head>`."""
    links = "".join(
        f'<link rel="alternate" type="{kind}" title="{escape(title)}" href="{escape(url)}">\n'
        for kind, title, url in feed_links(plan, listing)
    )
    if not links and not extra:
        return html
    return html.replace("</head>", links + extra + "</head>", 1)


def _link(plan: SitePlan, index: int | None) -> dict[str, str] | None:
    if index is None:
        return None
    post = plan.snapshot.posts[index]
    return {"title": post.title, "url": plan.url(f"/blog/{post.slug}/"), "date": post.date}


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


def post_extras(plan: SitePlan, index: int) -> dict[str, Any]:
    """What a post page shows beyond its summary; everything it reads of other posts is in here, so
    this dict is also its dependency key."""
    blog = plan.blog
    post = plan.snapshot.posts[index]
    published, updated = blog.times[index]
    older, newer = blog.neighbours(index)
    terms = blog.by_term
    tag_links = [
        {"name": t, "url": plan.url(terms[("tag", t)].url())} for t in dict.fromkeys(post.tags)
    ]
    comments = [
        {
            "author": c.author,
            "date": c.date,
            "day": human_date(c.date[:10]),
            "paragraphs": _paragraphs(c.body),
        }
        for c in sorted((c for c in post.comments if c.status == "APPROVED"), key=lambda c: c.date)
    ]
    return {
        "published": post.published_at
        or (post.date if iso(published)[:10] == post.date else iso(published)),
        "day": human_date(post.date),
        "updated": iso(updated) if updated else "",
        "updated_day": human_date(iso(updated)[:10]) if updated else "",
        "category_url": plan.url(terms[("category", post.category)].url()) if post.category else "",
        "author_url": plan.url(terms[("author", post.author)].url()) if post.author else "",
        "tag_links": tag_links,
        "reading_minutes": _post_text(post)[2],
        "older": _link(plan, older),
        "newer": _link(plan, newer),
        "related": [_link(plan, i) for i in blog.related(index)],
        "comments": comments,
        "draft": plan.post_summary[post.slug]["draft"],
    }


def render_post_page(pages: PageRenderer, index: int) -> bytes:
    plan = pages.plan
    from bgpub.render.breadcrumbs import post_breadcrumbs  # it imports this module

    post = plan.snapshot.posts[index]
    summary = plan.post_summary[post.slug]
    url = summary["url"]
    site = {**plan.site_base, "nav": plan.nav_for(None)}
    page_ctx = {"slug": f"blog/{post.slug}", "title": post.title, "url": url, "is_home": False}
    post_ctx = {
        **summary,
        **post_extras(plan, index),
        "body": pages.markdown.render(post.body, pages.prefix),
    }
    meta = pages._meta(
        f"{post.title} | {site['title']}", post.excerpt or plan.snapshot.description, url, "article"
    )
    card = plan.post_cards[index]  # its cover cropped to 1200x630, or a drawn card
    meta["og_image"] = plan.canonical(card) or card
    if post_ctx["draft"]:
        meta["robots"] = "noindex"
    html = pages._render(
        "post.html",
        {
            "site": site,
            "page": page_ctx,
            "meta": meta,
            "post": post_ctx,
            "css_url": plan.css_url,
            **pages._chrome(page_ctx, site),
        },
    )
    image = absolute(plan, summary["cover"].url) if summary["cover"] is not None else ""
    html = with_head(
        html,
        plan,
        None,
        posting_jsonld(post, post_ctx, absolute(plan, url), image) + post_breadcrumbs(plan, index),
    )
    html = with_comment_form(html, plan.collector, post.slug, url, plan.url(THANKS_URL))
    return with_beacon(html, plan.collector, url).encode("utf-8")


def _pagination(plan: SitePlan, listing: Listing, page: int) -> dict[str, Any]:
    pages = plan.blog.pages_of(listing)
    # the first, the last and two either side of the current page: a 1,000-page index stays small
    shown = sorted(
        {1, pages, *range(max(1, page - PAGE_WINDOW), min(pages, page + PAGE_WINDOW) + 1)}
    )
    return {
        "page": page,
        "pages": pages,
        "prev_url": plan.url(listing.url(page - 1)) if page > 1 else "",
        "next_url": plan.url(listing.url(page + 1)) if page < pages else "",
        "links": [
            {
                "number": n,
                "url": plan.url(listing.url(n)),
                "current": n == page,
                "gap": n - 1 not in shown,
            }
            for n in shown
        ],
    }


def _items(plan: SitePlan, indices: tuple[int, ...] | list[int]) -> list[dict[str, Any]]:
    posts = plan.snapshot.posts
    return [{**plan.post_summary[posts[i].slug], "day": human_date(posts[i].date)} for i in indices]


def list_context(plan: SitePlan, output: Output) -> dict[str, Any]:
    listing = output.listing
    assert listing is not None
    heading = HEADINGS[listing.kind].format(listing.name)
    return {
        "heading": heading,
        "kind": listing.kind,
        "name": listing.name,
        "posts": _items(plan, plan.blog.page_posts(listing, output.page)),
        "pagination": _pagination(plan, listing, output.page),
        "feeds": [
            {"type": t, "title": title, "url": u} for t, title, u in feed_links(plan, listing)
        ],
    }


def archive_context(plan: SitePlan) -> dict[str, Any]:
    years: list[dict[str, Any]] = []
    for item in _items(plan, plan.blog.order):
        year, _, rest = item["date"].partition("-")
        month = rest[:2]
        name = MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else ""
        if not years or years[-1]["year"] != year:
            years.append({"year": year, "months": []})
        months = years[-1]["months"]
        if not months or months[-1]["key"] != month:
            months.append({"key": month, "name": name, "posts": []})
        months[-1]["posts"].append(item)
    return {"years": years}


def _listing_page(
    pages: PageRenderer,
    output: Output,
    title: str,
    template: str,
    context: dict[str, Any],
    extra: str = "",
) -> bytes:
    plan = pages.plan
    url = plan.url("/" + output.path[: -len("index.html")])
    site = {**plan.site_base, "nav": plan.nav_for(None)}
    page_ctx = {
        "slug": output.path[: -len("/index.html")],
        "title": title,
        "url": url,
        "is_home": False,
    }
    regions = pages._chrome(page_ctx, site)
    regions["main"] = Markup(pages._render(template, {"site": site, "page": page_ctx, **context}))
    full = f"{title} | {site['title']}"
    meta = pages._meta(full, plan.snapshot.description, url)
    html = pages._render(
        "base.html",
        {"site": site, "page": page_ctx, "meta": meta, "css_url": plan.css_url, **regions},
    )
    from bgpub.render.breadcrumbs import listing_breadcrumbs  # it imports this module

    extra += listing_breadcrumbs(plan, title, url)
    return with_beacon(with_head(html, plan, output.listing, extra), plan.collector, url).encode(
        "utf-8"
    )


def render_listing(pages: PageRenderer, output: Output) -> bytes:
    plan = pages.plan
    context = list_context(plan, output)
    extra = ""
    for rel in ("prev", "next"):
        if context["pagination"][f"{rel}_url"]:
            extra += f'<link rel="{rel}" href="{escape(context["pagination"][f"{rel}_url"])}">\n'
    listing = output.listing
    assert listing is not None
    if listing.kind == "index" and output.page == 1:
        extra += blog_jsonld(
            plan.site_base["title"],
            plan.snapshot.description,
            absolute(plan, plan.url("/blog/")),
            plan.snapshot.language or "en",
        )
    title = context["heading"] + (f" (page {output.page})" if output.page > 1 else "")
    return _listing_page(pages, output, title, "blog/list.html", context, extra)


def render_archive(pages: PageRenderer, output: Output) -> bytes:
    return _listing_page(pages, output, "Archive", "blog/archive.html", archive_context(pages.plan))


def render_redirect(plan: SitePlan, output: Output) -> bytes:
    """An old URL of a post: a noindex page pointing to the current one (hosts that read
    `_redirects` answer with a 301 first)."""
    target = plan.url(output.target)
    canonical = escape(absolute(plan, target))
    html = (
        f'<!DOCTYPE html>\n<html lang="{escape(plan.snapshot.language or "en")}">\n<head>\n'
        f'<meta charset="utf-8">\n<title>Moved to {escape(target)}</title>\n'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">\n'
        f'<link rel="canonical" href="{canonical}">\n<meta name="robots" content="noindex">\n</head>\n'
        f'<body>\n<p>This post moved to <a href="{escape(target)}">{escape(target)}</a>.</p>\n</body>\n'
        "</html>\n"
    )
    return html.encode("utf-8")


def redirects_file(plan: SitePlan) -> bytes | None:
    """`_redirects` (Netlify, Cloudflare Pages): one 301 line per alias; None without aliases."""
    lines = [
        f"{plan.url('/' + o.path[: -len('index.html')])} {plan.url(o.target)} 301"
        for o in plan.blog_outputs
        if o.kind == "redirect"
    ]
    return ("\n".join(lines) + "\n").encode("utf-8") if lines else None


def sitemap_entries(plan: SitePlan) -> tuple[tuple[str, str], ...]:
    """(url, lastmod) of each listing's first page and the archive: the newest post they show."""
    blog: BlogPlan = plan.blog
    found = []
    for output in plan.blog_outputs:
        if output.kind == "list" and output.page == 1 and output.listing is not None:
            shown = output.listing.posts
            lastmod = max((blog.lastmod(blog.order[n]) for n in shown), default="")
            found.append((plan.url(output.listing.url()), lastmod))
        elif output.kind == "archive":
            found.append(
                (plan.url("/blog/archive/"), max((blog.lastmod(i) for i in blog.order), default=""))
            )
    return tuple(found)


def output_key(plan: SitePlan, output: Output, chrome: str) -> str:
    """Everything one blog output reads: its posts (whole for feeds, summaries for lists)."""
    posts = plan.snapshot.posts
    if output.kind == "redirect":
        parts: Any = (
            output.target,
            plan.base_url,
            plan.snapshot.custom_domain,
            plan.snapshot.language,
        )
    elif output.kind == "archive":
        parts = [_summary_key(plan, i) for i in plan.blog.order]
    elif output.kind == "list":
        assert output.listing is not None  # list and feed outputs always name their listing
        parts = (
            _pagination(plan, output.listing, output.page),
            feed_links(plan, output.listing),
            [_summary_key(plan, i) for i in plan.blog.page_posts(output.listing, output.page)],
        )
    else:  # a feed: not the page chrome, only the site's name and its newest posts, whole
        snap = plan.snapshot
        assert output.listing is not None
        chrome = f"{_FEEDGEN} {plan.site_base['title']} {snap.description} {snap.language} {plan.base_url}"
        parts = (
            plan.blog.full_content,
            snap.custom_domain,
            (output.listing.kind, output.listing.name, output.listing.base),
            [(repr(posts[i]), plan.blog.times[i]) for i in plan.blog.feed_posts(output.listing)],
        )
    text = f"{chrome}\0{output.path}\0{output.kind}\0{output.page}\0{parts!r}"
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _summary_key(plan: SitePlan, index: int) -> str:
    found = plan.blog.summary_keys.get(index)
    if found is None:
        found = plan.blog.summary_keys[index] = repr(
            plan.post_summary[plan.snapshot.posts[index].slug]
        )
    return found


_POST_TEXT: dict[
    int, tuple[Any, str, int]
] = {}  # id(post) -> (post, repr, reading minutes), across renders


def _post_text(post: Any) -> tuple[Any, str, int]:
    """A post's repr and reading time, remembered while the same post object comes back (an edit
    makes a new object), so a rebuild does not re-read 10,000 bodies."""
    found = _POST_TEXT.get(id(post))
    if found is None or found[0] is not post:
        if len(_POST_TEXT) > 200_000:
            _POST_TEXT.clear()
        found = _POST_TEXT[id(post)] = (post, repr(post), reading_minutes(post.body))
    return found


def post_key(plan: SitePlan, index: int, chrome: str) -> str:
    extras = post_extras(plan, index)
    text = (
        f"{chrome}\0{_post_text(plan.snapshot.posts[index])[1]}\0{extras!r}\0{feed_links(plan, None)!r}\0"
        f"{plan.snapshot.custom_domain}"
    )
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def render_output(pages: PageRenderer, output: Output) -> bytes:
    """One blog output other than a post page."""
    if output.kind.startswith("feed-"):
        from bgpub.render.feeds import FORMATS  # feeds import this module

        return FORMATS[output.kind](pages, output)
    if output.kind == "list":
        return render_listing(pages, output)
    if output.kind == "archive":
        return render_archive(pages, output)
    return render_redirect(pages.plan, output)
