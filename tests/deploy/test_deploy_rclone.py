"""The rclone target against `rclone serve webdav` on loopback: the served folder holds the version."""

from __future__ import annotations

from tests.publish.sites import MemoryBlobs, read_tree, site

from bgpub.db.models import Version
from bgpub.publish.targets import DeployRequest, make_target
from bgpub.services import blobs
from bgpub.services.blocks import set_props
from bgpub.services.projects import create_project
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import add_target, check_target


def version_bytes(number: int) -> dict[str, bytes]:
    manifest = Version.get(Version.number == number).manifest
    data = blobs.get_many({e[0] for e in manifest.values()})
    return {path: data[e[0]] for path, e in manifest.items()}


def test_landing_starter_over_webdav_and_back_to_version_1(actor, org, webdav):
    remote, served = webdav
    create_project(actor, "cadence", starter="landing")
    add_target(actor, "cadence", "dav", "rclone", remote=f"{remote}www")
    assert check_target(actor, "cadence", "dav").checks[:2] == [
        "reached bgdav:www",
        "may write and delete files there",
    ]

    first = publish_project(actor, "cadence", message="Launch")
    assert first.ok, first.deployments
    v1 = version_bytes(1)
    assert read_tree(served / "www") == v1

    set_props(actor, "cadence", "home", 2, {"heading": "Plan less. Ship sooner."})
    second = publish_project(actor, "cadence", message="Sharper headline")
    assert second.ok and second.deployments[0].files_sent == 1, second.deployments
    assert read_tree(served / "www") == version_bytes(2)

    back = rollback_project(actor, "cadence", 1)
    assert back.ok and back.deployments[0].files_sent == 1
    assert read_tree(served / "www") == v1


def test_verification_and_repair_of_an_unknown_state(webdav, tmp_path):
    remote, served = webdav
    store = MemoryBlobs()
    target = make_target("rclone", {"remote": remote}, tmp_path / "state")
    v1 = site(4)
    m1 = store.add(v1)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    (served / "page-1" / "index.html").write_bytes(b"<p>page X</p>")  # same size, other bytes
    (served / "page-2" / "index.html").unlink()
    (served / "stray.txt").write_bytes(b"x")
    assert sorted(target.verify(m1, full=True)) == [
        "changed page-1/index.html",
        "missing page-2/index.html",
        "unexpected stray.txt",
    ]
    repaired = target.deploy(DeployRequest(1, m1, previous=None), store.fetch)
    assert repaired.ok, repaired
    assert read_tree(served) == v1


def test_a_failed_copy_says_what_is_left(webdav, tmp_path, monkeypatch):
    remote, served = webdav
    store = MemoryBlobs()
    target = make_target("rclone", {"remote": remote}, tmp_path / "state")
    v1 = site(3)
    m1 = store.add(v1)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    monkeypatch.setenv("RCLONE_CONFIG_BGDAV_URL", "http://127.0.0.1:9")  # the server is gone
    monkeypatch.setenv("RCLONE_RETRIES", "1")
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
    v2 = site(3, changed={1: "edited"})
    out = target.deploy(DeployRequest(2, store.add(v2), previous=m1), store.fetch)
    assert not out.ok and out.problems[0].startswith("rclone copy failed")
    assert out.problems[1].startswith("left over: 0 of 1 changes were made")
    assert read_tree(served) == v1
