"""The asset screen (issue 12): a preview of the highlighted asset (the image drawn, its facts and a file://
link), alt text, rename with its uses following, and adding a file through a path field that completes
from the disk; Pilot tests on both databases, and the completion itself on hostile folders."""

from __future__ import annotations

import io
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import DataTable, OptionList
from tui_support import SIZE, fill, run, type_text, until

from bgpub.db.models import Asset
from bgpub.services import blocks as block_service
from bgpub.services.assets import add_asset
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project
from bgpub.tui.screens import asset_file
from bgpub.tui.screens.asset_file import AssetFileModal, check_path, path_candidates
from bgpub.tui.screens.assets import AssetsScreen
from bgpub.tui.screens.modals import FormModal
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.widgets.asset_preview import AssetPreview, facts


def png(size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "red").save(out, format="PNG")
    return out.getvalue()


# path completion, on its own


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "Pictures").mkdir()
    (tmp_path / "Pictures" / "hero.png").write_bytes(png())
    (tmp_path / "Pictures" / "hero-2.png").write_bytes(png())
    (tmp_path / "Pictures" / ".secret.png").write_bytes(png())
    (tmp_path / "Pictures" / "[b]bold[i].png").write_bytes(png())
    (tmp_path / "Public").mkdir()
    (tmp_path / "notes.txt").write_text("x")
    return tmp_path


def test_completion_lists_matching_entries_folders_with_a_slash(folder):
    base = f"{folder}/"
    assert path_candidates(f"{base}P") == [f"{base}Pictures/", f"{base}Public/"]
    assert path_candidates(f"{base}Pictures/he") == [
        f"{base}Pictures/hero-2.png",
        f"{base}Pictures/hero.png",
    ]
    assert path_candidates(f"{base}Pictures/") == [
        f"{base}Pictures/[b]bold[i].png",
        f"{base}Pictures/hero-2.png",
        f"{base}Pictures/hero.png",
    ]  # hidden files only when asked
    assert path_candidates(f"{base}Pictures/.") == [f"{base}Pictures/.secret.png"]
    assert path_candidates(f"{base}Pictures/hero", limit=1) == [f"{base}Pictures/hero-2.png"]


def test_completion_keeps_the_tilde_as_typed(folder, monkeypatch):
    monkeypatch.setenv("HOME", str(folder))
    assert path_candidates("~") == ["~/"]
    assert path_candidates("~/Pic") == ["~/Pictures/"]
    assert path_candidates("~/notes") == ["~/notes.txt"]


@pytest.mark.parametrize(
    "typed", ["", "/no/such/folder/x", "{folder}/notes.txt/x", "{folder}/\x00x", "nothing-here-"]
)
def test_completion_of_nothing_is_empty_never_an_error(folder, typed):
    assert path_candidates(typed.format(folder=folder)) == []


def test_completion_reads_a_bounded_part_of_a_huge_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(asset_file, "MAX_SCAN", 50)
    for i in range(400):
        (tmp_path / f"f{i:04}.png").touch()
    found = path_candidates(f"{tmp_path}/f")
    assert 0 < len(found) <= 50
    assert len(path_candidates(f"{tmp_path}/f", limit=5)) == 5


def test_check_path_names_what_is_wrong(folder):
    assert check_path("") == "give the path of a file (Tab completes)"
    assert "is a folder" in check_path(str(folder / "Pictures"))
    assert "no file at" in check_path(str(folder / "nope.png"))
    assert check_path(f"  {folder}/notes.txt ") is None


def test_facts_without_dimensions_and_with():
    assert facts("a.png", "image/png", 2048, 8, 6, "", "file:///x/a.png").splitlines() == [
        "a.png",
        "8 × 6 px · PNG · 2.0 KB",
        "alt: (none: e adds one)",
        "file:///x/a.png",
    ]
    assert facts("d.pdf", "application/pdf", 10, None, None, "Menu", "file:///d.pdf").splitlines()[
        1:3
    ] == ["PDF · 10 B", "alt: Menu"]


# the screen, through the real services


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_asset(actor, ref, png((40, 30)), name="team.png")
    add_asset(actor, ref, b"opening hours\n", name="notes.txt")
    add_page(actor, ref, "about", "About")
    block_service.add_block(actor, ref, "about", "image", {"image": "team.png", "alt": "The team"})
    return ref


async def open_assets(pilot, app) -> AssetsScreen:
    await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
    await pilot.press("a")
    await until(
        pilot,
        lambda: isinstance(app.screen, AssetsScreen) and len(app.screen.rows) == 2,
        "the assets",
    )
    return app.screen


def move_to(screen: AssetsScreen, name: str) -> None:
    screen.query_one(DataTable).move_cursor(row=[a.name for a in screen.rows].index(name))


def test_preview_draws_images_and_links_every_file(editor, site, home):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_assets(pilot, app)
            preview = screen.query_one(AssetPreview)
            move_to(screen, "team.png")
            await until(
                pilot,
                lambda: screen.shown is not None and screen.shown.name == "team.png",
                "the preview",
            )
            assert preview.drawn and screen.shown.image.size == (40, 30)
            text = str(preview.query_one("#asset-facts").content)
            assert "40 × 30 px · PNG" in text and "alt: (none: e adds one)" in text
            path = Path(urllib.parse.unquote(urllib.parse.urlparse(screen.shown.url).path))
            assert path.read_bytes() == png((40, 30)) and path.is_relative_to(home)
            move_to(screen, "notes.txt")
            await until(pilot, lambda: screen.shown.name == "notes.txt", "the document's facts")
            assert not preview.drawn  # nothing to draw: the facts and the link only
            assert "PLAIN · 14 B" in str(preview.query_one("#asset-facts").content)
            assert screen.shown.url.startswith("file://") and screen.shown.url.endswith(
                "/notes.txt"
            )

    run(scenario())


def test_alt_text_and_rename_from_the_screen(editor, site, actor):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_assets(pilot, app)
            move_to(screen, "team.png")
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the alt text form")
            await fill(pilot, app, "#form-alt", "Five potters <b>smiling</b>")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, AssetsScreen)
                    and any(a.alt.startswith("Five") for a in screen.rows)
                ),
                "the alt text saved",
            )
            assert (
                screen.query_one(DataTable).get_row("team.png")[5] == "Five potters <b>smiling</b>"
            )
            await until(
                pilot,
                lambda: screen.shown is not None and "alt: Five" in screen.shown.text,
                "the preview",
            )

            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the rename form")
            await fill(pilot, app, "#form-name", "crew.jpg")
            assert "keep the extension .png" in str(
                app.screen.query_one("#form-name-error").content
            )
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, FormModal)  # refused as typed
            await fill(pilot, app, "#form-name", "crew.png")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, AssetsScreen)
                    and "crew.png" in [a.name for a in screen.rows]
                ),
                "the rename",
            )
            assert (
                screen.rows[screen.query_one(DataTable).cursor_row].name == "crew.png"
            )  # the cursor follows

    run(scenario())
    assert get_page(actor, site, "about").blocks[0]["props"]["image"] == "crew.png"
    assert Asset.get(Asset.name == "crew.png").alt == "Five potters <b>smiling</b>"


def test_adding_a_file_with_path_completion(editor, site, tmp_path):
    pictures = tmp_path / "shots"
    pictures.mkdir()
    (pictures / "kiln-firing.png").write_bytes(png((16, 9)))
    (pictures / "kiln.txt").write_text("not this one")
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await open_assets(pilot, app)
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, AssetFileModal), "the file picker")
            modal = app.screen
            await fill(pilot, app, "#file-path", f"{tmp_path}/sh")
            await until(
                pilot,
                lambda: modal.query_one("#file-path")._suggestion == f"{pictures}/",
                "a suggestion",
            )
            await pilot.press("tab")
            assert modal.query_one("#file-path").value == f"{pictures}/"
            await type_text(pilot, "ki")
            options = modal.query_one("#file-candidates", OptionList)
            await until(pilot, lambda: options.option_count == 2, "the matches listed")
            assert [str(options.get_option_at_index(i).prompt) for i in range(2)] == [
                "kiln-firing.png",
                "kiln.txt",
            ]
            await pilot.press("enter")  # the folder prefix alone is no file
            await until(
                pilot,
                lambda: "no file at" in str(modal.query_one("#file-error").content),
                "the refusal",
            )
            await pilot.press("down")
            assert options.has_focus and options.highlighted == 0
            await pilot.press("enter")
            assert modal.query_one("#file-path").value == f"{pictures}/kiln-firing.png"
            await fill(pilot, app, "#file-alt", "The kiln at 1200 °C")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, AssetsScreen)
                    and "kiln-firing.png" in [a.name for a in app.screen.rows]
                ),
                "the new asset",
            )
            screen = app.screen
            assert screen.rows[screen.query_one(DataTable).cursor_row].name == "kiln-firing.png"
            await until(
                pilot,
                lambda: screen.shown is not None and screen.shown.name == "kiln-firing.png",
                "its preview",
            )
            assert "16 × 9 px" in screen.shown.text

    run(scenario())
    assert Asset.get(Asset.name == "kiln-firing.png").alt == "The kiln at 1200 °C"
