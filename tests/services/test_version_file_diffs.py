"""One published file compared between two versions (services.version_files, the editor's version files
screen), on both databases: the text diff read from the stored manifests and blobs, added and removed
files, binary files by size, an unchanged file, a path in neither version, and the MAX_LINES cut."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bgpub.db.models import Project, Version
from bgpub.errors import NotFound, PermissionDenied
from bgpub.services import blobs, version_files
from bgpub.services import blocks as block_service
from bgpub.services.assets import add_asset, remove_asset
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.services.publishing import publish_project
from bgpub.services.users import find_or_create_user
from bgpub.services.version_files import file_diff

CHANGED = "línea 2 — ✓ 日本"  # the new text of the v1 paragraph "line 2"


def png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, format="PNG")
    return out.getvalue()


# The real components (rich-text), not the services fixtures.
pytestmark = pytest.mark.real_components


def stored(project: str, number: int, path: str) -> bytes:
    """A file of a published version as the blob store holds it."""
    record = Project.get(Project.name == project)
    manifest = Version.get((Version.project == record) & (Version.number == number)).manifest
    return blobs.get(manifest[path][0])


def manifest_of(project: str, number: int) -> dict[str, list[str]]:
    record = Project.get(Project.name == project)
    return Version.get((Version.project == record) & (Version.number == number)).manifest


@pytest.fixture
def site(actor, home) -> str:
    """v1: a home page of five paragraphs and a PNG asset; v2: paragraph 3 changed (unicode), a page
    "about" added (not in the navigation, so the home page's other lines stay), the asset removed."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    body = "\n\n".join(["line 0", "line 1", "line 2", "café ☕ 3", "line 4"])
    block_service.add_block(actor, ref, "home", "rich-text", {"body": body})
    add_asset(actor, ref, png("red"), name="pic.png")
    assert publish_project(actor, ref, message="one", workspace=home).ok
    block_service.set_props(actor, ref, "home", 0, {"body": body.replace("line 2", CHANGED)})
    add_page(actor, ref, "about", "About", show_in_nav=False)
    remove_asset(actor, ref, "pic.png")
    assert publish_project(actor, ref, message="two", workspace=home).ok
    return ref


def test_a_changed_text_file_gives_its_unified_diff(actor, site):
    before = stored("site", 1, "index.html").decode().splitlines(keepends=True)
    after = stored("site", 2, "index.html").decode().splitlines(keepends=True)
    at = before.index("<p>line 2</p>\n")
    assert after[at] == f"<p>{CHANGED}</p>\n"  # the only changed line: one hunk, 3 lines around it
    assert after[:at] == before[:at] and after[at + 1 :] == before[at + 1 :]
    expected = (
        "--- v1/index.html\n"
        "+++ v2/index.html\n"
        f"@@ -{at - 2},7 +{at - 2},7 @@\n"
        + "".join(" " + line for line in before[at - 3 : at])
        + "-<p>line 2</p>\n"
        + f"+<p>{CHANGED}</p>\n"
        + "".join(" " + line for line in before[at + 1 : at + 4])
    )
    assert " <p>café ☕ 3</p>\n" in expected  # unicode context kept as it is
    assert file_diff(actor, site, 1, 2, "index.html") == expected
    # the other way round: the same hunk, signs swapped
    backwards = file_diff(actor, site, 2, 1, "index.html")
    assert backwards.splitlines()[:2] == ["--- v2/index.html", "+++ v1/index.html"]
    assert f"-<p>{CHANGED}</p>" in backwards.splitlines()
    assert "+<p>line 2</p>" in backwards.splitlines()


def test_an_added_page_is_all_plus_and_removed_the_other_way(actor, site):
    added = stored("site", 2, "about/index.html").decode().splitlines(keepends=True)
    assert "about/index.html" not in manifest_of("site", 1)
    # the page ends without a newline; every diff line is still a whole line
    assert added[-1] == "</html>"
    added[-1] += "\n"
    assert file_diff(actor, site, 1, 2, "about/index.html") == (
        "--- v1/about/index.html\n"
        "+++ v2/about/index.html\n"
        f"@@ -0,0 +1,{len(added)} @@\n" + "".join("+" + line for line in added)
    )
    assert file_diff(actor, site, 2, 1, "about/index.html") == (
        "--- v2/about/index.html\n"
        "+++ v1/about/index.html\n"
        f"@@ -1,{len(added)} +0,0 @@\n" + "".join("-" + line for line in added)
    )


def test_binary_files_are_compared_by_size(actor, site):
    (path,) = [
        p for p in manifest_of("site", 1) if p.startswith("assets/pic.") and p.endswith(".png")
    ]
    assert path not in manifest_of("site", 2)  # the asset was removed before v2
    size = len(stored("site", 1, path))
    assert stored("site", 1, path).startswith(b"\x89PNG")
    assert file_diff(actor, site, 1, 2, path) == (
        f"binary file {path}: version 1 {size} bytes, version 2 absent\n"
    )
    assert file_diff(actor, site, 2, 1, path) == (
        f"binary file {path}: version 2 absent, version 1 {size} bytes\n"
    )
    # a binary file in both versions, unchanged, still reports its two sizes (no text to compare)
    icon = len(stored("site", 1, "favicon.ico"))
    assert stored("site", 2, "favicon.ico") == stored("site", 1, "favicon.ico")
    assert file_diff(actor, site, 1, 2, "favicon.ico") == (
        f"binary file favicon.ico: version 1 {icon} bytes, version 2 {icon} bytes\n"
    )


def test_an_unchanged_text_file_says_so(actor, site):
    assert stored("site", 1, "robots.txt") == stored("site", 2, "robots.txt")
    assert (
        file_diff(actor, site, 1, 2, "robots.txt") == "robots.txt: the same in versions 1 and 2\n"
    )
    assert (
        file_diff(actor, site, 2, 2, "index.html") == "index.html: the same in versions 2 and 2\n"
    )


@pytest.mark.parametrize(
    "path",
    [
        "../index.html",
        "about/../index.html",
        "/index.html",
        "index.html/",
        "INDEX.HTML",
        "",
        "nope.html",
        "ïndex.html",
        "index.html\x00",
    ],
)
def test_a_path_in_neither_version_is_not_found(actor, site, path):
    with pytest.raises(NotFound) as refused:
        file_diff(actor, site, 1, 2, path)
    assert refused.value.message == f"no file {path!r} in version 1 or 2"
    assert refused.value.where == "project site"


def test_an_unknown_version_or_project_is_not_found(actor, site):
    with pytest.raises(NotFound, match="no version 3"):
        file_diff(actor, site, 1, 3, "index.html")
    with pytest.raises(NotFound, match="no version 0"):
        file_diff(actor, site, 0, 2, "index.html")
    with pytest.raises(NotFound):
        file_diff(actor, "nobody/nothing", 1, 2, "index.html")


def test_someone_outside_the_organization_reads_nothing(actor, site):
    stranger, _ = find_or_create_user("stranger@example.org", "Stranger")
    with pytest.raises((NotFound, PermissionDenied)):
        file_diff(stranger, site, 1, 2, "index.html")


def test_a_long_diff_is_cut_at_max_lines_and_says_how_much_is_left(actor, home, monkeypatch):
    project = create_project(actor, "long", title="Long")
    ref = f"{project.organization.slug}/long"
    add_page(actor, ref, "home", "Home")
    count = 1200  # 2 x 1200 changed lines + headers and context: over MAX_LINES (2000)
    block_service.add_block(
        actor, ref, "home", "rich-text", {"body": "\n\n".join(f"old {i}" for i in range(count))}
    )
    assert publish_project(actor, ref, workspace=home).ok
    block_service.set_props(
        actor, ref, "home", 0, {"body": "\n\n".join(f"new ü {i}" for i in range(count))}
    )
    assert publish_project(actor, ref, workspace=home).ok
    before = stored("long", 1, "index.html").decode().splitlines(keepends=True)
    first = before.index("<p>old 0</p>\n")
    assert before[first : first + count] == [f"<p>old {i}</p>\n" for i in range(count)]
    # one hunk: ---, +++, @@, 3 context lines, every old line, every new line, 3 context lines
    total = 3 + 3 + count + count + 3
    assert total > version_files.MAX_LINES
    shown = file_diff(actor, ref, 1, 2, "index.html").splitlines()
    assert len(shown) == version_files.MAX_LINES + 1
    assert shown[-1] == f"… {total - version_files.MAX_LINES} more diff line(s) not shown"
    assert shown[:2] == ["--- v1/index.html", "+++ v2/index.html"]
    assert shown[6 : 6 + count] == [f"-<p>old {i}</p>" for i in range(count)]
    cut = version_files.MAX_LINES - 6 - count  # the new lines that fit before the cut
    assert shown[6 + count : version_files.MAX_LINES] == [f"+<p>new ü {i}</p>" for i in range(cut)]

    monkeypatch.setattr(version_files, "MAX_LINES", total)  # exactly fits: no cut line
    whole = file_diff(actor, ref, 1, 2, "index.html").splitlines()
    assert len(whole) == total and not whole[-1].startswith("…")
    assert whole[-4] == f"+<p>new ü {count - 1}</p>"
