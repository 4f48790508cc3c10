"""A page's own share image (`pages.social_image`, migration 0018): set through the services and the
CLI, refused when it is not an image of the project, in the snapshot only when set, and the page's
og:image a 1200x630 crop of it (other pages keep their card); an asset in use cannot be removed."""

from __future__ import annotations

import io
import json
import re

import pytest
from PIL import Image
from services_support import counts, png

from bgpub.db.models import AuditLog, Page
from bgpub.errors import Conflict, InvalidInput
from bgpub.services import assets, building, pages
from bgpub.services.snapshots import snapshot_of
from bgpub.snapshot import ProjectSnapshot


@pytest.fixture
def site(actor, project, tmp_path):
    assets.add_asset(actor, "demo", png(1600, 900, "#0055aa"), name="cover.png", alt="Cover")
    assets.add_asset(actor, "demo", b"%PDF-1.4\n%%EOF\n", name="terms.pdf")
    for slug, title in (("home", "Home"), ("about", "About")):
        pages.add_page(actor, "demo", slug, title)
    project.settings = {**project.settings, "base_url": "https://example.com"}
    project.save()
    return project


def og_image(html: bytes) -> str:
    found = re.search(rb'<meta property="og:image" content="([^"]+)"', html)
    assert found, "no og:image"
    return found.group(1).decode()


def test_social_image_is_the_pages_og_image(actor, site, tmp_path):
    before = building.build_project(actor, "demo", tmp_path / "before")
    assert before.files
    home_card = og_image((tmp_path / "before" / "index.html").read_bytes())
    pages.update_page(actor, "demo", "about", social_image="cover.png")
    assert Page.get(Page.slug == "about").social_image == "cover.png"
    audit = (
        AuditLog.select()
        .where(AuditLog.action == "page.update")
        .order_by(AuditLog.created_at.desc())
        .first()
    )
    assert "social_image" in audit.summary["fields"]

    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    about = og_image((out / "about" / "index.html").read_bytes())
    assert about.startswith("https://example.com/assets/social/about.")
    card = Image.open(io.BytesIO((out / about.removeprefix("https://example.com/")).read_bytes()))
    assert card.size == (1200, 630) and card.convert("RGB").getpixel((10, 10)) == (0, 85, 170)
    assert (
        og_image((out / "index.html").read_bytes()) == home_card
    )  # the other page keeps its drawn card

    # incremental: clearing it re-renders the page and gives back the drawn card
    pages.update_page(actor, "demo", "about", social_image="")
    again = building.build_project(actor, "demo", out)
    assert "about/index.html" in again.rendered_paths
    assert og_image((out / "about" / "index.html").read_bytes()) == og_image(
        (tmp_path / "before" / "about" / "index.html").read_bytes()
    )


def test_snapshot_carries_it_only_when_set(actor, site):
    plain = snapshot_of(site)
    assert "social_image" not in json.dumps(plain.to_dict())  # older snapshots keep their bytes
    pages.update_page(actor, "demo", "about", social_image="cover.png")
    raw = snapshot_of(site).to_json()
    about = next(p for p in json.loads(raw)["pages"] if p["slug"] == "about")
    assert about["social_image"] == "cover.png"
    assert ProjectSnapshot.from_json(raw).pages[1].social_image == "cover.png"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("missing.png", "not an asset of this project"),
        ("terms.pdf", "not an image"),
        ("../cover.png", "not an asset"),
        ("<script>", "not an asset"),
        ("x" * 5000, "not an asset"),
        (7, "must be an asset name"),
    ],
)
def test_refused_values_change_nothing(actor, site, value, text):
    before = counts()
    with pytest.raises(InvalidInput, match=re.escape(text)) as caught:
        pages.update_page(actor, "demo", "about", social_image=value)
    assert caught.value.field == "social_image" and "page about" in str(caught.value)
    assert counts() == before
    assert Page.get(Page.slug == "about").social_image == ""


def test_an_asset_used_as_social_image_is_not_removed(actor, site):
    pages.update_page(actor, "demo", "about", social_image="cover.png")
    with pytest.raises(Conflict, match=r"page about \(social_image\)"):
        assets.remove_asset(actor, "demo", "cover.png")
    pages.update_page(actor, "demo", "about", social_image="")
    assets.remove_asset(actor, "demo", "cover.png")


def test_cli_page_set_social_image(actor, site, db_target, capsys):
    from bgpub.cli import main

    def bgpub(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    code, out = bgpub("page", "set", "demo", "about", "--social-image", "cover.png")
    assert code == 0, out
    assert Page.get(Page.slug == "about").social_image == "cover.png"
    code, out = bgpub("page", "set", "demo", "about", "--social-image", "terms.pdf")
    assert code != 0 and "not an image" in out and "Traceback" not in out
    assert Page.get(Page.slug == "about").social_image == "cover.png"
    code, out = bgpub("page", "set", "demo", "about", "--social-image", "")
    assert code == 0 and Page.get(Page.slug == "about").social_image == ""


def test_export_and_import_keep_it_and_refuse_a_non_image(actor, site):
    import dataclasses

    from bgpub.services import blobs
    from bgpub.services.importing import import_snapshot

    pages.update_page(actor, "demo", "about", social_image="cover.png")
    snapshot = ProjectSnapshot.from_json(snapshot_of(site).to_json())
    data = {a.hash: blobs.get(a.hash) for a in snapshot.assets}
    import_snapshot(actor, snapshot, data, name="copy")
    copied = Page.select().where((Page.slug == "about") & (Page.project != site)).get()
    assert copied.social_image == "cover.png"

    wrong = dataclasses.replace(
        snapshot,
        pages=tuple(
            dataclasses.replace(p, social_image="terms.pdf") if p.slug == "about" else p
            for p in snapshot.pages
        ),
    )
    before = counts()
    with pytest.raises(InvalidInput, match="social_image 'terms.pdf' is a document, not an image"):
        import_snapshot(actor, wrong, data, name="copy2")
    assert counts() == before


def test_a_duplicated_page_keeps_every_page_setting(actor, site):
    from bgpub.services import page_copies
    from bgpub.services.page_settings import set_page_settings

    set_page_settings(
        actor,
        "demo",
        "about",
        social_image="cover.png",
        noindex=True,
        show_header=False,
        show_footer=False,
        seo_title="About us",
        show_in_nav=False,
    )
    copy = page_copies.duplicate_page(actor, "demo", "about", "about-again")
    assert (copy.social_image, copy.noindex, copy.show_header, copy.show_footer) == (
        "cover.png",
        True,
        False,
        False,
    )
    assert (copy.seo_title, copy.show_in_nav) == ("About us", False)
    plain = page_copies.duplicate_page(actor, "demo", "home", "home-again")
    assert (plain.social_image, plain.noindex, plain.show_header, plain.show_footer) == (
        "",
        False,
        True,
        True,
    )
