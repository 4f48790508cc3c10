"""Input found by QA to crash or slip through: each is refused with one error naming the place, nothing written."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
from pathlib import Path

import pytest

from bgpub.db.models import Asset, Page, Project, User, Webhook
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.render.components import load_library, validate_props
from bgpub.services import importing, projects, users, versions, webhooks
from bgpub.services.pages import add_page
from bgpub.services.publishing import publish_project
from bgpub.services.targets import add_target, list_targets, remove_target

LANDING = Path(__file__).parents[2] / "sites" / "landing"
REPO_COMPONENTS = Path(__file__).parents[2] / "components"


@pytest.fixture
def real_library(monkeypatch):
    """The import tests use the repository's components/ (the landing starter needs them)."""
    monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)


def variant(tmp_path: Path, change) -> Path:
    """A copy of the landing starter with project.json changed by CHANGE (a function of the parsed data)."""
    target = tmp_path / "variant"
    shutil.copytree(LANDING / "blobs", target / "blobs")
    data = copy.deepcopy(json.loads((LANDING / "project.json").read_text(encoding="utf-8")))
    change(data)
    (target / "project.json").write_text(json.dumps(data), encoding="utf-8")
    return target


def set_heading(value: str):
    def change(d):
        d["pages"][0]["blocks"][1]["props"]["heading"] = value

    return change


def nothing_written() -> None:
    assert (
        Project.select().count() == 0 and Page.select().count() == 0 and Asset.select().count() == 0
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["assets"][0].update(width=10**30), ("assets[0].width", "out of range")),
        (lambda d: d["assets"][0].update(height=2**31), ("assets[0].height", "out of range")),
        (
            lambda d: d.update(
                products=[{"slug": "p", "name": "P", "price_cents": 2**31, "currency": "EUR"}]
            ),
            ("products[0].price_cents",),
        ),
        (lambda d: d["pages"][1].update(title="\ud800bad"), ("pages[1].title", "unicode")),
        (set_heading("x\udfffy"), ("pages[0].blocks[1].props.heading",)),
        (set_heading("x\x00y"), ("heading", "nul")),
        (set_heading("x\x07y"), ("prop heading", "control character")),
        (lambda d: d["settings"].update(footer_note="a\x00b"), ("settings",)),
    ],
    ids=[
        "huge-width",
        "int32-height",
        "int32-price",
        "surrogate-title",
        "surrogate-prop",
        "nul-prop",
        "bell-prop",
        "nul-setting",
    ],
)
def test_import_refuses_what_the_database_cannot_store(
    actor, org, tmp_path, real_library, change, words
):
    with pytest.raises(InvalidInput) as caught:
        importing.import_project(actor, variant(tmp_path, change), "bad")
    text = str(caught.value)
    text.encode("utf-8")  # the message itself is printable
    for word in words:
        assert word.lower() in text.lower(), text
    nothing_written()


def test_import_refuses_an_integer_json_cannot_read(actor, org, tmp_path, real_library):
    folder = variant(tmp_path, lambda d: None)
    raw = (folder / "project.json").read_text().replace('"width": 1200', '"width": ' + "9" * 5000)
    (folder / "project.json").write_text(raw)
    with pytest.raises(InvalidInput, match="malformed JSON"):
        importing.import_project(actor, folder, "bad")
    nothing_written()


def test_the_largest_storable_values_are_imported(actor, org, tmp_path, real_library):
    def change(d):
        d["assets"][0]["width"] = 2**31 - 1
        d["pages"][0]["blocks"][1]["props"]["heading"] = "tab\tand unicode ☕"

    report = importing.import_project(actor, variant(tmp_path, change), "edge")
    assert Asset.get(Asset.project == report.project).width == 2**31 - 1


def test_import_refuses_a_document_in_an_image_prop(actor, org, tmp_path, real_library):
    text = b"hello"
    digest = hashlib.sha256(text).hexdigest()

    def change(d):
        d["assets"].append(
            {
                "name": "notes.txt",
                "hash": digest,
                "mime": "text/plain",
                "size": len(text),
                "type": "DOCUMENT",
                "alt": "",
                "width": None,
                "height": None,
            }
        )
        block = next(b for b in d["pages"][0]["blocks"] if "image" in b["props"])  # the hero
        block["props"]["image"] = "notes.txt"

    folder = variant(tmp_path, change)
    (folder / "blobs" / digest).write_bytes(text)
    with pytest.raises(InvalidInput, match=r"prop image.*notes\.txt.*image assets only"):
        importing.import_project(actor, folder, "bad")
    nothing_written()


def test_validate_props_asset_types_and_control_characters():
    """Pure: names alone keep today's check; a name -> type mapping adds the image check."""
    library = load_library([REPO_COMPONENTS])
    props = {"image": "notes.txt", "alt": "x"}
    assert (
        validate_props(library, "image", props, "b", assets={"notes.txt"})["image"] == "notes.txt"
    )
    assert (
        validate_props(library, "image", {"image": "a.png"}, "b", assets={"a.png": "IMAGE"})[
            "image"
        ]
        == "a.png"
    )
    with pytest.raises(InvalidInput, match="not-here.png"):
        validate_props(library, "image", {"image": "not-here.png"}, "b", assets={"a.png": "IMAGE"})
    with pytest.raises(InvalidInput) as caught:
        validate_props(library, "image", props, "block 1 (image)", assets={"notes.txt": "DOCUMENT"})
    assert (
        caught.value.where == "block 1 (image), prop image" and "notes.txt" in caught.value.message
    )
    for bad in ("a\x00b", "a\x1bb", "a\x7fb"):
        with pytest.raises(InvalidInput, match="control character"):
            validate_props(library, "hero", {"heading": bad}, "b")
        with pytest.raises(InvalidInput, match="control character"):
            validate_props(library, "hero", {"heading": "h", "primary_url": "/x" + bad}, "b")
    assert validate_props(library, "rich-text", {"body": "a\tb\r\nc"}, "b")["body"] == "a\tb\r\nc"


@pytest.mark.parametrize("name", ["", "   "])
def test_an_explicit_empty_project_name_is_refused(actor, org, real_library, name):
    with pytest.raises(InvalidInput, match="project name is required"):
        projects.create_project(actor, name, starter="landing")
    with pytest.raises(InvalidInput, match="project name is required"):
        projects.create_project(actor, name)
    with pytest.raises(InvalidInput, match="project name is required"):
        importing.import_project(actor, LANDING, name)
    nothing_written()
    assert (
        importing.import_project(actor, LANDING, None).project.name == "landing"
    )  # None: the snapshot's


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1",
        "ftp://example.com/x",
        "https:///nohost",
        "http://x:99999/",
        "http://exa mple.com/",
        "javascript:alert(1)",
        "",
        "http://x/\x00",
    ],
)
def test_webhook_urls_must_be_http_with_a_host(actor, project, url):
    with pytest.raises(InvalidInput) as caught:
        webhooks.add_webhook(actor, "demo", url)
    assert caught.value.where == "project demo, webhook"
    assert Webhook.select().count() == 0


def test_a_good_webhook_url_is_kept(actor, project):
    hook, _ = webhooks.add_webhook(actor, "demo", "https://[::1]:8443/hook?x=1", allow_private=True)
    assert (
        hook.url == "https://[::1]:8443/••••?••••"
    )  # the path and query may hold a token: stored sealed
    assert webhooks.webhook_url(hook) == "https://[::1]:8443/hook?x=1"


def test_versions_are_live_only_on_existing_targets(actor, project, tmp_path):
    add_page(actor, "demo", "home", "Home")
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    add_target(actor, "demo", "backup", "dir", path=str(tmp_path / "backup"))
    publish_project(actor, "demo", target="all", message="one")
    assert versions.list_versions(actor, "demo")[0].live_on == ["backup", "www"]
    remove_target(actor, "demo", "backup")
    assert versions.list_versions(actor, "demo")[0].live_on == ["www"]
    assert {t.name: t.live_version for t in list_targets(actor, "demo")} == {"www": 1}
    add_target(
        actor, "demo", "backup", "dir", path=str(tmp_path / "backup2")
    )  # a new target, never deployed
    assert versions.list_versions(actor, "demo")[0].live_on == ["www"]


def test_deleting_a_missing_user_is_refused_before_any_question(actor):
    with pytest.raises(NotFound, match="nobody@example.com"):
        users.check_user_deletable(actor, "nobody@example.com")
    with pytest.raises(Conflict, match="last OWNER"):
        users.check_user_deletable(actor, actor.email)
    assert User.get_by_id(actor.id).email == actor.email  # checking changed nothing


def _component(root: Path, accept: str) -> Path:
    folder = root / "components" / "download"
    folder.mkdir(parents=True)
    (folder / "component.toml").write_text(
        f'key = "download"\nname = "Download"\n\n[[props]]\nname = "file"\ntype = "asset"\n{accept}\n'
    )
    (folder / "template.html").write_text("<a href='x'>x</a>")
    return root / "components"


def test_an_asset_prop_may_accept_other_types(tmp_path):
    from bgpub.errors import RenderError

    library = load_library([_component(tmp_path / "ok", 'accept = ["document", "image"]')])
    assert library["download"].props[0].accept == ("DOCUMENT", "IMAGE")
    assets = {"a.pdf": "DOCUMENT", "b.png": "IMAGE", "c.woff2": "FONT"}
    assert (
        validate_props(library, "download", {"file": "a.pdf"}, "b", assets=assets)["file"]
        == "a.pdf"
    )
    with pytest.raises(InvalidInput, match="document or image assets only"):
        validate_props(library, "download", {"file": "c.woff2"}, "b", assets=assets)
    with pytest.raises(RenderError, match="accept"):
        load_library([_component(tmp_path / "bad", 'accept = ["gold"]')])
