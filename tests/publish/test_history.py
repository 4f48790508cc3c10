"""Storage and history: deduplicated blobs, pruning, byte-identical rollback, recorded snapshots."""

from __future__ import annotations

import shutil
import struct
import zlib
from datetime import datetime

from peewee import fn
from tests.publish.sites import REPO, edit_page, make_project, read_tree

from bgpub.db.models import Asset, Blob, Page, Version
from bgpub.publish.history import record_hashes
from bgpub.publish.manifest import digest, manifest_hashes
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import default_site_path
from bgpub.services.versions import prune_versions, version_snapshot


def tree_manifest(root) -> dict:
    return {p: [digest(d), len(d)] for p, d in read_tree(root).items()}


def png(width: int = 2, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\0" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_storage_stays_near_the_unique_bytes(actor, org):
    """50 publishes of a 100-page site, one page changed each time (the 1,000 x 1,000 rule scaled)."""
    project = make_project(actor, "big", pages=100)
    # pages last edited long ago: each edit below then moves its page's sitemap lastmod (whole seconds)
    # whatever the clock, so every publish changes exactly the edited page and sitemap.xml
    Page.update(updated_at=datetime(2020, 1, 1)).where(Page.project == project).execute()
    per_publish = []
    for n in range(50):
        if n:
            edit_page(project, n % 100, f"Edit number {n}.")
        result = publish_project(actor, "big")
        assert result.ok
        per_publish.append(
            (result.deployments[0].files_sent, result.new_blobs, result.diff["default"])
        )
    # an edit changes its page and sitemap.xml (lastmod follows each edit, issue 16), nothing else: the
    # page's share card shows its title, not its body, so it is not drawn or stored again
    assert all(
        diff == {"added": [], "changed": [f"page-{n}/index.html", "sitemap.xml"], "removed": []}
        for n, (_, _, diff) in enumerate(per_publish)
        if n
    ), per_publish
    # the release folder recycled is two publishes old: it needs the last two edited pages and the
    # sitemap; each publish stores three blobs, the changed page's HTML, the sitemap and the snapshot record
    assert all(sent <= 3 and new == 3 for sent, new, _ in per_publish[1:]), per_publish
    versions = list(Version.select())
    file_sizes = {e[0]: e[1] for v in versions for e in v.manifest.values()}
    unique_files = sum(file_sizes.values())
    stored_files = int(Blob.select(fn.SUM(Blob.size)).where(Blob.id.in_(list(file_sizes))).scalar())
    assert stored_files == unique_files
    needed = set(file_sizes) | set().union(*(record_hashes(v.snapshot) for v in versions))
    total_stored = int(Blob.select(fn.SUM(fn.LENGTH(Blob.data))).scalar())
    unique_needed = int(Blob.select(fn.SUM(Blob.size)).where(Blob.id.in_(list(needed))).scalar())
    assert Blob.select().where(Blob.id.in_(list(needed))).count() == len(needed)  # nothing missing
    assert total_stored <= 1.2 * unique_needed
    naive = sum(v.total_bytes for v in versions)
    assert total_stored < naive / 10  # not a copy of the site per version


def test_prune_keeps_what_kept_versions_and_assets_need(actor, project, home):
    from bgpub.services.assets import add_asset

    asset = add_asset(actor, "demo", png(), name="logo.png")
    home_page = Page.get((Page.project == project) & (Page.slug == "home"))
    home_page.blocks = [{"component": "hero", "props": {"heading": "Logo", "image": "logo.png"}}]
    home_page.save()
    publish_project(actor, "demo")  # v1 shows the image
    home_page.blocks = [{"component": "hero", "props": {"heading": "No logo"}}]
    home_page.save()
    for n in range(2, 5):
        edit_page(project, 1, f"Version {n} text.")
        publish_project(actor, "demo")
    manifests = {v.number: v for v in Version.select()}
    only_old = (
        (manifest_hashes(manifests[1].manifest) | manifest_hashes(manifests[2].manifest))
        - manifest_hashes(manifests[3].manifest)
        - manifest_hashes(manifests[4].manifest)
        - {asset.hash}
    )
    assert only_old
    report = prune_versions(actor, "demo", keep=2)
    assert report.versions_removed == [1, 2] and report.blobs_removed >= len(only_old)
    present = {b for (b,) in Blob.select(Blob.id).tuples()}
    assert not (only_old & present)
    for number in (3, 4):
        v = Version.get(Version.number == number)
        assert manifest_hashes(v.manifest) | record_hashes(v.snapshot) <= present
    assert asset.hash in present and Asset.select().count() == 1
    live = default_site_path(project, home)
    assert rollback_project(actor, "demo", 3).ok
    assert tree_manifest(live) == Version.get(Version.number == 3).manifest
    # the live version is never pruned, even outside the newest N
    report = prune_versions(actor, "demo", keep=1)
    assert report.versions_removed == [] and [
        v.number for v in Version.select().order_by(Version.number)
    ] == [3, 4]


def test_rollback_is_byte_identical_after_templates_change(
    actor, project, home, tmp_path, monkeypatch
):
    components = tmp_path / "components"
    shutil.copytree(REPO / "components", components)
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(components))
    live = default_site_path(project, home)
    publish_project(actor, "demo")
    first = read_tree(live)
    template = components / "hero" / "template.html"
    template.write_text(template.read_text() + "\n<!-- hero v2 -->\n")
    second = publish_project(actor, "demo")
    assert len(second.diff["default"]["changed"]) >= 4  # every page has a hero
    assert read_tree(live) != first
    assert rollback_project(actor, "demo", 1).ok
    assert read_tree(live) == first


def test_version_records_its_snapshot(actor, project):
    from bgpub.services.snapshots import snapshot_of

    publish_project(actor, "demo")
    before = snapshot_of(project)
    edit_page(project, 2, "Later words.")
    publish_project(actor, "demo")
    assert version_snapshot(actor, "demo", 1) == before
    assert version_snapshot(actor, "demo", 2) == snapshot_of(project)
