"""Issue 12, defect 10: a page whose slug changed keeps its old address working after the next
publish, on a plain folder target too: a page at the old URL that moves on, and a `_redirects` line;
and the internal links to it can be pointed at the new URL (services.link_updates)."""

from __future__ import annotations

import html5lib

from bgpub.db.models import Project, Version
from bgpub.services import blobs
from bgpub.services import blocks as block_service
from bgpub.services.link_updates import links_to, retarget_links
from bgpub.services.pages import add_page, change_slug, get_page
from bgpub.services.publishing import publish_project


def files_of(project: str, number: int) -> dict[str, bytes]:
    record = Project.get(Project.name == project)
    manifest = Version.get((Version.project == record) & (Version.number == number)).manifest
    return {path: blobs.get(entry[0]) for path, entry in manifest.items()}


def test_renamed_page_redirects_and_links_follow(actor, project, home):
    add_page(actor, "demo", "home", "Home")
    add_page(actor, "demo", "about", "About")
    block_service.add_block(
        actor, "demo", "home", "hero", {"heading": "Hi", "link": "/about/#team"}
    )
    assert publish_project(actor, "demo", workspace=home).ok

    change_slug(actor, "demo", "about", "company")
    assert [(u.page, u.value) for u in links_to(actor, "demo", "about")] == [
        ("home", "/about/#team")
    ]
    assert retarget_links(actor, "demo", "about", "company") == 1
    assert get_page(actor, "demo", "home").blocks[0]["props"]["link"] == "/company/#team"
    assert links_to(actor, "demo", "about") == []
    assert publish_project(actor, "demo", workspace=home).ok

    files = files_of("demo", 2)
    assert "company/index.html" in files
    old = files["about/index.html"].decode()
    document = html5lib.parse(old, namespaceHTMLElements=False)
    refresh = document.find(".//meta[@http-equiv='refresh']")
    assert refresh is not None and refresh.get("content").endswith("url=/company/")
    assert document.find(".//meta[@name='robots']").get("content") == "noindex"
    assert "/about/ /company/ 301" in files["_redirects"].decode().splitlines()

    assert publish_project(actor, "demo", workspace=home).ok  # the redirect stays in later versions
    assert "/about/ /company/ 301" in files_of("demo", 3)["_redirects"].decode().splitlines()
