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


BASE_POLICY = {
    "default-src": {"'self'"},
    "img-src": {"'self'", "https:", "data:"},
    "script-src": {"'none'"},
    "style-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "frame-ancestors": {"'none'"},
}
GA4 = {
    "script-src": {"https://*.googletagmanager.com"},
    "connect-src": {
        "https://*.google-analytics.com",
        "https://*.analytics.google.com",
        "https://*.googletagmanager.com",
    },
    "img-src": {"https://*.google-analytics.com", "https://*.googletagmanager.com"},
}


def page_policy(project) -> dict[str, set[str]]:
    """The pages' CSP from the `_headers` file a host_rules target puts in the version."""
    from types import SimpleNamespace

    from bgpub.db.models import Project
    from bgpub.services.targets import host_files

    target = SimpleNamespace(kind="dir", config={"host_rules": True})
    text = host_files(Project.get_by_id(project.id), [target], "https://demo.example")["_headers"]
    line = next(x for x in text.decode().splitlines() if "Content-Security-Policy:" in x)
    policy = {}
    for directive in line.split(":", 1)[1].split(";"):
        name, *sources = directive.split()
        policy[name] = set(sources)
    return policy


def added(policy: dict[str, set[str]]) -> dict[str, set[str]]:
    """What differs from the base policy: sources added (and 'none' dropped) per directive."""
    found = {}
    for name, sources in policy.items():
        base = BASE_POLICY.get(name, {"'self'"})
        extra = sources - base
        if extra:
            found[name] = extra
    return found


def scripts_of(html: str) -> tuple[list[str], list[str]]:
    """(inline script texts, external script URLs) a browser would run, as it parses the page."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    inline, external = [], []
    for script in tree.iter("script"):
        kind = (script.get("type") or "text/javascript").lower()
        if "javascript" not in kind and kind != "module":
            continue  # a data block (JSON-LD) is never run: CSP does not govern it
        if script.get("src"):
            external.append(script.get("src"))
        else:
            inline.append(script.text or "")
    return inline, external


def allowed(policy: dict[str, set[str]], url: str) -> bool:
    """A CSP host-source match of the script URL against script-src (wildcards included)."""
    from fnmatch import fnmatch

    origin = "/".join(url.split("/")[:3])
    return any(fnmatch(origin, source) for source in policy["script-src"])


def test_analytics_and_the_beacon_add_exactly_their_csp_sources(actor, landing, tmp_path):
    """Each integration adds exactly its origins (and its inline script's hash) to the host's page CSP,
    every script a built page carries is allowed by it, and removing them restores the base policy."""
    import base64
    import hashlib

    from bgpub.services.integrations import add_integration, remove_integration

    assert page_policy(landing) == BASE_POLICY  # nothing runs: script-src 'none'
    expected = {
        "plausible": (
            "PLAUSIBLE",
            {"domain": "demo.example"},
            {"script-src": {"https://plausible.io"}, "connect-src": {"https://plausible.io"}},
        ),
        "umami": (
            "CUSTOM",
            {
                "analytics": "umami",
                "website_id": "94db1cb1",
                "src": "https://umami.example.net/script.js",
            },
            {
                "script-src": {"https://umami.example.net"},
                "connect-src": {"https://umami.example.net"},
            },
        ),
        "goat": (
            "CUSTOM",
            {"analytics": "goatcounter", "code": "demo"},
            {
                "script-src": {"https://gc.zgo.at"},
                "connect-src": {"https://demo.goatcounter.com"},
                "img-src": {"https://demo.goatcounter.com"},
            },
        ),
        "ga": ("GOOGLE_ANALYTICS", {"measurement_id": "G-ABC123XYZ"}, GA4),
    }
    for name, (kind, config, sources) in expected.items():
        add_integration(actor, "demo", kind, name, config)
        got = added(page_policy(landing))
        hashes = {s for s in got.get("script-src", set()) if s.startswith("'sha256-")}
        assert {k: v - hashes for k, v in got.items()} == sources, name  # exactly its origins
        assert len(hashes) == (1 if name == "ga" else 0)  # GA4's inline configuration
        remove_integration(actor, "demo", name)
        assert page_policy(landing) == BASE_POLICY, name  # removed: gone again
    for name, (kind, config, _) in expected.items():
        add_integration(actor, "demo", kind, name, config)
    update_project(actor, "demo", settings={"collector_url": COLLECTOR})
    policy = page_policy(landing)
    assert COLLECTOR in policy["connect-src"] and COLLECTOR in policy["img-src"]
    pages = built(actor, tmp_path, "csp")
    for path, html in pages.items():
        inline, external = scripts_of(html)
        for text in inline:
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy["script-src"], (path, text[:60])
        for url in external:
            assert allowed(policy, url), (path, url)
    for name in expected:
        remove_integration(actor, "demo", name)
    update_project(actor, "demo", settings={"collector_url": None})
    assert page_policy(landing) == BASE_POLICY
