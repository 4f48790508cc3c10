"""What a collector URL changes in the published site: forms post to it with their stamp and honeypot,
a thank-you page exists, every page carries the beacon; without one nothing changes."""

from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from bgpub.render.beacon import SCRIPT
from bgpub.services.building import build_project
from bgpub.services.collector_sites import stamp_issued
from bgpub.services.projects import create_project, update_project
from bgpub.services.snapshots import export_project

COLLECTOR = "https://collect.example.org"


def built(actor, tmp_path: Path, name: str) -> dict[str, str]:
    out = tmp_path / name
    build_project(actor, "demo", out, cache_dir=tmp_path / f"cache-{name}")
    return {str(p.relative_to(out)): p.read_text("utf-8") for p in out.rglob("*.html")}


@pytest.fixture
def landing(actor):
    project = create_project(actor, "demo", starter="landing")
    update_project(actor, project, settings={"base_url": "https://demo.example"})
    return project


def test_a_collector_url_points_forms_at_it_and_adds_the_beacon(actor, landing, tmp_path):
    before = built(actor, tmp_path, "before")
    assert not any("/v/" in html or "_bgpub_" in html for html in before.values())
    assert "thanks/index.html" not in before

    update_project(actor, "demo", settings={"collector_url": COLLECTOR + "/"})
    after = built(actor, tmp_path, "after")
    assert set(after) == set(before) | {"thanks/index.html"}
    forms = [(path, m) for path, html in after.items() for m in re.finditer(r"<form [^>]*>", html)]
    assert forms, "the landing starter has a contact form"
    for path, match in forms:
        action = re.search(r'action="([^"]+)"', match.group(0)).group(1)
        assert re.fullmatch(rf"{COLLECTOR}/f/{landing.id}/(contact|newsletter)", action), (
            path,
            action,
        )
        assert "data-bgpub-form" in match.group(0) and 'method="post"' in match.group(0)
        html = after[path]
        stamp = re.search(r'name="_bgpub_stamp" value="([^"]+)"', html).group(1)
        from bgpub.services.collector_sites import form_key

        assert stamp_issued(form_key(landing), landing.id, stamp) is not None
        assert 'name="_bgpub_hp" value="" tabindex="-1"' in html
        assert 'name="_bgpub_thanks" value="/thanks/"' in html
    for path, html in after.items():
        if path == "404.html":
            continue
        assert html.count(f"{COLLECTOR}/v/{landing.id}") == 2, (
            path
        )  # the noscript pixel and the script
        assert "cookie" not in html.lower() and "localStorage" not in html
        assert html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html) is not None
    assert (
        'content="noindex"' in after["thanks/index.html"]
        and "Thank you" in after["thanks/index.html"]
    )


def test_the_inline_script_stays_under_one_kilobyte():
    script = SCRIPT % '"https://collector.example.org/v/abcdefghijklmnopqrstuvwx"'
    assert len(script.encode()) < 1024


def test_removing_the_collector_url_restores_the_site(actor, landing, tmp_path):
    before = built(actor, tmp_path, "a")
    update_project(actor, "demo", settings={"collector_url": COLLECTOR})
    built(actor, tmp_path, "a")
    update_project(actor, "demo", settings={"collector_url": None})
    assert built(actor, tmp_path, "a") == before


def test_an_export_keeps_the_url_but_not_the_builds_stamp(actor, landing, tmp_path):
    update_project(actor, "demo", settings={"collector_url": COLLECTOR})
    export_project(actor, "demo", tmp_path / "export")
    text = (tmp_path / "export" / "project.json").read_text("utf-8")
    assert COLLECTOR in text and '"stamp"' not in text


def test_a_bad_collector_url_is_refused_and_nothing_changes(actor, site):
    from bgpub.errors import InvalidInput
    from bgpub.services.projects import get_project

    before = dict(get_project(actor, "demo").settings)
    for url in ["ftp://x.example", "collect.example", "https://x.example/?a=1", "https://", 42]:
        with pytest.raises(InvalidInput, match="collector URL"):
            update_project(actor, "demo", settings={"collector_url": url})
        assert get_project(actor, "demo").settings == before


def test_blog_posts_get_a_comment_form_posting_to_the_collector(actor, tmp_path):
    project = create_project(actor, "demo", starter="blog")
    update_project(actor, project, settings={"collector_url": COLLECTOR})
    pages = built(actor, tmp_path, "blog")
    from bgpub.db.enums import PostStatus
    from bgpub.db.models import BlogPost

    slugs = [
        p.slug
        for p in BlogPost.select().where(
            (BlogPost.project == project.id) & (BlogPost.status == PostStatus.PUBLISHED)
        )
    ]
    posts = {f"blog/{slug}/index.html": pages[f"blog/{slug}/index.html"] for slug in slugs}
    assert posts
    for path, html in posts.items():
        slug = path.split("/")[1]
        assert f'action="{COLLECTOR}/c/{project.id}/{slug}"' in html, path
        assert 'name="body"' in html and 'name="_bgpub_hp"' in html and "data-bgpub-form" in html
        assert html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(html) is not None
    assert not any("/c/" in html for path, html in pages.items() if path not in posts)


def test_enabled_analytics_integrations_put_their_snippets_in_every_page(actor, landing, tmp_path):
    from bgpub.services.integrations import (
        add_integration,
        remove_integration,
        set_integration_enabled,
    )

    before = built(actor, tmp_path, "plain")
    add_integration(actor, "demo", "PLAUSIBLE", "plausible", {"domain": "demo.example"})
    add_integration(actor, "demo", "GOOGLE_ANALYTICS", "ga", {"measurement_id": "G-ABC123XYZ"})
    add_integration(
        actor,
        "demo",
        "CUSTOM",
        "umami",
        {
            "analytics": "umami",
            "website_id": "94db1cb1-74f4",
            "src": "https://umami.example.net/script.js",
        },
    )
    add_integration(
        actor,
        "demo",
        "CUSTOM",
        "evil",
        {
            "analytics": "umami",
            "website_id": 'x"><script>',
            "src": "https://umami.example.net/s.js",
        },
    )
    add_integration(
        actor,
        "demo",
        "PLAUSIBLE",
        "bad-src",
        {"domain": "demo.example", "src": "http://plain.example/s.js"},
    )
    after = built(actor, tmp_path, "tracked")
    assert set(after) == set(before)  # no collector URL: no thank-you page
    for path, html in after.items():
        head = html.split("</head>")[0]
        assert (
            '<script defer data-domain="demo.example" src="https://plausible.io/js/script.js"></script>'
            in head
        )
        assert "googletagmanager.com/gtag/js?id=G-ABC123XYZ" in head
        assert 'data-website-id="94db1cb1-74f4"' in head
        assert '<script>"' not in html and 'x"&gt;' not in html and "plain.example" not in html
        assert "/v/" not in html and "_bgpub_" not in html, path  # no beacon, forms unchanged
    set_integration_enabled(actor, "demo", "ga", False)
    remove_integration(actor, "demo", "umami")
    again = built(actor, tmp_path, "tracked")
    assert not any("googletagmanager" in html or "umami" in html for html in again.values())
    assert all("plausible.io" in html for html in again.values())
